import { DatePipe } from '@angular/common';
import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormGroupDirective, NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule } from '@angular/material/paginator';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { TENANT_ROLES, type TenantRole } from '@contracts/auth';
import type { Page, TenantUser } from '@contracts/tenants';
import { apiErrorMessage } from '../../../core/api-error';
import { Session } from '../../../core/session';
import { confirm } from '../../../shared/confirm-dialog';
import { LoadState } from '../../../shared/load-state';
import { TenantUserApi } from './tenant-user-api';
import { valueOf } from '../../../shared/resource-value';
import { Paging } from '../../../shared/paging';

const ROLE_HINTS: Record<TenantRole, string> = {
  owner: 'Owner: everything, including users',
  member: 'Member: creates and runs VMs',
  viewer: 'Viewer: sees everything, changes nothing',
};

/** The tenant's users, for owners: add one with a role, remove one (never the last owner). */
@Component({
  selector: 'app-tenant-users-page',
  imports: [ReactiveFormsModule, MatTableModule, MatPaginatorModule, MatButtonModule, MatCardModule, MatFormFieldModule, MatInputModule, MatSelectModule, DatePipe, LoadState],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <header class="page-header"><h1>Users</h1></header>
      <mat-card appearance="outlined" class="add">
        <mat-card-header><mat-card-title><h2>Add a user</h2></mat-card-title></mat-card-header>
        <mat-card-content>
          <form [formGroup]="form" (ngSubmit)="add(formDirective)" #formDirective="ngForm" class="form-grid">
            <mat-form-field>
              <mat-label>Email</mat-label>
              <input matInput type="email" formControlName="email" autocomplete="off" />
              <mat-error>Enter an email address.</mat-error>
            </mat-form-field>
            <mat-form-field>
              <mat-label>Password</mat-label>
              <input matInput type="password" formControlName="password" autocomplete="new-password" />
              <mat-hint>At least 12 characters</mat-hint>
              <mat-error>At least 12 characters.</mat-error>
            </mat-form-field>
            <mat-form-field>
              <mat-label>Role</mat-label>
              <mat-select formControlName="role">
                @for (role of roles; track role) {
                  <mat-option [value]="role">{{ role }}</mat-option>
                }
              </mat-select>
              <mat-hint>{{ roleHints[form.controls.role.value] }}</mat-hint>
            </mat-form-field>
            <div class="submit">
              <button mat-flat-button type="submit" [disabled]="adding()">Add</button>
            </div>
          </form>
          @if (addError(); as message) {
            <p class="error-text" role="alert">{{ message }}</p>
          }
        </mat-card-content>
      </mat-card>

      @if (removeError(); as message) {
        <p class="error-text" role="alert">{{ message }}</p>
      }
      <app-load-state [loading]="users.isLoading()" [error]="users.error()" [empty]="valueOf(users)?.total === 0" emptyText="No users." (retry)="users.reload()">
        <table mat-table [dataSource]="valueOf(users)?.items ?? []" aria-label="Users">
          <ng-container matColumnDef="email">
            <th mat-header-cell *matHeaderCellDef>Email</th>
            <td mat-cell *matCellDef="let user">
              {{ user.email }}
              @if (user.id === me()?.id) {
                <span class="muted">(you)</span>
              }
            </td>
          </ng-container>
          <ng-container matColumnDef="role">
            <th mat-header-cell *matHeaderCellDef>Role</th>
            <td mat-cell *matCellDef="let user" class="role">{{ user.role }}</td>
          </ng-container>
          <ng-container matColumnDef="createdAt">
            <th mat-header-cell *matHeaderCellDef>Added</th>
            <td mat-cell *matCellDef="let user">{{ user.createdAt | date: 'mediumDate' }}</td>
          </ng-container>
          <ng-container matColumnDef="actions">
            <th mat-header-cell *matHeaderCellDef><span class="cdk-visually-hidden">Actions</span></th>
            <td mat-cell *matCellDef="let user" class="actions">
              <button mat-button [attr.aria-label]="'Remove ' + user.email" [disabled]="removing() === user.id" (click)="remove(user)">Remove</button>
            </td>
          </ng-container>
          <tr mat-header-row *matHeaderRowDef="columns"></tr>
          <tr mat-row *matRowDef="let row; columns: columns"></tr>
        </table>
        <mat-paginator [length]="valueOf(users)?.total ?? 0" [pageSize]="paging.limit()" [pageIndex]="paging.pageIndex()" [pageSizeOptions]="[10, 25, 50]" (page)="paging.turn($event)" />
      </app-load-state>
    </section>
  `,
  styles: `
    h2 {
      font: var(--mat-sys-title-medium);
      margin: 0;
    }
    .add {
      margin-bottom: 24px;
    }
    .submit {
      padding-top: 8px;
    }
    .role {
      text-transform: capitalize;
    }
    .actions {
      text-align: end;
    }
  `,
})
export class TenantUsersPage {
  protected readonly valueOf = valueOf;
  private readonly api = inject(TenantUserApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly me = inject(Session).me;
  protected readonly roles = TENANT_ROLES;
  protected readonly roleHints = ROLE_HINTS;
  protected readonly columns = ['email', 'role', 'createdAt', 'actions'];
  protected readonly paging = new Paging(25);
  protected readonly users = httpResource<Page<TenantUser>>(() => ({ url: '/api/v1/users', params: { limit: this.paging.limit(), offset: this.paging.offset() } }));
  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email, Validators.maxLength(254)]],
    password: ['', [Validators.required, Validators.minLength(12), Validators.maxLength(256)]],
    role: ['member' as TenantRole, Validators.required],
  });
  protected readonly adding = signal(false);
  protected readonly addError = signal<string | null>(null);
  protected readonly removing = signal<string | null>(null);
  protected readonly removeError = signal<string | null>(null);

  protected async add(formDirective: FormGroupDirective): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.adding.set(true);
    this.addError.set(null);
    try {
      const user = await this.api.add(this.form.getRawValue());
      this.snackBar.open(`${user.email} added as ${user.role}`, 'Dismiss', { duration: 5_000 });
      formDirective.resetForm({ email: '', password: '', role: 'member' });
      this.users.reload();
    } catch (error) {
      this.addError.set(apiErrorMessage(error));
    } finally {
      this.adding.set(false);
    }
  }

  protected async remove(user: TenantUser): Promise<void> {
    const confirmed = await confirm(this.dialog, {
      title: `Remove ${user.email}?`,
      message: 'They lose access at once, and their API tokens stop working.',
      confirmLabel: 'Remove',
    });
    if (!confirmed) return;
    this.removing.set(user.id);
    this.removeError.set(null);
    try {
      await this.api.remove(user.id);
      this.snackBar.open(`${user.email} removed`, 'Dismiss', { duration: 5_000 });
      this.users.reload();
    } catch (error) {
      this.removeError.set(apiErrorMessage(error));
    } finally {
      this.removing.set(null);
    }
  }

}
