import { Clipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { CreateApiTokenRequest, CreatedApiToken } from '@contracts/auth';
import { apiErrorMessage } from '../../../core/api-error';
import { ApiTokenApi } from './api-token-api';

/** `2025-06-30` → the end of that day, local time, as ISO 8601. */
function endOfDay(date: string): string {
  return new Date(`${date}T23:59:59`).toISOString();
}

/**
 * Names a new API token, creates it, and shows its secret this one time, with a copy button. Closes with
 * the created token (without showing it again anywhere).
 */
@Component({
  selector: 'app-api-token-create-dialog',
  imports: [ReactiveFormsModule, MatDialogModule, MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule, MatProgressBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>New API token</h2>
    @if (created(); as created) {
      <mat-dialog-content>
        <p class="warning" role="alert"><mat-icon>warning</mat-icon>Copy this token now: it will not be shown again.</p>
        <mat-form-field class="full-width">
          <mat-label>Token</mat-label>
          <input matInput class="mono" [value]="created.token" readonly />
        </mat-form-field>
        <p class="muted">Send it as <span class="mono">Authorization: Bearer …</span>; it acts as you, with your role.</p>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        @if (copied()) {
          <span class="muted" role="status">Copied to the clipboard</span>
        }
        <button mat-button (click)="copy(created.token)"><mat-icon>content_copy</mat-icon>Copy</button>
        <button mat-flat-button [mat-dialog-close]="created">Done</button>
      </mat-dialog-actions>
    } @else {
      <form [formGroup]="form" (ngSubmit)="submit()">
        <mat-dialog-content>
          <mat-form-field class="full-width">
            <mat-label>Name</mat-label>
            <input matInput formControlName="name" autocomplete="off" maxlength="100" />
            <mat-hint>What uses it, e.g. CI pipeline</mat-hint>
            <mat-error>Enter a name of up to 100 characters.</mat-error>
          </mat-form-field>
          <mat-form-field class="full-width">
            <mat-label>Expires on (optional)</mat-label>
            <input matInput type="date" formControlName="expiresOn" [min]="tomorrow" />
            <mat-hint>Leave empty for a token that does not expire</mat-hint>
          </mat-form-field>
          @if (saving()) {
            <mat-progress-bar mode="indeterminate" aria-label="Creating the token" />
          }
          @if (error(); as message) {
            <p class="error-text" role="alert">{{ message }}</p>
          }
        </mat-dialog-content>
        <mat-dialog-actions align="end">
          <button mat-button type="button" mat-dialog-close>Cancel</button>
          <button mat-flat-button type="submit" [disabled]="form.invalid || saving()">Create</button>
        </mat-dialog-actions>
      </form>
    }
  `,
  styles: `
    .warning {
      display: flex;
      align-items: center;
      gap: 8px;
      color: var(--mat-sys-error);
    }
  `,
})
export class ApiTokenCreateDialog {
  private readonly api = inject(ApiTokenApi);
  private readonly clipboard = inject(Clipboard);
  private readonly dialogRef = inject<MatDialogRef<ApiTokenCreateDialog, CreatedApiToken>>(MatDialogRef);
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', [Validators.required, Validators.maxLength(100)]],
    expiresOn: [''],
  });
  protected readonly tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly created = signal<CreatedApiToken | null>(null);
  protected readonly copied = signal(false);

  protected async submit(): Promise<void> {
    if (this.form.invalid || this.saving()) return;
    this.saving.set(true);
    this.error.set(null);
    const { name, expiresOn } = this.form.getRawValue();
    const request: CreateApiTokenRequest = { name: name.trim(), ...(expiresOn ? { expiresAt: endOfDay(expiresOn) } : {}) };
    try {
      this.created.set(await this.api.create(request));
      // Now that the secret shows, Escape or a click outside must not lose it unnoticed.
      this.dialogRef.disableClose = true;
    } catch (error) {
      this.error.set(apiErrorMessage(error));
    } finally {
      this.saving.set(false);
    }
  }

  protected copy(token: string): void {
    this.copied.set(this.clipboard.copy(token));
  }
}
