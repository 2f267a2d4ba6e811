import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import type { Tenant } from '@contracts/tenants';
import { button, control, settle, setUpAdminTest, text, type } from '../testing/admin-testing';
import { TenantDetailPage } from './tenant-detail-page';

const ACME: Tenant = {
  id: '65f000000000000000000001',
  slug: 'acme',
  name: 'Acme Corp',
  status: 'active',
  limits: { vcpu: 16, memoryMiB: 32768, storageGiB: 500, vms: 10 },
  createdAt: '2026-01-02T03:04:05.000Z',
};
const BASE = `/api/v1/admin/tenants/${ACME.id}`;

describe(TenantDetailPage.name, () => {
  let backend: HttpTestingController;
  let fixture: ComponentFixture<TenantDetailPage>;
  let element: HTMLElement;

  /** The sections' own reads, answered empty: this spec is about the tenant itself. */
  function answerSections(): void {
    for (const request of backend.match((candidate) => candidate.url !== BASE)) {
      if (request.request.url.endsWith('/quota')) request.flush({ limits: ACME.limits, usage: { committed: ACME.limits, held: ACME.limits } });
      else if (request.request.url.endsWith('/history')) request.flush({ points: [] });
      else request.flush({ items: [], total: 0 });
    }
  }

  beforeEach(async () => {
    backend = setUpAdminTest();
    fixture = TestBed.createComponent(TenantDetailPage);
    fixture.componentRef.setInput('id', ACME.id);
    element = fixture.nativeElement;
    await settle(fixture);
    backend.expectOne(BASE).flush(ACME);
    await settle(fixture);
    answerSections();
    await settle(fixture);
  });

  afterEach(() => backend.verify());

  it('heads the page with the tenant name and reads each section of this tenant', () => {
    expect(element.querySelector('h1')?.textContent).toBe('Acme Corp');
    const headings = Array.from(element.querySelectorAll('h2')).map((heading) => heading.textContent?.trim());
    expect(headings).toEqual(['Details', 'Quota', 'Usage history', 'Reservations', 'Users', 'VMs']);
  });

  it('suspends after confirmation, with a PATCH of the status', async () => {
    button('Suspend', element).click();
    await settle(fixture);
    button('Suspend', document.querySelector('mat-dialog-container')!).click();
    await settle(fixture);

    const patch = backend.expectOne(BASE);
    expect(patch.request.method).toBe('PATCH');
    expect(patch.request.body).toEqual({ status: 'suspended' });
    patch.flush({ ...ACME, status: 'suspended' });
    await settle(fixture);
    expect(button('Resume', element)).toBeTruthy();
  });

  it('asks for the slug before deleting and shows why the server refused', async () => {
    button('Delete', element).click();
    await settle(fixture);
    type(control('Type acme to confirm'), 'acme');
    await settle(fixture);
    button('Delete', document.querySelector('mat-dialog-container')!).click();
    await settle(fixture);

    const remove = backend.expectOne(BASE);
    expect(remove.request.method).toBe('DELETE');
    remove.flush(
      {
        statusCode: 409,
        code: 'TENANT_HAS_RESOURCES',
        message: 'Tenant still owns resources (VMs, disks or pending reservations): remove them first',
        correlationId: 'c1',
      },
      { status: 409, statusText: 'Conflict' },
    );
    await settle(fixture);
    expect(text(element.querySelector('[role=alert]')!)).toContain('Tenant still owns resources (VMs, disks or pending reservations): remove them first');
  });
});
