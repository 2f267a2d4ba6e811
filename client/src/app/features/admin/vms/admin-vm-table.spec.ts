import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import type { AdminVm } from '@contracts/vms';
import { button, control, settle, setUpAdminTest, text, type } from '../testing/admin-testing';
import { AdminVmTable } from './admin-vm-table';

const WEB: AdminVm = {
  id: '65f0000000000000000000c1',
  name: 'web-01',
  state: 'running',
  vcpu: 2,
  memoryMiB: 2048,
  diskGiB: 20,
  imageId: null,
  imageName: null,
  hostName: 'hv-01',
  ipAddresses: ['10.0.0.7'],
  createdAt: '2026-02-01T00:00:00.000Z',
  lastTaskId: null,
  tenantId: '65f000000000000000000001',
  hostId: '65f0000000000000000000a1',
  hypervisorId: null,
};

describe(AdminVmTable.name, () => {
  let backend: HttpTestingController;
  let fixture: ComponentFixture<AdminVmTable>;
  let element: HTMLElement;

  beforeEach(async () => {
    backend = setUpAdminTest();
    fixture = TestBed.createComponent(AdminVmTable);
    fixture.componentRef.setInput('hostId', WEB.hostId);
    fixture.componentRef.setInput('showTenant', false);
    element = fixture.nativeElement;
    await settle(fixture);
    const list = backend.expectOne((request) => request.url === '/api/v1/admin/vms');
    expect(list.request.params.get('hostId')).toBe(WEB.hostId);
    expect(list.request.params.has('tenantId')).toBe(false);
    list.flush({ items: [WEB], total: 1 });
    await settle(fixture);
  });

  afterEach(() => backend.verify());

  async function openMenu(): Promise<void> {
    button('Actions for web-01', element).click();
    await settle(fixture);
  }

  it('offers only the power actions that apply to the VM state', async () => {
    expect(text(element)).toContain('2 vCPU · 2 GiB · 20 GiB');
    await openMenu();
    expect(button('Start').disabled).toBe(true);
    expect(button('Shut down').disabled).toBe(false);
    expect(button('Restart').disabled).toBe(false);
    expect(button('Stop').disabled).toBe(false);
  });

  it("posts the power action and shows the server's refusal (VM_BUSY)", async () => {
    await openMenu();
    button('Restart').click();
    await settle(fixture);

    const power = backend.expectOne(`/api/v1/admin/vms/${WEB.id}/power`);
    expect(power.request.method).toBe('POST');
    expect(power.request.body).toEqual({ action: 'restart' });
    power.flush(
      { statusCode: 409, code: 'VM_BUSY', message: "VM 'web-01' is busy with task 65f1; try again when it ends", correlationId: 'c1' },
      { status: 409, statusText: 'Conflict' },
    );
    await settle(fixture);
    expect(text(document.body)).toContain("VM 'web-01' is busy with task 65f1; try again when it ends");
  });

  it('deletes only once the VM name is typed to confirm', async () => {
    await openMenu();
    button('Delete').click();
    await settle(fixture);

    const confirmButton = () => button('Delete', document.querySelector('mat-dialog-container')!);
    expect(confirmButton().disabled).toBe(true);
    type(control('Type web-01 to confirm'), 'web-01');
    await settle(fixture);
    confirmButton().click();
    await settle(fixture);

    const remove = backend.expectOne(`/api/v1/admin/vms/${WEB.id}`);
    expect(remove.request.method).toBe('DELETE');
    remove.flush({ vm: { ...WEB, state: 'deleting' }, task: { id: 't1' } });
    await settle(fixture);
    expect(text(document.body)).toContain('Deleting web-01');
  });
});
