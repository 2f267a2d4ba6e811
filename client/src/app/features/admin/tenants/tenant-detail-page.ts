import { DatePipe } from '@angular/common';
import { HttpClient, httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, effect, inject, input, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Title } from '@angular/platform-browser';
import { Router, RouterLink } from '@angular/router';
import type { Tenant, UpdateTenantRequest } from '@contracts/tenants';
import { firstValueFrom } from 'rxjs';
import { apiErrorMessage } from '../../../core/api-error';
import { confirm } from '../../../shared/confirm-dialog';
import { LoadState } from '../../../shared/load-state';
import { StateChip } from '../../../shared/state-chip';
import { AdminVmTable } from '../vms/admin-vm-table';
import { TenantQuota } from './tenant-quota';
import { TenantReservations } from './tenant-reservations';
import { TenantUsageHistory } from './tenant-usage-history';
import { TenantUsers } from './tenant-users';
import { valueOf } from '../../../shared/resource-value';

/** One tenant: rename, suspend or resume, delete; its quota, holds, usage over time, users and VMs. */
@Component({
  selector: 'app-tenant-detail-page',
  imports: [
    ReactiveFormsModule,
    MatCardModule,
    MatButtonModule,
    MatIconModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    RouterLink,
    DatePipe,
    LoadState,
    StateChip,
    TenantQuota,
    TenantReservations,
    TenantUsageHistory,
    TenantUsers,
    AdminVmTable,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <a routerLink="/admin/tenants" class="back"><mat-icon>arrow_back</mat-icon>Tenants</a>
      <app-load-state [loading]="tenant.isLoading() && !tenant.hasValue()" [error]="tenant.error()" (retry)="tenant.reload()">
        @if (valueOf(tenant); as tenant) {
          <header class="page-header">
            <h1>{{ tenant.name }}</h1>
            <app-state-chip [state]="tenant.status" />
            @if (tenant.status === 'active') {
              <button mat-stroked-button [disabled]="busy()" (click)="setStatus(tenant, 'suspended')"><mat-icon>block</mat-icon>Suspend</button>
            } @else {
              <button mat-stroked-button [disabled]="busy()" (click)="setStatus(tenant, 'active')"><mat-icon>play_arrow</mat-icon>Resume</button>
            }
            <button mat-stroked-button class="danger" [disabled]="busy()" (click)="remove(tenant)"><mat-icon>delete</mat-icon>Delete</button>
          </header>
          @if (busy()) {
            <mat-progress-bar mode="indeterminate" aria-label="Working" />
          }
          @if (actionError(); as message) {
            <p class="error-text" role="alert">{{ message }}</p>
          }
          <p class="muted">
            Slug <span class="mono">{{ tenant.slug }}</span> · created {{ tenant.createdAt | date: 'medium' }}
            @if (tenant.status === 'suspended') {
              · suspended: its users cannot sign in
            }
          </p>
          <div class="sections">
            <mat-card appearance="outlined">
              <mat-card-header><h2 mat-card-title>Details</h2></mat-card-header>
              <mat-card-content>
                <form class="rename" [formGroup]="renameForm" (ngSubmit)="rename(tenant)" aria-label="Rename tenant">
                  <mat-form-field class="name">
                    <mat-label>Name</mat-label>
                    <input matInput formControlName="name" autocomplete="off" />
                  </mat-form-field>
                  <button mat-stroked-button type="submit" [disabled]="busy() || renameForm.invalid || renameForm.controls.name.value.trim() === tenant.name">Rename</button>
                </form>
              </mat-card-content>
            </mat-card>
            <app-tenant-quota [tenantId]="tenant.id" (saved)="tenantLimitsSaved(tenant, $event)" />
            <app-tenant-usage-history [tenantId]="tenant.id" [limits]="tenant.limits" />
            <app-tenant-reservations [tenantId]="tenant.id" />
            <app-tenant-users [tenantId]="tenant.id" />
            <mat-card appearance="outlined">
              <mat-card-header><h2 mat-card-title>VMs</h2></mat-card-header>
              <mat-card-content>
                <app-admin-vm-table [tenantId]="tenant.id" [showTenant]="false" [pageSize]="10" [label]="'VMs of ' + tenant.name" />
              </mat-card-content>
            </mat-card>
          </div>
        }
      </app-load-state>
    </section>
  `,
  styles: `
    .rename {
      display: flex;
      gap: 16px;
      align-items: baseline;
      flex-wrap: wrap;
    }
    .name {
      width: min(360px, 100%);
    }
    .danger {
      color: var(--mat-sys-error);
    }
  `,
})
export class TenantDetailPage {
  /** From the route. */
  readonly id = input.required<string>();

  protected readonly valueOf = valueOf;
  private readonly http = inject(HttpClient);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);
  protected readonly tenant = httpResource<Tenant>(() => `/api/v1/admin/tenants/${this.id()}`);
  protected readonly busy = signal(false);
  protected readonly actionError = signal<string | null>(null);
  protected readonly renameForm = new FormGroup({
    name: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.maxLength(100)] }),
  });

  constructor() {
    const title = inject(Title);
    effect(() => {
      const tenant = valueOf(this.tenant);
      if (!tenant) return;
      title.setTitle(`${tenant.name} · OpenHVX admin`);
      this.renameForm.setValue({ name: tenant.name });
    });
  }

  protected tenantLimitsSaved(tenant: Tenant, limits: Tenant['limits']): void {
    this.tenant.set({ ...tenant, limits });
  }

  protected rename(tenant: Tenant): Promise<void> {
    return this.update(tenant, { name: this.renameForm.controls.name.value.trim() }, 'Tenant renamed');
  }

  protected async setStatus(tenant: Tenant, status: Tenant['status']): Promise<void> {
    if (status === 'suspended') {
      const confirmed = await confirm(this.dialog, {
        title: `Suspend ${tenant.name}?`,
        message: 'Every user of the tenant is locked out at once. Its VMs keep running.',
        confirmLabel: 'Suspend',
      });
      if (!confirmed) return;
    }
    await this.update(tenant, { status }, status === 'suspended' ? 'Tenant suspended' : 'Tenant resumed');
  }

  protected async remove(tenant: Tenant): Promise<void> {
    const confirmed = await confirm(this.dialog, {
      title: `Delete ${tenant.name}?`,
      message: 'The tenant and its users are deleted. A tenant that still owns VMs, disks or pending requests cannot be deleted.',
      confirmLabel: 'Delete',
      typeToConfirm: tenant.slug,
    });
    if (!confirmed) return;
    await this.run(async () => {
      await firstValueFrom(this.http.delete(`/api/v1/admin/tenants/${tenant.id}`));
      this.snackBar.open(`Tenant ${tenant.name} deleted`, undefined, { duration: 3_000 });
      await this.router.navigateByUrl('/admin/tenants');
    });
  }

  private update(tenant: Tenant, body: UpdateTenantRequest, done: string): Promise<void> {
    return this.run(async () => {
      this.tenant.set(await firstValueFrom(this.http.patch<Tenant>(`/api/v1/admin/tenants/${tenant.id}`, body)));
      this.snackBar.open(done, undefined, { duration: 3_000 });
    });
  }

  private async run(action: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.actionError.set(null);
    try {
      await action();
    } catch (error) {
      this.actionError.set(apiErrorMessage(error));
    } finally {
      this.busy.set(false);
    }
  }
}
