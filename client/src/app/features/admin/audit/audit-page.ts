import { DatePipe } from '@angular/common';
import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule } from '@angular/material/paginator';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import type { AuditEventPage } from '@contracts/audit';
import type { Tenant } from '@contracts/tenants';
import { debounced } from '../debounced';
import { LoadState } from '../../../shared/load-state';
import { TenantPicker } from '../tenants/tenant-picker';
import { tenantNames } from '../tenants/tenant-names';
import { auditDetailsText } from './audit-details';
import { valueOf } from '../../../shared/resource-value';
import { Paging } from '../../../shared/paging';

/** A `datetime-local` value (local time, no zone) as ISO 8601, or null when empty or unreadable. */
function isoFromLocal(value: string): string | null {
  const time = value ? new Date(value).getTime() : NaN;
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** The audit trail, newest first: who did what to which object, from where, when. */
@Component({
  selector: 'app-audit-page',
  imports: [MatTableModule, MatPaginatorModule, MatFormFieldModule, MatInputModule, MatButtonModule, MatIconModule, RouterLink, DatePipe, LoadState, TenantPicker],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <header class="page-header"><h1>Audit log</h1></header>
      <div class="filters">
        <mat-form-field>
          <mat-label>Action</mat-label>
          <input matInput [value]="action()" (input)="action.set($any($event.target).value)" placeholder="console.session" autocomplete="off" />
        </mat-form-field>
        <app-tenant-picker [(tenant)]="tenant" />
        <mat-form-field>
          <mat-label>From</mat-label>
          <input matInput type="datetime-local" [value]="from()" (change)="from.set($any($event.target).value)" />
        </mat-form-field>
        <mat-form-field>
          <mat-label>To</mat-label>
          <input matInput type="datetime-local" [value]="to()" (change)="to.set($any($event.target).value)" />
        </mat-form-field>
        <mat-form-field>
          <mat-label>Actor email</mat-label>
          <input matInput type="search" [value]="text()" (input)="text.set($any($event.target).value)" autocomplete="off" />
          <mat-icon matSuffix>search</mat-icon>
        </mat-form-field>
        @if (filtered()) {
          <button mat-button (click)="clear()">Clear filters</button>
        }
      </div>
      <app-load-state
        [loading]="events.isLoading()"
        [error]="events.error()"
        [empty]="valueOf(events)?.total === 0"
        [emptyText]="filtered() ? 'No entry matches these filters.' : 'Nothing audited yet.'"
        (retry)="events.reload()"
      >
        <div class="scroll">
          <table mat-table [dataSource]="valueOf(events)?.items ?? []" aria-label="Audit log">
            <ng-container matColumnDef="at">
              <th mat-header-cell *matHeaderCellDef>Time</th>
              <td mat-cell *matCellDef="let event" class="nowrap">{{ event.at | date: 'medium' }}</td>
            </ng-container>
            <ng-container matColumnDef="actor">
              <th mat-header-cell *matHeaderCellDef>Actor</th>
              <td mat-cell *matCellDef="let event">
                {{ event.actor.email }}
                <span class="muted">{{ event.actor.scope === 'admin' ? '(administrator)' : '' }}</span>
              </td>
            </ng-container>
            <ng-container matColumnDef="action">
              <th mat-header-cell *matHeaderCellDef>Action</th>
              <td mat-cell *matCellDef="let event" class="mono">{{ event.action }}</td>
            </ng-container>
            <ng-container matColumnDef="target">
              <th mat-header-cell *matHeaderCellDef>Target</th>
              <td mat-cell *matCellDef="let event">
                {{ event.target.type }} {{ event.target.name }}
                @if (event.tenantId) {
                  <span class="muted">
                    of <a [routerLink]="['/admin/tenants', event.tenantId]">{{ tenants().get(event.tenantId)?.name ?? event.tenantId }}</a>
                  </span>
                }
              </td>
            </ng-container>
            <ng-container matColumnDef="ip">
              <th mat-header-cell *matHeaderCellDef>IP</th>
              <td mat-cell *matCellDef="let event" class="mono">{{ event.ip ?? '—' }}</td>
            </ng-container>
            <ng-container matColumnDef="details">
              <th mat-header-cell *matHeaderCellDef>Details</th>
              <td mat-cell *matCellDef="let event">{{ details(event) }}</td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <tr mat-row *matRowDef="let row; columns: columns"></tr>
          </table>
        </div>
        <mat-paginator [length]="valueOf(events)?.total ?? 0" [pageSize]="paging.limit()" [pageIndex]="paging.pageIndex()" [pageSizeOptions]="[25, 50, 100]" (page)="paging.turn($event)" />
      </app-load-state>
    </section>
  `,
  styles: `
    .filters {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(200px, 1fr));
      gap: 0 16px;
      align-items: start;
    }
    .filters button {
      margin-top: 10px;
      justify-self: start;
    }
    .scroll {
      overflow-x: auto;
    }
    .nowrap {
      white-space: nowrap;
    }
  `,
})
export class AuditPage {
  protected readonly valueOf = valueOf;
  protected readonly columns = ['at', 'actor', 'action', 'target', 'ip', 'details'];
  protected readonly action = signal('');
  protected readonly tenant = signal<Tenant | null>(null);
  protected readonly from = signal('');
  protected readonly to = signal('');
  protected readonly text = signal('');
  private readonly typedAction = debounced(this.action);
  private readonly typedText = debounced(this.text);
  private readonly filters = computed(() => ({
    action: this.typedAction().trim(),
    tenantId: this.tenant()?.id ?? '',
    from: isoFromLocal(this.from()) ?? '',
    to: isoFromLocal(this.to()) ?? '',
    q: this.typedText().trim(),
  }));
  protected readonly filtered = computed(() => !!(this.action() || this.tenant() || this.from() || this.to() || this.text()));
  protected readonly paging = new Paging(50, this.filters);
  protected readonly events = httpResource<AuditEventPage>(() => {
    const set = Object.fromEntries(Object.entries(this.filters()).filter(([, value]) => value !== ''));
    return { url: '/api/v1/admin/audit', params: { limit: this.paging.limit(), offset: this.paging.offset(), ...set } };
  });
  protected readonly tenants = tenantNames();
  protected readonly details = auditDetailsText;


  protected clear(): void {
    this.action.set('');
    this.tenant.set(null);
    this.from.set('');
    this.to.set('');
    this.text.set('');
  }
}
