import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import type { TenantRole } from '@contracts/auth';
import type { Vm } from '@contracts/vms';
import { button, settle, textOf } from '../testing/dom';
import { FakeLiveEvents } from '../testing/fake-live-events';
import { tenantProviders } from '../testing/tenant-test-bed';
import { VmListPage } from './vm-list-page';

const WEB: Vm = {
  id: 'vm-1',
  name: 'web-01',
  state: 'off',
  vcpu: 2,
  memoryMiB: 4096,
  diskGiB: 40,
  imageId: 'img-1',
  imageName: 'ubuntu-24.04',
  hostName: 'hv-01',
  ipAddresses: ['10.0.0.5', 'fe80::1'],
  createdAt: '2025-01-01T00:00:00.000Z',
  lastTaskId: null,
};

describe(VmListPage.name, () => {
  let fixture: ComponentFixture<VmListPage>;
  let backend: HttpTestingController;
  let events: FakeLiveEvents;
  let element: HTMLElement;

  async function open(items: Vm[], role: TenantRole = 'member') {
    events = new FakeLiveEvents();
    TestBed.configureTestingModule({ providers: tenantProviders(events, role) });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(VmListPage);
    element = fixture.nativeElement;
    await settle();
    backend.expectOne((request) => request.url === '/api/v1/vms').flush({ items, total: items.length });
    await settle();
  }

  afterEach(() => backend.verify());

  it('lists each VM with its state, size and addresses', async () => {
    await open([WEB]);
    const row = textOf(element.querySelector('tr[mat-row]'));
    expect(row).toContain('web-01');
    expect(row).toContain('off');
    expect(row).toContain('2 vCPU · 4 GiB · 40 GiB disk');
    expect(row).toContain('10.0.0.5, fe80::1');
  });

  it('shows the server\'s message and a retry when the list cannot be loaded', async () => {
    events = new FakeLiveEvents();
    TestBed.configureTestingModule({ providers: tenantProviders(events, 'member') });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(VmListPage);
    element = fixture.nativeElement;
    await settle();
    backend.expectOne((request) => request.url === '/api/v1/vms').flush({ statusCode: 503, code: 'SERVICE_UNAVAILABLE', message: 'MongoDB is not reachable' }, { status: 503, statusText: 'Service Unavailable' });
    await settle();
    expect(textOf(element.querySelector('[role=alert]'))).toContain('MongoDB is not reachable');
    button(element, 'Try again').click();
    await settle();
    backend.expectOne((request) => request.url === '/api/v1/vms').flush({ items: [WEB], total: 1 });
    await settle();
    expect(textOf(element.querySelector('tr[mat-row]'))).toContain('web-01');
  });

  it('says so when there are no VMs', async () => {
    await open([]);
    expect(textOf(element)).toContain('No VMs yet.');
  });

  it('starts a VM from its row and follows its state live', async () => {
    await open([WEB]);
    expect(button(element, 'Stop web-01').disabled).toBe(true);
    button(element, 'Start web-01').click();
    await settle();
    const power = backend.expectOne({ method: 'POST', url: '/api/v1/vms/vm-1/power' });
    expect(power.request.body).toEqual({ action: 'start' });
    power.flush({ vm: { ...WEB, state: 'starting' }, task: {} }, { status: 202, statusText: 'Accepted' });
    await settle();
    expect(button(element, 'Start web-01').disabled).toBe(true);
    events.emit('vm.updated', { ...WEB, state: 'running' });
    await settle();
    expect(textOf(element.querySelector('app-state-chip'))).toBe('running');
    expect(button(element, 'Stop web-01').disabled).toBe(false);
  });

  it('opens the create wizard, except for viewers', async () => {
    await open([WEB]);
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    button(element, 'Create VM').click();
    expect(navigate).toHaveBeenCalledWith(['/vms/new']);
  });

  it('disables every action for a viewer', async () => {
    await open([{ ...WEB, state: 'running' }], 'viewer');
    expect(button(element, 'Create VM').disabled).toBe(true);
    expect(button(element, 'Stop web-01').disabled).toBe(true);
  });
});
