import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import type { QuotaHistory, QuotaLimits, QuotaResource } from '@contracts/quotas';
import type { ChartConfiguration } from 'chart.js';
import { formatMiB } from '../../../core/labels';
import { LiveEvents } from '../../../core/live-events';
import { ChartView } from '../../../shared/chart';
import { LoadState } from '../../../shared/load-state';
import { quotaChanges } from './quota-changes';
import { valueOf } from '../../../shared/resource-value';

const RESOURCES: readonly { resource: QuotaResource; label: string; format: (value: number) => string }[] = [
  { resource: 'vcpu', label: 'vCPU', format: String },
  { resource: 'memoryMiB', label: 'Memory', format: formatMiB },
  { resource: 'storageGiB', label: 'Storage', format: (value) => `${value} GiB` },
  { resource: 'vms', label: 'VMs', format: String },
];

const PERIODS: readonly { hours: number; label: string }[] = [
  { hours: 24, label: 'Last 24 hours' },
  { hours: 24 * 7, label: 'Last 7 days' },
  { hours: 24 * 30, label: 'Last 30 days' },
];

/** Committed and held usage of one resource over a period, as steps (usage stays put until the next point). */
@Component({
  selector: 'app-tenant-usage-history',
  imports: [MatCardModule, MatFormFieldModule, MatSelectModule, ChartView, LoadState],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined">
      <mat-card-header><h2 mat-card-title>Usage history</h2></mat-card-header>
      <mat-card-content>
        <div class="controls">
          <mat-form-field subscriptSizing="dynamic">
            <mat-label>Resource</mat-label>
            <mat-select [value]="resource()" (valueChange)="resource.set($event)">
              @for (option of resources; track option.resource) {
                <mat-option [value]="option.resource">{{ option.label }}</mat-option>
              }
            </mat-select>
          </mat-form-field>
          <mat-form-field subscriptSizing="dynamic">
            <mat-label>Period</mat-label>
            <mat-select [value]="hours()" (valueChange)="period($event)">
              @for (option of periods; track option.hours) {
                <mat-option [value]="option.hours">{{ option.label }}</mat-option>
              }
            </mat-select>
          </mat-form-field>
        </div>
        <app-load-state [loading]="history.isLoading()" [error]="history.error()" [empty]="valueOf(history)?.points?.length === 0" emptyText="No usage recorded in this period." (retry)="history.reload()">
          <!-- Only with points: content projected into app-load-state exists even while hidden, and a chart needs its canvas shown. -->
          @if (valueOf(history)?.points?.length) {
            <app-chart [config]="chart()" [label]="selected().label + ' usage over time'" />
          }
        </app-load-state>
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .controls {
      display: flex;
      gap: 16px;
      flex-wrap: wrap;
      margin-bottom: 16px;
    }
  `,
})
export class TenantUsageHistory {
  readonly tenantId = input.required<string>();
  /** Drawn as a line when given. */
  readonly limits = input<QuotaLimits | null>(null);

  protected readonly valueOf = valueOf;
  protected readonly resources = RESOURCES;
  protected readonly periods = PERIODS;
  protected readonly resource = signal<QuotaResource>('vcpu');
  protected readonly hours = signal(24);
  protected readonly selected = computed(() => RESOURCES.find((option) => option.resource === this.resource()) ?? RESOURCES[0]);
  /** Where the period starts; it ends now (the server's default), so a reload brings the latest usage. */
  private readonly from = signal(hoursAgo(24));
  protected readonly history = httpResource<QuotaHistory>(() => ({
    url: `/api/v1/admin/tenants/${this.tenantId()}/quota/history`,
    params: { from: this.from() },
  }));
  protected readonly chart = computed<ChartConfiguration>(() => {
    const resource = this.resource();
    const points = valueOf(this.history)?.points ?? [];
    // The last step lasts until now (this runs again with each reload).
    const steps = points.length > 0 ? [...points, { ...points[points.length - 1], at: new Date().toISOString() }] : [];
    const committed = steps.map((point) => ({ x: Date.parse(point.at), y: point.committed[resource] }));
    const total = steps.map((point) => ({ x: Date.parse(point.at), y: point.committed[resource] + point.held[resource] }));
    const limit = this.limits()?.[resource];
    const format = (value: number | string) => this.selected().format(Number(value));
    return {
      type: 'line',
      data: {
        datasets: [
          { label: 'Committed', data: committed, stepped: 'before', fill: 'origin', pointRadius: 0, borderWidth: 2 },
          { label: 'Committed + held', data: total, stepped: 'before', borderDash: [6, 4], pointRadius: 0, borderWidth: 2 },
          ...(limit !== undefined && steps.length > 0
            ? [{ label: 'Limit', data: [steps[0], steps[steps.length - 1]].map((point) => ({ x: Date.parse(point.at), y: limit })), pointRadius: 0, borderWidth: 1 }]
            : []),
        ],
      },
      options: {
        parsing: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: { type: 'linear', bounds: 'data', ticks: { maxTicksLimit: 8, callback: (value) => timeLabel(Number(value), this.hours()) } },
          y: { beginAtZero: true, ticks: { callback: format } },
        },
        plugins: { tooltip: { callbacks: { title: (items) => new Date(items[0]?.parsed.x ?? 0).toLocaleString(), label: (item) => `${item.dataset.label}: ${format(item.parsed.y ?? 0)}` } } },
      },
    };
  });

  constructor() {
    quotaChanges(inject(LiveEvents), this.tenantId)
      .pipe(takeUntilDestroyed(inject(DestroyRef)))
      .subscribe(() => this.history.reload());
  }

  protected period(hours: number): void {
    this.hours.set(hours);
    this.from.set(hoursAgo(hours));
  }
}

function hoursAgo(hours: number): string {
  return new Date(Date.now() - hours * 3_600_000).toISOString();
}

function timeLabel(ms: number, hours: number): string {
  const date = new Date(ms);
  return hours <= 24 ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : date.toLocaleDateString([], { month: 'short', day: 'numeric' });
}
