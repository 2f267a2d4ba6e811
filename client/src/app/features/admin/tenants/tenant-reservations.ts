import { DatePipe } from '@angular/common';
import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, input } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatCardModule } from '@angular/material/card';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import type { QuotaReservation } from '@contracts/quotas';
import type { Page } from '@contracts/tenants';
import { LiveEvents } from '../../../core/live-events';
import { LoadState } from '../../../shared/load-state';
import { quotaAmountsText } from './quota-amounts-text';
import { quotaChanges } from './quota-changes';
import { valueOf } from '../../../shared/resource-value';

/** Quota the tenant's running requests hold, oldest first, each with the task doing the work. */
@Component({
  selector: 'app-tenant-reservations',
  imports: [MatCardModule, MatTableModule, RouterLink, DatePipe, LoadState],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined">
      <mat-card-header><h2 mat-card-title>Reservations</h2></mat-card-header>
      <mat-card-content>
        <app-load-state
          [loading]="reservations.isLoading() && !reservations.hasValue()"
          [error]="reservations.error()"
          [empty]="valueOf(reservations)?.total === 0"
          emptyText="No request holds quota right now."
          (retry)="reservations.reload()"
        >
          <table mat-table [dataSource]="valueOf(reservations)?.items ?? []" aria-label="Reservations">
            <ng-container matColumnDef="description">
              <th mat-header-cell *matHeaderCellDef>For</th>
              <td mat-cell *matCellDef="let hold">{{ hold.description }}</td>
            </ng-container>
            <ng-container matColumnDef="amounts">
              <th mat-header-cell *matHeaderCellDef>Holds</th>
              <td mat-cell *matCellDef="let hold">{{ amounts(hold.amounts) }}</td>
            </ng-container>
            <ng-container matColumnDef="createdAt">
              <th mat-header-cell *matHeaderCellDef>Since</th>
              <td mat-cell *matCellDef="let hold">{{ hold.createdAt | date: 'medium' }}</td>
            </ng-container>
            <ng-container matColumnDef="expiresAt">
              <th mat-header-cell *matHeaderCellDef>Expires</th>
              <td mat-cell *matCellDef="let hold">{{ hold.expiresAt | date: 'medium' }}</td>
            </ng-container>
            <ng-container matColumnDef="task">
              <th mat-header-cell *matHeaderCellDef>Task</th>
              <td mat-cell *matCellDef="let hold">
                @if (hold.taskId) {
                  <a [routerLink]="['/admin/tasks', hold.taskId]">View task</a>
                }
              </td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <tr mat-row *matRowDef="let row; columns: columns"></tr>
          </table>
        </app-load-state>
      </mat-card-content>
    </mat-card>
  `,
})
export class TenantReservations {
  readonly tenantId = input.required<string>();

  protected readonly valueOf = valueOf;
  protected readonly columns = ['description', 'amounts', 'createdAt', 'expiresAt', 'task'];
  protected readonly reservations = httpResource<Page<QuotaReservation>>(() => `/api/v1/admin/tenants/${this.tenantId()}/quota/reservations`);
  protected readonly amounts = quotaAmountsText;

  constructor() {
    quotaChanges(inject(LiveEvents), this.tenantId)
      .pipe(takeUntilDestroyed(inject(DestroyRef)))
      .subscribe(() => this.reservations.reload());
  }
}
