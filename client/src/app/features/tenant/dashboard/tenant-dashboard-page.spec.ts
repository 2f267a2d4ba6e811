import { HttpTestingController } from '@angular/common/http/testing';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import type { ChartConfiguration } from 'chart.js';
import type { Quota } from '@contracts/quotas';
import { settle, sleep, textOf } from '../testing/dom';
import { FakeLiveEvents } from '../testing/fake-live-events';
import { ChartView } from '../../../shared/chart';
import { tenantProviders } from '../testing/tenant-test-bed';
import { TenantDashboardPage } from './tenant-dashboard-page';

/** Chart.js needs a canvas context, which jsdom lacks; this shows the chart's data as text instead. */
@Component({
  selector: 'app-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<canvas role="img" [attr.aria-label]="label()"></canvas><span class="data">{{ config().data.datasets[0]?.data?.join(',') }}</span>`,
})
class FakeChart {
  readonly config = input.required<ChartConfiguration>();
  readonly label = input('');
}

const QUOTA: Quota = {
  limits: { vcpu: 8, memoryMiB: 16384, storageGiB: 200, vms: 5 },
  usage: { committed: { vcpu: 2, memoryMiB: 4096, storageGiB: 40, vms: 1 }, held: { vcpu: 2, memoryMiB: 2048, storageGiB: 20, vms: 1 } },
};

describe(TenantDashboardPage.name, () => {
  let fixture: ComponentFixture<TenantDashboardPage>;
  let backend: HttpTestingController;
  let events: FakeLiveEvents;
  let element: HTMLElement;

  const meter = (label: string) => element.querySelector(`[role=meter][aria-label="${label}"]`);

  beforeEach(async () => {
    events = new FakeLiveEvents();
    TestBed.configureTestingModule({ providers: tenantProviders(events) });
    TestBed.overrideComponent(TenantDashboardPage, { remove: { imports: [ChartView] }, add: { imports: [FakeChart] } });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(TenantDashboardPage);
    element = fixture.nativeElement;
    await settle();
    backend.expectOne('/api/v1/quota').flush(QUOTA);
    backend.expectOne((request) => request.url === '/api/v1/vms').flush({
      items: [
        { id: 'a', state: 'running' },
        { id: 'b', state: 'running' },
        { id: 'c', state: 'off' },
      ],
      total: 3,
    });
    const tasks = backend.expectOne((request) => request.url === '/api/v1/tasks');
    expect(tasks.request.params.get('limit')).toBe('8');
    tasks.flush({ items: [], total: 0 });
    await settle();
  });

  afterEach(() => backend.verify());

  it('shows used, held and limit for each quota resource with its unit', () => {
    expect(meter('vCPU')?.getAttribute('aria-valuemax')).toBe('8');
    expect(meter('Memory')?.getAttribute('aria-valuenow')).toBe('6144');
    expect(meter('Storage')).toBeTruthy();
    expect(meter('VMs')).toBeTruthy();
    expect(textOf(element)).toContain('4 GiB used · 2 GiB held · 16 GiB limit');
    expect(textOf(element)).toContain('40 GiB used · 20 GiB held · 200 GiB limit');
  });

  it('counts VMs by state and follows live events', async () => {
    expect(element.querySelector('app-chart canvas')?.getAttribute('aria-label')).toBe('VMs by state: 2 running, 1 off');
    expect(textOf(element.querySelector('app-chart .data'))).toBe('2,1');
    events.emit('vm.deleted', { id: 'c', state: 'off' });
    await sleep(550);
    await settle();
    backend.expectOne('/api/v1/quota').flush({ ...QUOTA, usage: { ...QUOTA.usage, committed: { ...QUOTA.usage.committed, vcpu: 1 } } });
    backend.expectOne((request) => request.url === '/api/v1/vms').flush({ items: [{ id: 'a', state: 'running' }], total: 1 });
    await settle();
    expect(element.querySelector('app-chart canvas')?.getAttribute('aria-label')).toBe('VMs by state: 1 running');
    expect(textOf(element)).toContain('1 used · 2 held · 8 limit');
  });

  it('reloads the quota when a task ends, not at each of its steps', async () => {
    const running = { id: 'task-1', status: 'running', progress: 50, steps: [], target: { id: 'a', name: 'web-01' }, kind: 'vm.create', requestedBy: { type: 'user', email: null } };
    events.emit('task.updated', running);
    await sleep(550);
    await settle();
    backend.expectNone('/api/v1/quota');
    // The recent tasks list reloads for a task it does not show yet.
    backend.expectOne((request) => request.url === '/api/v1/tasks').flush({ items: [running], total: 1 });
    await settle();

    events.emit('task.updated', { ...running, status: 'succeeded', progress: 100 });
    await sleep(550);
    await settle();
    backend.expectOne('/api/v1/quota').flush(QUOTA);
    await settle();
  });
});
