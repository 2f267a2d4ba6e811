import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import type { TenantRole } from '@contracts/auth';
import type { Task } from '@contracts/tasks';
import type { Vm, VmState } from '@contracts/vms';
import { button, field, settle, textOf, type } from '../testing/dom';
import { consoleFakes } from '../testing/fake-console';
import { FakeLiveEvents } from '../testing/fake-live-events';
import { tenantProviders } from '../testing/tenant-test-bed';
import { CONSOLE_SOCKET, CONSOLE_TERMINAL } from './console-terminal';
import { VmDetailPage } from './vm-detail-page';

const POWER = ['Start', 'Stop', 'Shut down', 'Restart', 'Pause', 'Resume', 'Save'];

function vm(state: VmState, changes: Partial<Vm> = {}): Vm {
  return {
    id: 'vm-1',
    name: 'web-01',
    state,
    vcpu: 2,
    memoryMiB: 4096,
    diskGiB: 40,
    imageId: 'img-1',
    imageName: 'ubuntu-24.04',
    hostName: 'hv-01',
    ipAddresses: ['10.0.0.5'],
    createdAt: '2025-01-01T00:00:00.000Z',
    lastTaskId: null,
    ...changes,
  };
}

function task(status: Task['status'], progress = 0): Task {
  return {
    id: 'task-1',
    kind: 'vm.power',
    status,
    progress,
    steps: progress ? [{ at: '2025-01-01T00:00:01.000Z', message: 'Stopping the VM' }] : [],
    error: null,
    target: { type: 'vm', id: 'vm-1', name: 'web-01' },
    tenantId: 't1',
    requestedBy: { type: 'user', email: 'owner@acme.test' },
    createdAt: '2025-01-01T00:00:00.000Z',
    startedAt: null,
    finishedAt: null,
  };
}

describe(VmDetailPage.name, () => {
  let fixture: ComponentFixture<VmDetailPage>;
  let backend: HttpTestingController;
  let events: FakeLiveEvents;
  let element: HTMLElement;

  const enabledPower = () => POWER.filter((name) => !button(element, name).disabled);

  async function open(shown: Vm, role: TenantRole = 'member') {
    events = new FakeLiveEvents();
    const fakes = consoleFakes();
    TestBed.configureTestingModule({
      providers: [...tenantProviders(events, role), { provide: CONSOLE_SOCKET, useValue: fakes.openSocket }, { provide: CONSOLE_TERMINAL, useValue: fakes.createTerminal }],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(VmDetailPage);
    element = fixture.nativeElement;
    fixture.componentRef.setInput('id', shown.id);
    await settle();
    backend.expectOne('/api/v1/vms/vm-1').flush(shown);
    await settle();
    return fakes;
  }

  afterEach(() => {
    document.querySelectorAll('.cdk-overlay-container').forEach((overlay) => (overlay.innerHTML = ''));
    backend.verify();
  });

  it('shows the VM under its name with its specs, host, addresses and tabs', async () => {
    await open(vm('running'));
    expect(textOf(element.querySelector('h1'))).toBe('web-01');
    expect(textOf(element)).toContain('hv-01');
    expect(textOf(element)).toContain('10.0.0.5');
    expect(textOf(element)).toContain('4 GiB');
    expect(Array.from(element.querySelectorAll('[role=tab]')).map(textOf)).toEqual(['Overview', 'Tasks', 'Console']);
  });

  it('enables only the power actions that apply to the state, and follows live state changes', async () => {
    await open(vm('running'));
    expect(enabledPower()).toEqual(['Stop', 'Shut down', 'Restart', 'Pause', 'Save']);

    events.emit('vm.updated', vm('paused'));
    await settle();
    expect(enabledPower()).toEqual(['Stop', 'Resume', 'Save']);

    events.emit('vm.updated', vm('off'));
    await settle();
    expect(enabledPower()).toEqual(['Start']);
    expect(textOf(element.querySelector('app-state-chip'))).toBe('off');

    // Another VM's events change nothing here.
    events.emit('vm.updated', vm('running', { id: 'vm-2' }));
    await settle();
    expect(enabledPower()).toEqual(['Start']);
  });

  it('sends a power action, shows its task progress and waits for the task before the next action', async () => {
    await open(vm('running'));
    button(element, 'Stop').click();
    await settle();
    const power = backend.expectOne({ method: 'POST', url: '/api/v1/vms/vm-1/power' });
    expect(power.request.body).toEqual({ action: 'stop' });
    power.flush({ vm: vm('stopping'), task: task('queued') }, { status: 202, statusText: 'Accepted' });
    await settle();
    expect(enabledPower()).toEqual([]);

    events.emit('task.updated', task('running', 40));
    await settle();
    expect(textOf(element.querySelector('app-vm-task-progress [role=status]'))).toContain('Power VM web-01: 40%');
    expect(textOf(element.querySelector('app-vm-task-progress'))).toContain('Stopping the VM');

    events.emit('task.updated', task('succeeded', 100));
    events.emit('vm.updated', vm('off'));
    await settle();
    expect(element.querySelector('app-vm-task-progress [role=status]')).toBeNull();
    expect(enabledPower()).toEqual(['Start']);
  });

  it("shows the server's refusal of an action", async () => {
    await open(vm('running'));
    button(element, 'Restart').click();
    await settle();
    backend
      .expectOne('/api/v1/vms/vm-1/power')
      .flush({ statusCode: 409, code: 'VM_BUSY', message: "VM 'web-01' is busy with another task", correlationId: 'c' }, { status: 409, statusText: 'Conflict' });
    await settle();
    expect(textOf(document.querySelector('.cdk-overlay-container'))).toContain("VM 'web-01' is busy with another task");
  });

  it('disables every action for a viewer', async () => {
    await open(vm('running'), 'viewer');
    expect(enabledPower()).toEqual([]);
    expect(['Edit', 'Clone', 'Delete'].filter((name) => !button(element, name).disabled)).toEqual([]);
  });

  it('deletes only once the name is typed in the confirmation, then goes back to the list', async () => {
    await open(vm('running'));
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    button(element, 'Delete').click();
    await settle();
    const dialog = document.querySelector('mat-dialog-container')!;
    expect(textOf(dialog)).toContain('Delete web-01?');
    const confirmDelete = button(dialog, 'Delete VM');
    expect(confirmDelete.disabled).toBe(true);
    type(field(dialog, 'Type web-01 to confirm'), 'web-0');
    await settle();
    expect(confirmDelete.disabled).toBe(true);
    type(field(dialog, 'Type web-01 to confirm'), 'web-01');
    await settle();
    expect(confirmDelete.disabled).toBe(false);
    confirmDelete.click();
    await settle();

    backend.expectOne({ method: 'DELETE', url: '/api/v1/vms/vm-1' }).flush({ vm: vm('deleting'), task: { ...task('queued'), kind: 'vm.delete' } }, { status: 202, statusText: 'Accepted' });
    await settle();
    expect(navigate).toHaveBeenCalledWith(['/vms']);
  });

  it('edits with restart when asked and shows VM_MUST_BE_OFF otherwise', async () => {
    await open(vm('running'));
    button(element, 'Edit').click();
    await settle();
    const dialog = document.querySelector('mat-dialog-container')!;
    expect(button(dialog, 'Apply').disabled).toBe(true);
    type(field(dialog, 'vCPU'), 4);
    type(field(dialog, 'Disk (GiB)'), 30);
    await settle();
    // Disks only grow.
    expect(button(dialog, 'Apply').disabled).toBe(true);
    type(field(dialog, 'Disk (GiB)'), 60);
    await settle();
    button(dialog, 'Apply').click();
    await settle();
    const refused = backend.expectOne({ method: 'PATCH', url: '/api/v1/vms/vm-1' });
    expect(refused.request.body).toEqual({ vcpu: 4, diskGiB: 60 });
    refused.flush(
      { statusCode: 409, code: 'VM_MUST_BE_OFF', message: "VM 'web-01' is running: turn it off or pass restart", correlationId: 'c' },
      { status: 409, statusText: 'Conflict' },
    );
    await settle();
    expect(textOf(dialog.querySelector('[role=alert]'))).toBe("VM 'web-01' is running: turn it off or pass restart");

    (Array.from(dialog.querySelectorAll('mat-checkbox')).find((box) => textOf(box) === 'Restart if needed')!.querySelector('input') as HTMLInputElement).click();
    await settle();
    button(dialog, 'Apply').click();
    await settle();
    const accepted = backend.expectOne({ method: 'PATCH', url: '/api/v1/vms/vm-1' });
    expect(accepted.request.body).toEqual({ vcpu: 4, diskGiB: 60, restart: true });
    accepted.flush({ vm: vm('stopping'), task: { ...task('queued'), kind: 'vm.edit' } }, { status: 202, statusText: 'Accepted' });
    await settle();
    expect(document.querySelector('mat-dialog-container')).toBeNull();
    expect(textOf(element.querySelector('app-vm-task-progress'))).toContain('Edit VM web-01: waiting to start');
  });

  it('opens the console when its tab is chosen and closes it when leaving the tab', async () => {
    const fakes = await open(vm('running'));
    const tabs = Array.from(element.querySelectorAll<HTMLElement>('[role=tab]'));
    tabs[2].click();
    await settle();
    backend.expectOne({ method: 'POST', url: '/api/v1/vms/vm-1/console' }).flush({ ticket: 't-1', url: '/ws/console?ticket=t-1', expiresAt: '2030-01-01T00:00:00Z' });
    await settle();
    expect(fakes.sockets).toHaveLength(1);

    tabs[0].click();
    await settle();
    expect(fakes.sockets[0].closedWith).toBe(1000);
    expect(fakes.terminals[0].disposed).toBe(true);
  });
});
