import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import type { Host } from '@contracts/hosts';
import { button, settle, setUpAdminTest, text, type } from '../testing/admin-testing';
import { HostDetailPage } from './host-detail-page';

const HOST: Host = {
  id: '65f0000000000000000000a1',
  name: 'hv-01',
  status: 'online',
  maintenance: false,
  lastHeartbeatAt: '2026-03-01T10:00:00.000Z',
  agentVersion: '1.0.0',
  driver: 'sim',
  facts: { hostname: 'HV-01', os: 'Windows Server 2022', hypervVersion: '10.0', cpuCores: 8, memoryMiB: 65536, freeMemoryMiB: 32768, datastores: [] },
  capacity: { cpuCores: 8, memoryMiB: 65536, freeMemoryMiB: 32768, storage: [{ name: 'D', totalGiB: 1000, freeGiB: 400 }] },
  vmCount: 3,
  createdAt: '2026-01-01T00:00:00.000Z',
};
const BASE = `/api/v1/admin/hosts/${HOST.id}`;

describe(HostDetailPage.name, () => {
  let backend: HttpTestingController;
  let fixture: ComponentFixture<HostDetailPage>;
  let element: HTMLElement;

  beforeEach(async () => {
    backend = setUpAdminTest();
    fixture = TestBed.createComponent(HostDetailPage);
    fixture.componentRef.setInput('id', HOST.id);
    element = fixture.nativeElement;
    await settle(fixture);
    backend.expectOne(BASE).flush(HOST);
    backend
      .expectOne(`${BASE}/inventory`)
      .flush(
        {
          reportedAt: '2026-03-01T10:00:00.000Z',
          vms: [
            { hypervisorId: 'g1', name: 'web-01', openhvxVmId: 'v1', state: 'running', generation: 2, vcpu: 4, memoryMiB: 8192, uptimeSeconds: 1, disks: [{ path: 'D:\\web.vhdx', sizeGiB: 40, usedGiB: 10 }], nics: [] },
            { hypervisorId: 'g2', name: 'legacy', state: 'off', generation: 1, vcpu: 2, memoryMiB: 4096, uptimeSeconds: 0, disks: [], nics: [] },
          ],
          switches: [{ name: 'External', type: 'external' }],
          images: [{ fileName: 'ubuntu-24.04.vhdx', sizeGiB: 3.5 }],
        },
      );
    await settle(fixture);
    backend.expectOne((request) => request.url === '/api/v1/admin/vms' && request.params.get('hostId') === HOST.id).flush({ items: [], total: 0 });
    // The managed VMs' table names their tenants.
    backend.expectOne((request) => request.url === '/api/v1/admin/tenants').flush({ items: [], total: 0 });
    await settle(fixture);
  });

  afterEach(() => backend.verify());

  it('shows what the host has against what its VMs take, and its inventory', () => {
    expect(element.querySelector('h1')?.textContent).toBe('hv-01');
    expect(text(element)).toContain('vCPUs allocated to VMs');
    expect(text(element)).toContain('6 cores of 8 cores (75%)');
    expect(text(element)).toContain('12 GiB of 64 GiB (19%)');
    expect(text(element)).toContain('600 GiB of 1000 GiB (60%)');
    expect(text(element)).toContain('legacy');
    expect(text(element)).toContain('External (external)');
    expect(text(element)).toContain('ubuntu-24.04.vhdx');
  });

  it('switches maintenance on with a PATCH', async () => {
    const toggle = element.querySelector<HTMLButtonElement>('mat-slide-toggle button[role=switch]')!;
    expect(text(element.querySelector('mat-slide-toggle')!)).toContain('Maintenance');
    toggle.click();
    await settle(fixture);

    const patch = backend.expectOne(BASE);
    expect(patch.request.method).toBe('PATCH');
    expect(patch.request.body).toEqual({ maintenance: true });
    patch.flush({ ...HOST, maintenance: true, status: 'maintenance' });
    await settle(fixture);
    expect(text(element)).toContain('In maintenance: the host keeps its VMs but receives no new ones.');
  });

  it('offers to force the removal when the host still runs managed VMs', async () => {
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    button('Remove', element).click();
    await settle(fixture);
    button('Remove', document.querySelector('mat-dialog-container')!).click();
    await settle(fixture);

    const refused = backend.expectOne(BASE);
    expect(refused.request.method).toBe('DELETE');
    expect(refused.request.params.has('force')).toBe(false);
    refused.flush(
      { statusCode: 409, code: 'HOST_HAS_VMS', message: "Host 'hv-01' still runs 1 managed VM(s); move or delete them first, or pass force=true", correlationId: 'c1' },
      { status: 409, statusText: 'Conflict' },
    );
    await settle(fixture);

    const dialog = document.querySelector('mat-dialog-container')!;
    expect(text(dialog)).toContain("Host 'hv-01' still runs 1 managed VM(s)");
    type(dialog.querySelector('input')!, 'hv-01');
    await settle(fixture);
    button('Remove anyway', dialog).click();
    await settle(fixture);

    const forced = backend.expectOne((request) => request.url === BASE && request.params.get('force') === 'true');
    expect(forced.request.method).toBe('DELETE');
    forced.flush(null, { status: 204, statusText: 'No Content' });
    await settle(fixture);
    expect(navigate).toHaveBeenCalledWith('/admin/hosts');
  });
});
