import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router, RouterLink } from '@angular/router';
import { apiErrorMessage } from '../../core/api-error';
import { Area, Session } from '../../core/session';

/** Sign-in for administrators (`/admin/login`) or tenant users (`/login`, with the tenant's slug). */
@Component({
  selector: 'app-login-page',
  imports: [ReactiveFormsModule, MatCardModule, MatFormFieldModule, MatInputModule, MatButtonModule, MatProgressBarModule, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card class="card" appearance="outlined">
      @if (busy()) {
        <mat-progress-bar mode="indeterminate" />
      }
      <mat-card-header>
        <mat-card-title><h1>{{ title() }}</h1></mat-card-title>
        <mat-card-subtitle>OpenHVX</mat-card-subtitle>
      </mat-card-header>
      <mat-card-content>
        @if (session.endedBecause(); as reason) {
          <p class="notice" role="status">{{ reason }}</p>
        }
        <form [formGroup]="form" (ngSubmit)="submit()">
          @if (area() === 'tenant') {
            <mat-form-field class="full-width">
              <mat-label>Tenant</mat-label>
              <input matInput formControlName="tenant" autocomplete="organization" autocapitalize="none" />
              <mat-hint>Your organisation's short name, e.g. acme</mat-hint>
            </mat-form-field>
          }
          <mat-form-field class="full-width">
            <mat-label>Email</mat-label>
            <input matInput type="email" formControlName="email" autocomplete="username" />
          </mat-form-field>
          <mat-form-field class="full-width">
            <mat-label>Password</mat-label>
            <input matInput type="password" formControlName="password" autocomplete="current-password" />
          </mat-form-field>
          @if (error(); as message) {
            <p class="error-text" role="alert">{{ message }}</p>
          }
          <button mat-flat-button type="submit" class="full-width" [disabled]="busy()">Sign in</button>
        </form>
      </mat-card-content>
      <mat-card-footer class="footer">
        @if (area() === 'tenant') {
          <a routerLink="/admin/login">Administrator sign-in</a>
        } @else {
          <a routerLink="/login">Tenant sign-in</a>
        }
      </mat-card-footer>
    </mat-card>
  `,
  styles: `
    :host {
      display: flex;
      justify-content: center;
      align-items: flex-start;
      padding: 10vh 16px;
      min-height: 100%;
      box-sizing: border-box;
      background: var(--mat-sys-surface-container-low);
    }
    .card {
      width: 100%;
      max-width: 420px;
    }
    h1 {
      margin: 0;
      font: var(--mat-sys-headline-small);
    }
    form {
      margin-top: 16px;
    }
    .notice {
      padding: 8px 12px;
      border-radius: 8px;
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
    .footer {
      padding: 8px 16px 16px;
    }
  `,
})
export class LoginPage {
  /** From the route's data. */
  readonly area = input.required<Area>();
  /** Where to go after signing in (`?returnUrl=`). */
  readonly returnUrl = input<string>();

  protected readonly session = inject(Session);
  private readonly router = inject(Router);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly title = computed(() => (this.area() === 'admin' ? 'Administrator sign-in' : 'Sign in'));
  protected readonly form = new FormGroup({
    tenant: new FormControl('', { nonNullable: true }),
    email: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.email] }),
    password: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
  });

  protected async submit(): Promise<void> {
    const { tenant, email, password } = this.form.getRawValue();
    if (this.form.invalid || (this.area() === 'tenant' && !tenant.trim())) {
      this.error.set(this.area() === 'tenant' ? 'Enter your tenant, email and password.' : 'Enter your email and password.');
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    try {
      if (this.area() === 'admin') await this.session.signInAdmin({ email, password });
      else await this.session.signInTenant({ tenant: tenant.trim().toLowerCase(), email, password });
      const home = this.area() === 'admin' ? '/admin' : '/';
      const target = this.returnUrl();
      await this.router.navigateByUrl(target?.startsWith(home) ? target : home);
    } catch (error) {
      this.error.set(apiErrorMessage(error));
    } finally {
      this.busy.set(false);
    }
  }
}
