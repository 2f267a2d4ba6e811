import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { CreateTenantRequest, Tenant } from '@contracts/tenants';
import { firstValueFrom } from 'rxjs';
import { apiErrorMessage } from '../../../core/api-error';

/** The server's rule for slugs, checked here too so the mistake shows before sending. */
const SLUG = /^[a-z0-9-]{2,40}$/;

/** Creates a tenant (with the default quota); closes with the new tenant. */
@Component({
  selector: 'app-new-tenant-dialog',
  imports: [ReactiveFormsModule, MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatProgressBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>New tenant</h2>
    <form [formGroup]="form" (ngSubmit)="submit()">
      <mat-dialog-content>
        @if (busy()) {
          <mat-progress-bar mode="indeterminate" aria-label="Creating" />
        }
        <mat-form-field class="full-width">
          <mat-label>Name</mat-label>
          <input matInput formControlName="name" autocomplete="off" cdkFocusInitial />
          @if (form.controls.name.hasError('required')) {
            <mat-error>Enter a name</mat-error>
          }
        </mat-form-field>
        <mat-form-field class="full-width">
          <mat-label>Slug</mat-label>
          <input matInput formControlName="slug" autocomplete="off" autocapitalize="none" />
          <mat-hint>Users type it to sign in, e.g. acme</mat-hint>
          @if (form.controls.slug.invalid) {
            <mat-error>2–40 lowercase letters, digits or dashes</mat-error>
          }
        </mat-form-field>
        @if (error(); as message) {
          <p class="error-text" role="alert">{{ message }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="busy()">Create</button>
      </mat-dialog-actions>
    </form>
  `,
})
export class NewTenantDialog {
  private readonly http = inject(HttpClient);
  private readonly dialogRef = inject<MatDialogRef<NewTenantDialog, Tenant>>(MatDialogRef);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly form = new FormGroup({
    name: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.maxLength(100)] }),
    slug: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.pattern(SLUG)] }),
  });

  protected async submit(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { name, slug } = this.form.getRawValue();
    this.busy.set(true);
    this.error.set(null);
    try {
      const body: CreateTenantRequest = { slug, name: name.trim() };
      this.dialogRef.close(await firstValueFrom(this.http.post<Tenant>('/api/v1/admin/tenants', body)));
    } catch (error) {
      this.error.set(apiErrorMessage(error));
    } finally {
      this.busy.set(false);
    }
  }
}
