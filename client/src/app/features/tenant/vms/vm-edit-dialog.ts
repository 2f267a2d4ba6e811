import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { AbstractControl, NonNullableFormBuilder, ReactiveFormsModule, ValidationErrors, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { UpdateVmRequest, Vm, VmTask } from '@contracts/vms';
import { apiErrorMessage } from '../../../core/api-error';
import { VmApi } from './vm-api';

const evenNumber = (control: AbstractControl): ValidationErrors | null => (typeof control.value === 'number' && control.value % 2 !== 0 ? { even: true } : null);

/** Resizes a VM: processors, memory, and a disk that only grows. Closes with the accepted request. */
@Component({
  selector: 'app-vm-edit-dialog',
  imports: [ReactiveFormsModule, MatDialogModule, MatButtonModule, MatCheckboxModule, MatFormFieldModule, MatInputModule, MatProgressBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>Edit {{ vm.name }}</h2>
    <form [formGroup]="form" (ngSubmit)="submit()">
      <mat-dialog-content>
        <mat-form-field class="full-width">
          <mat-label>vCPU</mat-label>
          <input matInput type="number" formControlName="vcpu" min="1" max="64" />
          <mat-error>1 to 64 virtual processors.</mat-error>
        </mat-form-field>
        <mat-form-field class="full-width">
          <mat-label>Memory (MiB)</mat-label>
          <input matInput type="number" formControlName="memoryMiB" min="512" step="512" />
          <mat-error>An even number of MiB, at least 512.</mat-error>
        </mat-form-field>
        <mat-form-field class="full-width">
          <mat-label>Disk (GiB)</mat-label>
          <input matInput type="number" formControlName="diskGiB" [min]="vm.diskGiB" />
          <mat-hint>Disks only grow: at least {{ vm.diskGiB }} GiB</mat-hint>
          <mat-error>At least {{ vm.diskGiB }} GiB: disks only grow.</mat-error>
        </mat-form-field>
        <mat-checkbox formControlName="restart">Restart if needed</mat-checkbox>
        <p class="muted">Processor and memory changes need the VM off; with this, a running VM is stopped, changed and started again.</p>
        @if (saving()) {
          <mat-progress-bar mode="indeterminate" aria-label="Saving" />
        }
        @if (error(); as message) {
          <p class="error-text" role="alert">{{ message }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="!canSubmit()">Apply</button>
      </mat-dialog-actions>
    </form>
  `,
})
export class VmEditDialog {
  protected readonly vm = inject<Vm>(MAT_DIALOG_DATA);
  private readonly api = inject(VmApi);
  private readonly dialogRef = inject<MatDialogRef<VmEditDialog, VmTask>>(MatDialogRef);
  protected readonly form = inject(NonNullableFormBuilder).group({
    vcpu: [this.vm.vcpu, [Validators.required, Validators.min(1), Validators.max(64)]],
    memoryMiB: [this.vm.memoryMiB, [Validators.required, Validators.min(512), Validators.max(1_048_576), evenNumber]],
    diskGiB: [this.vm.diskGiB, [Validators.required, Validators.min(this.vm.diskGiB), Validators.max(65_536)]],
    restart: [false],
  });
  private readonly value = toSignal(this.form.valueChanges, { initialValue: this.form.getRawValue() });
  private readonly status = toSignal(this.form.statusChanges, { initialValue: this.form.status });
  /** Only the fields that change. */
  private readonly changes = computed((): UpdateVmRequest => {
    const { vcpu, memoryMiB, diskGiB } = this.value();
    const changes: UpdateVmRequest = {};
    if (vcpu !== this.vm.vcpu) changes.vcpu = vcpu;
    if (memoryMiB !== this.vm.memoryMiB) changes.memoryMiB = memoryMiB;
    if (diskGiB !== this.vm.diskGiB) changes.diskGiB = diskGiB;
    return changes;
  });
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly canSubmit = computed(() => this.status() === 'VALID' && Object.keys(this.changes()).length > 0 && !this.saving());

  protected async submit(): Promise<void> {
    if (!this.canSubmit()) return;
    this.saving.set(true);
    this.error.set(null);
    try {
      const body: UpdateVmRequest = { ...this.changes(), ...(this.form.controls.restart.value ? { restart: true } : {}) };
      this.dialogRef.close(await this.api.update(this.vm.id, body));
    } catch (error) {
      this.error.set(apiErrorMessage(error));
    } finally {
      this.saving.set(false);
    }
  }
}
