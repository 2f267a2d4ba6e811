import { DatePipe } from '@angular/common';
import { HttpClient, httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { FormControl, FormGroup, FormGroupDirective, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { TENANT_ROLES, TenantRole } from '@contracts/auth';
import type { CreateTenantUserRequest, Page, TenantUser } from '@contracts/tenants';
import { firstValueFrom } from 'rxjs';
import { apiErrorMessage } from '../../../core/api-error';
import { confirm } from '../../../shared/confirm-dialog';
import { LoadState } from '../../../shared/load-state';
import { valueOf } from '../../../shared/resource-value';

/** The server's minimum, checked here too so the mistake shows before sending. */
const MIN_PASSWORD = 12;

/** A tenant's users: list, add (with a first password and a role), remove. */
@Component({
  selector: 'app-tenant-users',
  imports: [ReactiveFormsModule, MatCardModule, MatTableModule, MatFormFieldModule, MatInputModule, MatSelectModule, MatButtonModule, MatIconModule, MatProgressBarModule, DatePipe, LoadState],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined">
      <mat-card-header><h2 mat-card-title>Users</h2></mat-card-header>
      <mat-card-content>
        <app-load-state [loading]="users.isLoading()" [error]="users.error()" [empty]="valueOf(users)?.total === 0" emptyText="No users yet: add an owner." (retry)="users.reload()">
          <table mat-table [dataSource]="valueOf(users)?.items ?? []" aria-label="Users">
            <ng-container matColumnDef="email">
              <th mat-header-cell *matHeaderCellDef>Email</th>
              <td mat-cell *matCellDef="let user">{{ user.email }}</td>
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
                <button mat-icon-button [attr.aria-label]="'Remove ' + user.email" [disabled]="removing() === user.id" (click)="remove(user)"><mat-icon>person_remove</mat-icon></button>
              </td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <tr mat-row *matRowDef="let row; columns: columns"></tr>
          </table>
        </app-load-state>
        <h3>Add user</h3>
        <form [formGroup]="form" (ngSubmit)="add(formDirective)" #formDirective="ngForm" aria-label="Add user">
          <div class="form-grid">
            <mat-form-field>
              <mat-label>Email</mat-label>
              <input matInput type="email" formControlName="email" autocomplete="off" />
            </mat-form-field>
            <mat-form-field>
              <mat-label>Password</mat-label>
              <input matInput type="password" formControlName="password" autocomplete="new-password" />
              <mat-hint>At least {{ minPassword }} characters</mat-hint>
            </mat-form-field>
            <mat-form-field>
              <mat-label>Role</mat-label>
              <mat-select formControlName="role">
                @for (role of roles; track role) {
                  <mat-option [value]="role">{{ role }}</mat-option>
                }
              </mat-select>
            </mat-form-field>
          </div>
          @if (adding()) {
            <mat-progress-bar mode="indeterminate" aria-label="Adding user" />
          }
          @if (error(); as message) {
            <p class="error-text" role="alert">{{ message }}</p>
          }
          <button mat-flat-button type="submit" [disabled]="adding()">Add</button>
        </form>
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .role {
      text-transform: capitalize;
    }
    .actions {
      width: 48px;
    }
    h3 {
      font: var(--mat-sys-title-small);
      margin: 24px 0 8px;
    }
  `,
})
export class TenantUsers {
  readonly tenantId = input.required<string>();

  protected readonly valueOf = valueOf;
  private readonly http = inject(HttpClient);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly roles = TENANT_ROLES;
  protected readonly minPassword = MIN_PASSWORD;
  protected readonly columns = ['email', 'role', 'createdAt', 'actions'];
  protected readonly users = httpResource<Page<TenantUser>>(() => ({ url: `/api/v1/admin/tenants/${this.tenantId()}/users`, params: { limit: 200 } }));
  protected readonly adding = signal(false);
  protected readonly removing = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly form = new FormGroup({
    email: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.email] }),
    password: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.minLength(MIN_PASSWORD)] }),
    role: new FormControl<TenantRole>('member', { nonNullable: true }),
  });

  /** Reset through the directive, so the emptied form does not show as submitted with errors. */
  protected async add(formDirective: FormGroupDirective): Promise<void> {
    const { email, password, role } = this.form.getRawValue();
    if (this.form.controls.email.invalid) return this.error.set('Enter the user’s email address.');
    if (this.form.controls.password.invalid) return this.error.set(`The password needs at least ${MIN_PASSWORD} characters.`);
    this.adding.set(true);
    this.error.set(null);
    try {
      const body: CreateTenantUserRequest = { email: email.trim(), password, role };
      const user = await firstValueFrom(this.http.post<TenantUser>(`/api/v1/admin/tenants/${this.tenantId()}/users`, body));
      formDirective.resetForm({ email: '', password: '', role: 'member' });
      this.users.reload();
      this.snackBar.open(`${user.email} added as ${user.role}`, undefined, { duration: 3_000 });
    } catch (error) {
      this.error.set(apiErrorMessage(error));
    } finally {
      this.adding.set(false);
    }
  }

  protected async remove(user: TenantUser): Promise<void> {
    const confirmed = await confirm(this.dialog, {
      title: `Remove ${user.email}?`,
      message: 'They can no longer sign in to this tenant.',
      confirmLabel: 'Remove',
    });
    if (!confirmed) return;
    this.removing.set(user.id);
    try {
      await firstValueFrom(this.http.delete(`/api/v1/admin/tenants/${this.tenantId()}/users/${user.id}`));
      this.users.reload();
      this.snackBar.open(`${user.email} removed`, undefined, { duration: 3_000 });
    } catch (error) {
      this.snackBar.open(apiErrorMessage(error), 'Dismiss', { duration: 10_000 });
    } finally {
      this.removing.set(null);
    }
  }
}
