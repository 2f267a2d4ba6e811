import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import type { Tenant } from '@contracts/tenants';
import type { UnmanagedVm } from '@contracts/vms';
import { button, control, settle, setUpAdminTest, text, type } from '../testing/admin-testing';
import { AdoptDialog } from './adopt-dialog';

const VM: UnmanagedVm = {
  id: '0b5c9c1e-5a7e-4f3b-9d1a-2f6c3e4d5a6b',
  hostId: '65f0000000000000000000a1',
  hostName: 'hv-01',
  name: 'legacy-db',
  state: 'running',
  vcpu: 4,
  memoryMiB: 8192,
  diskGiB: 80,
  ipAddresses: ['10.0.0.5'],
};
const ACME: Tenant = {
  id: '65f000000000000000000001',
  slug: 'acme',
  name: 'Acme Corp',
  status: 'active',
  limits: { vcpu: 2, memoryMiB: 4096, storageGiB: 50, vms: 1 },
  createdAt: '2026-01-02T03:04:05.000Z',
};

describe(AdoptDialog.name, () => {
  let backend: HttpTestingController;
  let fixture: ComponentFixture<AdoptDialog>;
  let element: HTMLElement;
  let close: ReturnType<typeof vi.fn>;

  beforeEach(async () => {
    close = vi.fn();
    backend = setUpAdminTest([
      { provide: MAT_DIALOG_DATA, useValue: VM },
      { provide: MatDialogRef, useValue: { close } },
    ]);
    fixture = TestBed.createComponent(AdoptDialog);
    element = fixture.nativeElement;
    await settle(fixture);
  });

  afterEach(() => backend.verify());

  /** Types part of the tenant's name, answers the search and picks the tenant from the suggestions. */
  async function chooseAcme(): Promise<void> {
    const tenant = control('Tenant', element);
    tenant.dispatchEvent(new FocusEvent('focus'));
    await settle(fixture);
    backend.expectOne((request) => request.url === '/api/v1/admin/tenants' && !request.params.has('q')).flush({ items: [], total: 0 });
    type(tenant, 'ac');
    await settle(fixture, 300);
    const search = backend.expectOne((request) => request.url === '/api/v1/admin/tenants' && request.params.get('q') === 'ac');
    search.flush({ items: [ACME], total: 1 });
    await settle(fixture);
    const option = Array.from(document.querySelectorAll<HTMLElement>('mat-option')).find((candidate) => text(candidate).includes('Acme Corp (acme)'));
    expect(option).toBeDefined();
    option!.click();
    await settle(fixture);
    expect(tenant.value).toBe('Acme Corp');
  }

  it('adopts into the chosen tenant, forced past its quota when asked, and closes with the task', async () => {
    expect(button('Adopt', element).disabled).toBe(true);
    await chooseAcme();
    (control('Force (ignore quota)', element) as HTMLInputElement).click();
    await settle(fixture);
    button('Adopt', element).click();
    await settle(fixture);

    const adopt = backend.expectOne(`/api/v1/admin/unmanaged-vms/${VM.id}/adopt`);
    expect(adopt.request.method).toBe('POST');
    expect(adopt.request.body).toEqual({ tenantId: ACME.id, force: true });
    const answer = { vm: { id: 'vm1', name: VM.name }, task: { id: 'task1' } };
    adopt.flush(answer);
    await settle(fixture);
    expect(close).toHaveBeenCalledWith(answer);
  });

  it("shows the server's refusal when the VM does not fit the tenant's quota", async () => {
    await chooseAcme();
    button('Adopt', element).click();
    await settle(fixture);

    const adopt = backend.expectOne(`/api/v1/admin/unmanaged-vms/${VM.id}/adopt`);
    expect(adopt.request.body).toEqual({ tenantId: ACME.id, force: false });
    adopt.flush(
      { statusCode: 422, code: 'QUOTA_EXCEEDED', message: 'vCPU limit 2 reached: 0 used, 4 requested', correlationId: 'c1' },
      { status: 422, statusText: 'Unprocessable Entity' },
    );
    await settle(fixture);

    expect(text(element.querySelector('[role=alert]')!)).toContain('vCPU limit 2 reached: 0 used, 4 requested');
    expect(close).not.toHaveBeenCalled();
  });
});
