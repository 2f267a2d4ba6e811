import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { apiErrorMessage } from '../core/api-error';

/**
 * The loading, error and empty states every list and page shows, around its content:
 * `<app-load-state [loading]="r.isLoading()" [error]="r.error()" [empty]="valueOf(r)?.total === 0">…</app-load-state>`.
 */
@Component({
  selector: 'app-load-state',
  imports: [MatProgressBarModule, MatButtonModule, MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (loading()) {
      <mat-progress-bar mode="indeterminate" aria-label="Loading" />
    }
    @if (error(); as failure) {
      <div class="state error" role="alert">
        <mat-icon>error</mat-icon>
        <span>{{ message(failure) }}</span>
        <button mat-button (click)="retry.emit()">Try again</button>
      </div>
    } @else if (empty() && !loading()) {
      <div class="state muted">
        <mat-icon>inbox</mat-icon>
        <span>{{ emptyText() }}</span>
      </div>
    } @else {
      <ng-content />
    }
  `,
  styles: `
    .state {
      display: flex;
      align-items: center;
      gap: 12px;
      padding: 32px 16px;
      justify-content: center;
    }
    .error {
      color: var(--mat-sys-error);
    }
  `,
})
export class LoadState {
  readonly loading = input(false);
  readonly error = input<unknown>(undefined);
  readonly empty = input(false);
  readonly emptyText = input('Nothing here yet.');
  readonly retry = output<void>();

  protected message(error: unknown): string {
    return apiErrorMessage(error);
  }
}
