import { DatePipe } from '@angular/common';
import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import type { ApiToken } from '@contracts/auth';
import { firstValueFrom } from 'rxjs';
import { apiErrorMessage } from '../../../core/api-error';
import { confirm } from '../../../shared/confirm-dialog';
import { LoadState } from '../../../shared/load-state';
import { ApiTokenApi } from './api-token-api';
import { ApiTokenCreateDialog } from './api-token-create-dialog';
import { valueOf } from '../../../shared/resource-value';

/**
 * The signed-in user's API tokens: create (the secret shows once), list, revoke. Viewers may have tokens
 * too; theirs act read-only, as they do.
 */
@Component({
  selector: 'app-api-tokens-page',
  imports: [MatTableModule, MatButtonModule, MatIconModule, DatePipe, LoadState],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <header class="page-header">
        <h1>API tokens</h1>
        <button mat-flat-button (click)="create()"><mat-icon>add</mat-icon>New token</button>
      </header>
      <p class="muted">Tokens let scripts and tools call the API as you. Revoke one you no longer use.</p>
      <app-load-state [loading]="tokens.isLoading()" [error]="tokens.error()" [empty]="valueOf(tokens)?.length === 0" emptyText="No API tokens yet." (retry)="tokens.reload()">
        <table mat-table [dataSource]="valueOf(tokens) ?? []" aria-label="API tokens">
          <ng-container matColumnDef="name">
            <th mat-header-cell *matHeaderCellDef>Name</th>
            <td mat-cell *matCellDef="let token">{{ token.name }}</td>
          </ng-container>
          <ng-container matColumnDef="prefix">
            <th mat-header-cell *matHeaderCellDef>Starts with</th>
            <td mat-cell *matCellDef="let token" class="mono">{{ token.prefix }}…</td>
          </ng-container>
          <ng-container matColumnDef="createdAt">
            <th mat-header-cell *matHeaderCellDef>Created</th>
            <td mat-cell *matCellDef="let token">{{ token.createdAt | date: 'medium' }}</td>
          </ng-container>
          <ng-container matColumnDef="lastUsedAt">
            <th mat-header-cell *matHeaderCellDef>Last used</th>
            <td mat-cell *matCellDef="let token">{{ token.lastUsedAt ? (token.lastUsedAt | date: 'medium') : 'Never' }}</td>
          </ng-container>
          <ng-container matColumnDef="expiresAt">
            <th mat-header-cell *matHeaderCellDef>Expires</th>
            <td mat-cell *matCellDef="let token">{{ token.expiresAt ? (token.expiresAt | date: 'mediumDate') : 'Never' }}</td>
          </ng-container>
          <ng-container matColumnDef="actions">
            <th mat-header-cell *matHeaderCellDef><span class="cdk-visually-hidden">Actions</span></th>
            <td mat-cell *matCellDef="let token" class="actions">
              <button mat-button [attr.aria-label]="'Revoke ' + token.name" [disabled]="revoking() === token.id" (click)="revoke(token)">Revoke</button>
            </td>
          </ng-container>
          <tr mat-header-row *matHeaderRowDef="columns"></tr>
          <tr mat-row *matRowDef="let row; columns: columns"></tr>
        </table>
      </app-load-state>
    </section>
  `,
  styles: `
    .actions {
      text-align: end;
    }
  `,
})
export class ApiTokensPage {
  protected readonly valueOf = valueOf;
  private readonly api = inject(ApiTokenApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly columns = ['name', 'prefix', 'createdAt', 'lastUsedAt', 'expiresAt', 'actions'];
  protected readonly tokens = httpResource<ApiToken[]>(() => '/api/v1/api-tokens');
  protected readonly revoking = signal<string | null>(null);

  protected async create(): Promise<void> {
    const created = await firstValueFrom(this.dialog.open(ApiTokenCreateDialog, { width: '520px' }).afterClosed());
    if (created) this.tokens.reload();
  }

  protected async revoke(token: ApiToken): Promise<void> {
    const confirmed = await confirm(this.dialog, {
      title: `Revoke ${token.name}?`,
      message: 'Anything still using this token loses access at once.',
      confirmLabel: 'Revoke',
    });
    if (!confirmed) return;
    this.revoking.set(token.id);
    try {
      await this.api.revoke(token.id);
      this.snackBar.open(`Token ${token.name} revoked`, 'Dismiss', { duration: 5_000 });
      this.tokens.reload();
    } catch (error) {
      this.snackBar.open(apiErrorMessage(error), 'Dismiss', { duration: 8_000 });
    } finally {
      this.revoking.set(null);
    }
  }
}
