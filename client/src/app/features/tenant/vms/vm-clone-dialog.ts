import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { Vm, VmTask } from '@contracts/vms';
import { apiErrorMessage } from '../../../core/api-error';
import { VmApi } from './vm-api';

/** Copies a VM that is off into a new one, under a name the user gives. Closes with the accepted request. */
@Component({
  selector: 'app-vm-clone-dialog',
  imports: [ReactiveFormsModule, MatDialogModule, MatButtonModule, MatCheckboxModule, MatFormFieldModule, MatInputModule, MatProgressBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>Clone {{ vm.name }}</h2>
    <form [formGroup]="form" (ngSubmit)="submit()">
      <mat-dialog-content>
        <p class="muted">The copy gets the same size and a copy of the disk; it counts against your quota.</p>
        <mat-form-field class="full-width">
          <mat-label>Name</mat-label>
          <input matInput formControlName="name" autocomplete="off" maxlength="63" />
          <mat-error>Enter a name of up to 63 characters.</mat-error>
        </mat-form-field>
        <mat-checkbox formControlName="start">Start the copy once made</mat-checkbox>
        @if (saving()) {
          <mat-progress-bar mode="indeterminate" aria-label="Cloning" />
        }
        @if (error(); as message) {
          <p class="error-text" role="alert">{{ message }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="form.invalid || saving()">Clone</button>
      </mat-dialog-actions>
    </form>
  `,
})
export class VmCloneDialog {
  protected readonly vm = inject<Vm>(MAT_DIALOG_DATA);
  private readonly api = inject(VmApi);
  private readonly dialogRef = inject<MatDialogRef<VmCloneDialog, VmTask>>(MatDialogRef);
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: [`${this.vm.name}-copy`.slice(0, 63), [Validators.required, Validators.maxLength(63)]],
    start: [false],
  });
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);

  protected async submit(): Promise<void> {
    if (this.form.invalid || this.saving()) return;
    this.saving.set(true);
    this.error.set(null);
    try {
      const { name, start } = this.form.getRawValue();
      this.dialogRef.close(await this.api.clone(this.vm.id, { name: name.trim(), start }));
    } catch (error) {
      this.error.set(apiErrorMessage(error));
    } finally {
      this.saving.set(false);
    }
  }
}
