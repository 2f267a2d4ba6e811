import { HttpClient, httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, DestroyRef, effect, inject, input, output, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { Quota, QuotaLimits } from '@contracts/quotas';
import { firstValueFrom } from 'rxjs';
import { apiErrorMessage } from '../../../core/api-error';
import { formatMiB } from '../../../core/labels';
import { LiveEvents } from '../../../core/live-events';
import { LoadState } from '../../../shared/load-state';
import { UsageBar } from '../../../shared/usage-bar';
import { quotaChanges } from './quota-changes';
import { valueOf } from '../../../shared/resource-value';

const amount = () => new FormControl(0, { nonNullable: true, validators: [Validators.required, Validators.min(0), Validators.pattern(/^\d+$/)] });

/** A tenant's limits (editable) and what its VMs and running requests use of them. */
@Component({
  selector: 'app-tenant-quota',
  imports: [ReactiveFormsModule, MatCardModule, MatFormFieldModule, MatInputModule, MatButtonModule, MatProgressBarModule, LoadState, UsageBar],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined">
      <mat-card-header><h2 mat-card-title>Quota</h2></mat-card-header>
      <mat-card-content>
        <app-load-state [loading]="quota.isLoading() && !quota.hasValue()" [error]="quota.error()" (retry)="quota.reload()">
          @if (valueOf(quota); as quota) {
            <app-usage-bar label="vCPU" [used]="quota.usage.committed.vcpu" [held]="quota.usage.held.vcpu" [limit]="quota.limits.vcpu" />
            <app-usage-bar label="Memory" [used]="quota.usage.committed.memoryMiB" [held]="quota.usage.held.memoryMiB" [limit]="quota.limits.memoryMiB" [format]="mib" />
            <app-usage-bar label="Storage" [used]="quota.usage.committed.storageGiB" [held]="quota.usage.held.storageGiB" [limit]="quota.limits.storageGiB" [format]="gib" />
            <app-usage-bar label="VMs" [used]="quota.usage.committed.vms" [held]="quota.usage.held.vms" [limit]="quota.limits.vms" />
          }
          <form [formGroup]="form" (ngSubmit)="save()" aria-label="Quota limits">
            <div class="form-grid">
              <mat-form-field>
                <mat-label>vCPU limit</mat-label>
                <input matInput type="number" min="0" step="1" formControlName="vcpu" />
              </mat-form-field>
              <mat-form-field>
                <mat-label>Memory limit (MiB)</mat-label>
                <input matInput type="number" min="0" step="1024" formControlName="memoryMiB" />
                <mat-hint>{{ mib(form.controls.memoryMiB.value || 0) }}</mat-hint>
              </mat-form-field>
              <mat-form-field>
                <mat-label>Storage limit (GiB)</mat-label>
                <input matInput type="number" min="0" step="1" formControlName="storageGiB" />
              </mat-form-field>
              <mat-form-field>
                <mat-label>VM limit</mat-label>
                <input matInput type="number" min="0" step="1" formControlName="vms" />
              </mat-form-field>
            </div>
            @if (saving()) {
              <mat-progress-bar mode="indeterminate" aria-label="Saving limits" />
            }
            @if (error(); as message) {
              <p class="error-text" role="alert">{{ message }}</p>
            }
            <p class="muted">Limits may go below current usage: existing VMs stay, new requests are refused.</p>
            <button mat-flat-button type="submit" [disabled]="saving()">Save limits</button>
          </form>
        </app-load-state>
      </mat-card-content>
    </mat-card>
  `,
})
export class TenantQuota {
  readonly tenantId = input.required<string>();
  /** The new limits, once saved. */
  readonly saved = output<QuotaLimits>();

  protected readonly valueOf = valueOf;
  private readonly http = inject(HttpClient);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly mib = formatMiB;
  protected readonly gib = (value: number) => `${value} GiB`;
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly quota = httpResource<Quota>(() => `/api/v1/admin/tenants/${this.tenantId()}/quota`);
  protected readonly form = new FormGroup({ vcpu: amount(), memoryMiB: amount(), storageGiB: amount(), vms: amount() });

  constructor() {
    // Show the stored limits, unless the administrator is in the middle of changing them.
    effect(() => {
      const quota = valueOf(this.quota);
      if (quota && !this.form.dirty) this.form.setValue({ ...quota.limits });
    });
    quotaChanges(inject(LiveEvents), this.tenantId)
      .pipe(takeUntilDestroyed(inject(DestroyRef)))
      .subscribe(() => this.quota.reload());
  }

  protected async save(): Promise<void> {
    if (this.form.invalid) {
      this.error.set('Each limit must be a whole number, 0 or more.');
      return;
    }
    const raw = this.form.getRawValue();
    const limits: QuotaLimits = { vcpu: Number(raw.vcpu), memoryMiB: Number(raw.memoryMiB), storageGiB: Number(raw.storageGiB), vms: Number(raw.vms) };
    this.saving.set(true);
    this.error.set(null);
    try {
      const stored = await firstValueFrom(this.http.put<QuotaLimits>(`/api/v1/admin/tenants/${this.tenantId()}/quota`, limits));
      this.form.markAsPristine();
      const quota = valueOf(this.quota);
      if (quota) this.quota.set({ ...quota, limits: stored });
      this.saved.emit(stored);
      this.snackBar.open('Limits saved', undefined, { duration: 3_000 });
    } catch (error) {
      this.error.set(apiErrorMessage(error));
    } finally {
      this.saving.set(false);
    }
  }
}
