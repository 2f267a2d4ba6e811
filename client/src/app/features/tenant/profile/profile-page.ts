import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import { Session } from '../../../core/session';
import { Theme, ThemeChoice } from '../../../core/theme';

/** Who is signed in, in which tenant, and how the app looks for them. */
@Component({
  selector: 'app-profile-page',
  imports: [MatCardModule, MatButtonModule, MatButtonToggleModule, MatIconModule, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <header class="page-header"><h1>Profile</h1></header>
      <div class="card-grid">
        <mat-card appearance="outlined">
          <mat-card-header><mat-card-title><h2>Account</h2></mat-card-title></mat-card-header>
          <mat-card-content>
            @if (session.me(); as me) {
              <dl>
                <dt>Email</dt>
                <dd>{{ me.email }}</dd>
                <dt>Role</dt>
                <dd class="role">{{ me.role }}</dd>
                <dt>Tenant</dt>
                <dd>{{ me.tenant?.name ?? '—' }}</dd>
                <dt>Tenant ID for sign-in</dt>
                <dd class="mono">{{ me.tenant?.slug ?? '—' }}</dd>
              </dl>
              @if (session.readOnly()) {
                <p class="muted">Viewers see everything in the tenant and change nothing.</p>
              }
            }
          </mat-card-content>
          <mat-card-actions>
            <a mat-button routerLink="/api-tokens"><mat-icon>key</mat-icon>API tokens</a>
            <button mat-button (click)="session.signOut()"><mat-icon>logout</mat-icon>Sign out</button>
          </mat-card-actions>
        </mat-card>
        <mat-card appearance="outlined">
          <mat-card-header><mat-card-title><h2>Appearance</h2></mat-card-title></mat-card-header>
          <mat-card-content>
            <p id="theme-label">Theme</p>
            <mat-button-toggle-group aria-labelledby="theme-label" [value]="theme.choice()" (change)="choose($event.value)">
              <mat-button-toggle value="system"><mat-icon>brightness_auto</mat-icon> System</mat-button-toggle>
              <mat-button-toggle value="light"><mat-icon>light_mode</mat-icon> Light</mat-button-toggle>
              <mat-button-toggle value="dark"><mat-icon>dark_mode</mat-icon> Dark</mat-button-toggle>
            </mat-button-toggle-group>
            <p class="muted">System follows your device's setting. The choice is kept in this browser.</p>
          </mat-card-content>
        </mat-card>
      </div>
    </section>
  `,
  styles: `
    h2 {
      font: var(--mat-sys-title-medium);
      margin: 0;
    }
    dl {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 8px 16px;
    }
    dt {
      color: var(--mat-sys-on-surface-variant);
    }
    dd {
      margin: 0;
    }
    .role {
      text-transform: capitalize;
    }
  `,
})
export class ProfilePage {
  protected readonly session = inject(Session);
  protected readonly theme = inject(Theme);

  protected choose(choice: ThemeChoice): void {
    this.theme.choice.set(choice);
  }
}
