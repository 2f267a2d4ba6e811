import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { Enrollment } from '@contracts/hosts';

/** The agent command line with its one-time token, to copy onto the host, and when the token expires. */
@Component({
  selector: 'app-enrollment-command',
  imports: [MatFormFieldModule, MatInputModule, MatButtonModule, MatIconModule, DatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p>Run this on the host to install its agent's credential. The token is shown only now and works once.</p>
    <mat-form-field class="full-width" subscriptSizing="dynamic">
      <mat-label>Enrollment command</mat-label>
      <textarea matInput readonly rows="3" class="mono" [value]="enrollment().command" (focus)="$any($event.target).select()"></textarea>
    </mat-form-field>
    <div class="footer">
      <button mat-stroked-button type="button" (click)="copy()"><mat-icon>content_copy</mat-icon>Copy command</button>
      <span class="muted">Token expires {{ enrollment().expiresAt | date: 'medium' }}</span>
    </div>
  `,
  styles: `
    :host {
      display: block;
    }
    .footer {
      display: flex;
      align-items: center;
      gap: 16px;
      flex-wrap: wrap;
      margin-top: 12px;
    }
    textarea {
      word-break: break-all;
    }
  `,
})
export class EnrollmentCommand {
  readonly enrollment = input.required<Enrollment>();
  private readonly snackBar = inject(MatSnackBar);

  protected async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.enrollment().command);
      this.snackBar.open('Copied', undefined, { duration: 2_000 });
    } catch {
      this.snackBar.open('The browser refused to copy: select the command and copy it by hand.', 'Dismiss', { duration: 8_000 });
    }
  }
}
