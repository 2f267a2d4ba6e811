import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { Tenant } from '@contracts/tenants';
import type { AdoptVmRequest, UnmanagedVm, VmTask } from '@contracts/vms';
import { firstValueFrom } from 'rxjs';
import { apiErrorMessage } from '../../../core/api-error';
import { formatMiB } from '../../../core/labels';
import { TenantPicker } from '../tenants/tenant-picker';

/** Makes an unmanaged VM a tenant's; it then counts into the tenant's quota (unless forced past it). Closes with the adoption task. */
@Component({
  selector: 'app-adopt-dialog',
  imports: [MatDialogModule, MatButtonModule, MatCheckboxModule, MatProgressBarModule, TenantPicker],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>Adopt {{ vm.name }}</h2>
    <mat-dialog-content>
      @if (busy()) {
        <mat-progress-bar mode="indeterminate" aria-label="Adopting" />
      }
      <p>
        On {{ vm.hostName }} · {{ vm.vcpu }} vCPU · {{ mib(vm.memoryMiB) }} · {{ vm.diskGiB }} GiB. The chosen tenant's usage grows by this much.
      </p>
      <app-tenant-picker [(tenant)]="tenant" hint="Type part of the tenant's name or slug" />
      <mat-checkbox [checked]="force()" (change)="force.set($event.checked)">Force (ignore quota)</mat-checkbox>
      @if (error(); as message) {
        <p class="error-text" role="alert">{{ message }}</p>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Cancel</button>
      <button mat-flat-button type="button" [disabled]="busy() || !tenant()" (click)="adopt()">Adopt</button>
    </mat-dialog-actions>
  `,
})
export class AdoptDialog {
  protected readonly vm = inject<UnmanagedVm>(MAT_DIALOG_DATA);
  private readonly dialogRef = inject<MatDialogRef<AdoptDialog, VmTask>>(MatDialogRef);
  private readonly http = inject(HttpClient);
  protected readonly tenant = signal<Tenant | null>(null);
  protected readonly force = signal(false);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly mib = formatMiB;

  protected async adopt(): Promise<void> {
    const tenant = this.tenant();
    if (!tenant) return;
    this.busy.set(true);
    this.error.set(null);
    try {
      const body: AdoptVmRequest = { tenantId: tenant.id, force: this.force() };
      this.dialogRef.close(await firstValueFrom(this.http.post<VmTask>(`/api/v1/admin/unmanaged-vms/${encodeURIComponent(this.vm.id)}/adopt`, body)));
    } catch (error) {
      this.error.set(apiErrorMessage(error));
    } finally {
      this.busy.set(false);
    }
  }
}
