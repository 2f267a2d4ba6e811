import { HttpClient, httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, resource } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatCardModule } from '@angular/material/card';
import { RouterLink } from '@angular/router';
import { HOST_STATUSES, HostPage } from '@contracts/hosts';
import type { Page, Tenant } from '@contracts/tenants';
import { AdminVmPage, VM_STATES } from '@contracts/vms';
import { auditTime, firstValueFrom, merge } from 'rxjs';
import { LiveEvents } from '../../../core/live-events';
import { LoadState } from '../../../shared/load-state';
import { TaskList } from '../../../shared/task-list';
import { hostRefresh } from '../hosts/host-refresh';
import { HostCapacityCharts } from './host-capacity-charts';
import { VmStateChart } from './vm-state-chart';
import { valueOf } from '../../../shared/resource-value';

/** The platform at a glance: tenants, hosts by status, VMs by state, capacity per host, recent tasks. */
@Component({
  selector: 'app-admin-dashboard-page',
  imports: [MatCardModule, RouterLink, LoadState, TaskList, VmStateChart, HostCapacityCharts],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <header class="page-header"><h1>Dashboard</h1></header>
      <div class="card-grid">
        <mat-card appearance="outlined">
          <mat-card-header><h2 mat-card-title><a routerLink="/admin/tenants">Tenants</a></h2></mat-card-header>
          <mat-card-content>
            <app-load-state [loading]="tenants.isLoading() && !tenants.hasValue()" [error]="tenants.error()" (retry)="tenants.reload()">
              <p class="figure">{{ valueOf(tenants)?.total ?? '—' }}</p>
            </app-load-state>
          </mat-card-content>
        </mat-card>
        <mat-card appearance="outlined">
          <mat-card-header><h2 mat-card-title><a routerLink="/admin/hosts">Hosts</a></h2></mat-card-header>
          <mat-card-content>
            <app-load-state [loading]="hosts.isLoading() && !hosts.hasValue()" [error]="hosts.error()" (retry)="hosts.reload()">
              <p class="figure">{{ valueOf(hosts)?.total ?? '—' }}</p>
              <ul class="breakdown" aria-label="Hosts by status">
                @for (entry of hostCounts(); track entry.status) {
                  <li><span class="count">{{ entry.count }}</span> {{ entry.status }}</li>
                }
              </ul>
            </app-load-state>
          </mat-card-content>
        </mat-card>
        <mat-card appearance="outlined">
          <mat-card-header><h2 mat-card-title><a routerLink="/admin/vms">VMs</a></h2></mat-card-header>
          <mat-card-content>
            <app-load-state [loading]="vmCounts.isLoading() && !vmCounts.hasValue()" [error]="vmCounts.error()" (retry)="vmCounts.reload()">
              <p class="figure">{{ vmTotal() ?? '—' }}</p>
              @if (valueOf(vmCounts); as counts) {
                <app-vm-state-chart [counts]="counts" />
              }
            </app-load-state>
          </mat-card-content>
        </mat-card>
      </div>
      <mat-card appearance="outlined" class="section">
        <mat-card-header><h2 mat-card-title>Capacity per host</h2></mat-card-header>
        <mat-card-content>
          <app-load-state [loading]="hosts.isLoading() && !hosts.hasValue()" [error]="hosts.error()" (retry)="hosts.reload()">
            <app-host-capacity-charts [hosts]="valueOf(hosts)?.items ?? []" />
          </app-load-state>
        </mat-card-content>
      </mat-card>
      <mat-card appearance="outlined" class="section">
        <mat-card-header><h2 mat-card-title><a routerLink="/admin/tasks">Recent tasks</a></h2></mat-card-header>
        <mat-card-content>
          <app-task-list endpoint="/api/v1/admin/tasks" [paged]="false" [filters]="false" [pageSize]="8" />
        </mat-card-content>
      </mat-card>
    </section>
  `,
  styles: `
    .card-grid {
      align-items: start;
    }
    .figure {
      font: var(--mat-sys-display-small);
      margin: 8px 0;
    }
    .breakdown {
      list-style: none;
      padding: 0;
      margin: 0;
      display: flex;
      gap: 16px;
      flex-wrap: wrap;
      text-transform: capitalize;
    }
    .count {
      font: var(--mat-sys-title-medium);
    }
    .section {
      margin-bottom: 24px;
    }
    h2 a {
      color: inherit;
      text-decoration: none;
    }
  `,
})
export class AdminDashboardPage {
  protected readonly valueOf = valueOf;
  private readonly http = inject(HttpClient);
  protected readonly tenants = httpResource<Page<Tenant>>(() => ({ url: '/api/v1/admin/tenants', params: { limit: 1 } }));
  protected readonly hosts = httpResource<HostPage>(() => ({ url: '/api/v1/admin/hosts', params: { limit: 200 } }));
  /** One count per state: the API counts for us, however many VMs there are. */
  protected readonly vmCounts = resource({
    loader: () =>
      Promise.all(
        VM_STATES.map(async (state) => {
          const page = await firstValueFrom(this.http.get<AdminVmPage>('/api/v1/admin/vms', { params: { limit: 1, state } }));
          return [state, page.total] as const;
        }),
      ),
  });
  protected readonly vmTotal = computed(() => valueOf(this.vmCounts)?.reduce((sum, [, count]) => sum + count, 0));
  protected readonly hostCounts = computed(() => {
    const hosts = valueOf(this.hosts)?.items ?? [];
    return HOST_STATUSES.map((status) => ({ status, count: hosts.filter((host) => host.status === status).length }));
  });

  constructor() {
    const events = inject(LiveEvents);
    // A VM made or removed changes the hosts' VM counts and inventories as well as the state counts.
    const vmsChanged = events.of('vm.created', 'vm.deleted');
    merge(hostRefresh(events), vmsChanged.pipe(auditTime(2_000)))
      .pipe(takeUntilDestroyed())
      .subscribe(() => this.hosts.reload());
    merge(vmsChanged, events.of('vm.updated'))
      .pipe(auditTime(3_000), takeUntilDestroyed())
      .subscribe(() => this.vmCounts.reload());
  }
}
