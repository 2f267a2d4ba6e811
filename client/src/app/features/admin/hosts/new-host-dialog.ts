import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { CreatedHost, CreateHostRequest } from '@contracts/hosts';
import { firstValueFrom } from 'rxjs';
import { apiErrorMessage } from '../../../core/api-error';
import { EnrollmentCommand } from './enrollment-command';

/** The server's rule for host names. */
const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** Registers a host, then shows the command that enrolls its agent. Closes with the host once created. */
@Component({
  selector: 'app-new-host-dialog',
  imports: [ReactiveFormsModule, MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatProgressBarModule, EnrollmentCommand],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (created(); as host) {
      <h2 mat-dialog-title>Enroll {{ host.name }}</h2>
      <mat-dialog-content>
        <app-enrollment-command [enrollment]="host.enrollment" />
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-flat-button [mat-dialog-close]="host">Done</button>
      </mat-dialog-actions>
    } @else {
      <h2 mat-dialog-title>New host</h2>
      <form [formGroup]="form" (ngSubmit)="submit()">
        <mat-dialog-content>
          @if (busy()) {
            <mat-progress-bar mode="indeterminate" aria-label="Creating" />
          }
          <mat-form-field class="full-width">
            <mat-label>Name</mat-label>
            <input matInput formControlName="name" autocomplete="off" cdkFocusInitial />
            <mat-hint>Usually the host's computer name</mat-hint>
            @if (form.controls.name.invalid) {
              <mat-error>1–63 letters, digits, dots, dashes or underscores, starting with a letter or digit</mat-error>
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
    }
  `,
})
export class NewHostDialog {
  private readonly http = inject(HttpClient);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly created = signal<CreatedHost | null>(null);
  protected readonly form = new FormGroup({
    name: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.pattern(HOST_NAME)] }),
  });

  protected async submit(): Promise<void> {
    const name = this.form.controls.name.value.trim();
    if (!HOST_NAME.test(name)) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    try {
      const body: CreateHostRequest = { name };
      this.created.set(await firstValueFrom(this.http.post<CreatedHost>('/api/v1/admin/hosts', body)));
    } catch (error) {
      this.error.set(apiErrorMessage(error));
    } finally {
      this.busy.set(false);
    }
  }
}
