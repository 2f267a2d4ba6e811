import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { RouterLink } from '@angular/router';
import type { ChartConfiguration } from 'chart.js';
import { QUOTA_RESOURCES, type Quota, type QuotaResource } from '@contracts/quotas';
import { FINISHED_TASK_STATUSES, type Task } from '@contracts/tasks';
import type { Page } from '@contracts/tenants';
import { VM_STATES, type Vm } from '@contracts/vms';
import { auditTime, filter, merge } from 'rxjs';
import { VM_STATE_LABELS } from '../../../core/labels';
import { LiveEvents } from '../../../core/live-events';
import { ChartView } from '../../../shared/chart';
import { LoadState } from '../../../shared/load-state';
import { TaskList } from '../../../shared/task-list';
import { UsageBar } from '../../../shared/usage-bar';
import { formatQuotaAmount, QUOTA_RESOURCE_LABELS } from '../quota-labels';
import { valueOf } from '../../../shared/resource-value';

/** The most VMs one request returns; the state chart counts these. */
const VM_SAMPLE = 200;
/** Bursts of events (a task moving through its steps) cause one reload, not one each. */
const RELOAD_AFTER_MS = 500;

const STATE_COLORS: Record<string, string> = {
  running: '#2e7d32',
  off: '#9e9e9e',
  paused: '#f9a825',
  saved: '#8d6e63',
  error: '#c62828',
  missing: '#ef6c00',
};

/** The tenant at a glance: quota use, VMs by state, recent tasks; all kept live. */
@Component({
  selector: 'app-tenant-dashboard-page',
  imports: [MatCardModule, MatButtonModule, RouterLink, ChartView, LoadState, TaskList, UsageBar],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <header class="page-header"><h1>Dashboard</h1></header>
      <div class="card-grid">
        <mat-card appearance="outlined">
          <mat-card-header><mat-card-title><h2>Quota</h2></mat-card-title></mat-card-header>
          <mat-card-content>
            <app-load-state [loading]="quota.isLoading() && !quota.hasValue()" [error]="quota.error()" (retry)="quota.reload()">
              @if (valueOf(quota); as quota) {
                @for (resource of resources; track resource) {
                  <app-usage-bar
                    [label]="labels[resource]"
                    [used]="quota.usage.committed[resource]"
                    [held]="quota.usage.held[resource]"
                    [limit]="quota.limits[resource]"
                    [format]="formatters[resource]"
                  />
                }
                <p class="muted legend">Used: what your VMs take. Held: reserved by requests still running.</p>
              }
            </app-load-state>
          </mat-card-content>
        </mat-card>
        <mat-card appearance="outlined">
          <mat-card-header>
            <mat-card-title><h2>VMs by state</h2></mat-card-title>
          </mat-card-header>
          <mat-card-content>
            <app-load-state [loading]="vms.isLoading() && !vms.hasValue()" [error]="vms.error()" [empty]="valueOf(vms)?.total === 0" emptyText="No VMs yet." (retry)="vms.reload()">
              <app-chart [config]="chart()" [label]="chartLabel()" />
              <a mat-button routerLink="/vms">All VMs</a>
            </app-load-state>
          </mat-card-content>
        </mat-card>
      </div>
      <mat-card appearance="outlined">
        <mat-card-header>
          <mat-card-title><h2>Recent tasks</h2></mat-card-title>
        </mat-card-header>
        <mat-card-content>
          <app-task-list endpoint="/api/v1/tasks" [paged]="false" [filters]="false" [pageSize]="8" />
          <a mat-button routerLink="/tasks">All tasks</a>
        </mat-card-content>
      </mat-card>
    </section>
  `,
  styles: `
    h2 {
      font: var(--mat-sys-title-medium);
      margin: 0;
    }
    .legend {
      font: var(--mat-sys-body-small);
    }
  `,
})
export class TenantDashboardPage {
  protected readonly valueOf = valueOf;
  protected readonly resources = QUOTA_RESOURCES;
  protected readonly labels = QUOTA_RESOURCE_LABELS;
  protected readonly formatters = Object.fromEntries(QUOTA_RESOURCES.map((resource) => [resource, (value: number) => formatQuotaAmount(resource, value)])) as Record<
    QuotaResource,
    (value: number) => string
  >;

  protected readonly quota = httpResource<Quota>(() => '/api/v1/quota');
  protected readonly vms = httpResource<Page<Vm>>(() => ({ url: '/api/v1/vms', params: { limit: VM_SAMPLE } }));

  private readonly counts = computed(() => {
    const counts = new Map<string, number>();
    for (const vm of valueOf(this.vms)?.items ?? []) counts.set(vm.state, (counts.get(vm.state) ?? 0) + 1);
    return VM_STATES.filter((state) => counts.has(state)).map((state) => ({ state, count: counts.get(state)! }));
  });
  protected readonly chart = computed(
    (): ChartConfiguration => ({
      type: 'doughnut',
      data: {
        labels: this.counts().map(({ state }) => VM_STATE_LABELS[state]),
        datasets: [{ data: this.counts().map(({ count }) => count), backgroundColor: this.counts().map(({ state }) => STATE_COLORS[state] ?? '#1e88e5') }],
      },
      options: { plugins: { legend: { position: 'right' } } },
    }),
  );
  /** The chart in words, for screen readers. */
  protected readonly chartLabel = computed(() => 'VMs by state: ' + this.counts().map(({ state, count }) => `${count} ${VM_STATE_LABELS[state].toLowerCase()}`).join(', '));

  constructor() {
    const events = inject(LiveEvents);
    // Usage changes when VMs come and go and when a task ends (its hold is committed or released), not with every step.
    const finishedTasks = events.of<Task>('task.updated').pipe(filter((task) => FINISHED_TASK_STATUSES.includes(task.status)));
    merge(events.of('quota.updated', 'vm.created', 'vm.deleted'), finishedTasks)
      .pipe(auditTime(RELOAD_AFTER_MS), takeUntilDestroyed())
      .subscribe(() => this.quota.reload());
    events
      .of<Vm>('vm.created', 'vm.updated', 'vm.deleted')
      .pipe(auditTime(RELOAD_AFTER_MS), takeUntilDestroyed())
      .subscribe(() => this.vms.reload());
  }
}
