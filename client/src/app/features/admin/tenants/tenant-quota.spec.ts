import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import type { Quota } from '@contracts/quotas';
import { button, control, settle, setUpAdminTest, text, type } from '../testing/admin-testing';
import { TenantQuota } from './tenant-quota';

const TENANT_ID = '65f000000000000000000001';
const QUOTA: Quota = {
  limits: { vcpu: 16, memoryMiB: 32768, storageGiB: 500, vms: 10 },
  usage: {
    committed: { vcpu: 4, memoryMiB: 8192, storageGiB: 100, vms: 2 },
    held: { vcpu: 2, memoryMiB: 2048, storageGiB: 20, vms: 1 },
  },
};

describe(TenantQuota.name, () => {
  let backend: HttpTestingController;
  let fixture: ComponentFixture<TenantQuota>;
  let element: HTMLElement;

  beforeEach(async () => {
    backend = setUpAdminTest();
    fixture = TestBed.createComponent(TenantQuota);
    fixture.componentRef.setInput('tenantId', TENANT_ID);
    element = fixture.nativeElement;
    await settle(fixture);
    backend.expectOne(`/api/v1/admin/tenants/${TENANT_ID}/quota`).flush(QUOTA);
    await settle(fixture);
  });

  afterEach(() => backend.verify());

  it('shows committed, held and limit for each resource, and the limits in the form', () => {
    expect(text(element)).toContain('4 used · 2 held · 16 limit');
    expect(text(element)).toContain('8 GiB used · 2 GiB held · 32 GiB limit');
    expect(text(element)).toContain('100 GiB used · 20 GiB held · 500 GiB limit');
    expect(text(element)).toContain('2 used · 1 held · 10 limit');
    expect(control('vCPU limit', element).value).toBe('16');
    expect(control('Memory limit (MiB)', element).value).toBe('32768');
    expect(control('Storage limit (GiB)', element).value).toBe('500');
    expect(control('VM limit', element).value).toBe('10');
  });

  it('puts the edited limits, as numbers, and shows what the server stored', async () => {
    type(control('vCPU limit', element), '24');
    type(control('VM limit', element), '12');
    button('Save limits', element).click();
    await settle(fixture);

    const put = backend.expectOne(`/api/v1/admin/tenants/${TENANT_ID}/quota`);
    expect(put.request.method).toBe('PUT');
    expect(put.request.body).toEqual({ vcpu: 24, memoryMiB: 32768, storageGiB: 500, vms: 12 });
    put.flush({ vcpu: 24, memoryMiB: 32768, storageGiB: 500, vms: 12 });
    await settle(fixture);

    expect(text(element)).toContain('4 used · 2 held · 24 limit');
    expect(element.querySelector('[role=alert]')).toBeNull();
  });

  it("shows the server's message when it refuses the limits, and keeps what was typed", async () => {
    type(control('Storage limit (GiB)', element), '2000000000');
    button('Save limits', element).click();
    await settle(fixture);

    backend
      .expectOne(`/api/v1/admin/tenants/${TENANT_ID}/quota`)
      .flush(
        { statusCode: 400, code: 'VALIDATION_FAILED', message: 'storageGiB must not be greater than 1000000000', correlationId: 'c1' },
        { status: 400, statusText: 'Bad Request' },
      );
    await settle(fixture);

    expect(text(element.querySelector('[role=alert]')!)).toContain('storageGiB must not be greater than 1000000000');
    expect(control('Storage limit (GiB)', element).value).toBe('2000000000');
  });

  it('refuses a limit that is not a whole number without asking the server', async () => {
    type(control('vCPU limit', element), '-1');
    button('Save limits', element).click();
    await settle(fixture);
    backend.expectNone(`/api/v1/admin/tenants/${TENANT_ID}/quota`);
    expect(text(element.querySelector('[role=alert]')!)).toContain('Each limit must be a whole number');
  });
});
