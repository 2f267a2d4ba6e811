import { DatePipe } from '@angular/common';
import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule } from '@angular/material/paginator';
import { MatTableModule } from '@angular/material/table';
import { Router, RouterLink } from '@angular/router';
import type { Page, Tenant } from '@contracts/tenants';
import { firstValueFrom } from 'rxjs';
import { formatMiB } from '../../../core/labels';
import { LoadState } from '../../../shared/load-state';
import { StateChip } from '../../../shared/state-chip';
import { debounced } from '../debounced';
import { NewTenantDialog } from './new-tenant-dialog';
import { valueOf } from '../../../shared/resource-value';
import { Paging } from '../../../shared/paging';

/** Every tenant, searchable by slug or name; a new tenant opens on its own page. */
@Component({
  selector: 'app-tenant-list-page',
  imports: [MatTableModule, MatPaginatorModule, MatFormFieldModule, MatInputModule, MatButtonModule, MatIconModule, RouterLink, DatePipe, LoadState, StateChip],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <header class="page-header">
        <h1>Tenants</h1>
        <button mat-flat-button (click)="create()"><mat-icon>add</mat-icon>New tenant</button>
      </header>
      <mat-form-field class="search">
        <mat-label>Search</mat-label>
        <input matInput type="search" [value]="text()" (input)="text.set($any($event.target).value)" autocomplete="off" />
        <mat-icon matSuffix>search</mat-icon>
      </mat-form-field>
      <app-load-state
        [loading]="tenants.isLoading()"
        [error]="tenants.error()"
        [empty]="valueOf(tenants)?.total === 0"
        [emptyText]="query() ? 'No tenant matches “' + query() + '”.' : 'No tenants yet.'"
        (retry)="tenants.reload()"
      >
        <table mat-table [dataSource]="valueOf(tenants)?.items ?? []" aria-label="Tenants">
          <ng-container matColumnDef="name">
            <th mat-header-cell *matHeaderCellDef>Name</th>
            <td mat-cell *matCellDef="let tenant"><a [routerLink]="['/admin/tenants', tenant.id]">{{ tenant.name }}</a></td>
          </ng-container>
          <ng-container matColumnDef="slug">
            <th mat-header-cell *matHeaderCellDef>Slug</th>
            <td mat-cell *matCellDef="let tenant" class="mono">{{ tenant.slug }}</td>
          </ng-container>
          <ng-container matColumnDef="status">
            <th mat-header-cell *matHeaderCellDef>Status</th>
            <td mat-cell *matCellDef="let tenant"><app-state-chip [state]="tenant.status" /></td>
          </ng-container>
          <ng-container matColumnDef="limits">
            <th mat-header-cell *matHeaderCellDef>Limits</th>
            <td mat-cell *matCellDef="let tenant" class="muted">
              {{ tenant.limits.vcpu }} vCPU · {{ mib(tenant.limits.memoryMiB) }} · {{ tenant.limits.storageGiB }} GiB · {{ tenant.limits.vms }} VMs
            </td>
          </ng-container>
          <ng-container matColumnDef="createdAt">
            <th mat-header-cell *matHeaderCellDef>Created</th>
            <td mat-cell *matCellDef="let tenant">{{ tenant.createdAt | date: 'mediumDate' }}</td>
          </ng-container>
          <tr mat-header-row *matHeaderRowDef="columns"></tr>
          <tr mat-row *matRowDef="let row; columns: columns" class="row" (click)="open(row)"></tr>
        </table>
        <mat-paginator [length]="valueOf(tenants)?.total ?? 0" [pageSize]="paging.limit()" [pageIndex]="paging.pageIndex()" [pageSizeOptions]="[10, 25, 50]" (page)="paging.turn($event)" />
      </app-load-state>
    </section>
  `,
  styles: `
    .search {
      width: min(360px, 100%);
    }
    .row {
      cursor: pointer;
    }
  `,
})
export class TenantListPage {
  protected readonly valueOf = valueOf;
  private readonly dialog = inject(MatDialog);
  private readonly router = inject(Router);
  protected readonly columns = ['name', 'slug', 'status', 'limits', 'createdAt'];
  protected readonly text = signal('');
  protected readonly query = debounced(this.text);
  /** Back to the first page whenever the search changes. */
  protected readonly paging = new Paging(25, this.query);
  protected readonly tenants = httpResource<Page<Tenant>>(() => ({
    url: '/api/v1/admin/tenants',
    params: { limit: this.paging.limit(), offset: this.paging.offset(), ...(this.query().trim() ? { q: this.query().trim() } : {}) },
  }));
  protected readonly mib = formatMiB;


  protected open(tenant: Tenant): void {
    void this.router.navigate(['/admin/tenants', tenant.id]);
  }

  protected async create(): Promise<void> {
    const tenant = await firstValueFrom(this.dialog.open(NewTenantDialog, { width: '440px' }).afterClosed());
    if (tenant) await this.router.navigate(['/admin/tenants', tenant.id]);
  }
}
