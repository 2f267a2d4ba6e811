import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { MatMenuModule } from '@angular/material/menu';
import { MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { map } from 'rxjs';
import { LiveEvents } from './live-events';
import { Session } from './session';
import { TaskNotifier } from './task-notifier';
import { Theme } from './theme';

export interface NavItem {
  label: string;
  icon: string;
  link: string;
  /** Shown only when this returns true (e.g. owners only). */
  visible?: () => boolean;
}

/** The frame of each area: toolbar with the theme switch and the user menu, navigation, the page. */
@Component({
  selector: 'app-shell',
  imports: [MatToolbarModule, MatSidenavModule, MatListModule, MatIconModule, MatButtonModule, MatMenuModule, MatTooltipModule, RouterOutlet, RouterLink, RouterLinkActive],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-toolbar class="toolbar">
      @if (handset()) {
        <button mat-icon-button aria-label="Menu" (click)="nav.toggle()"><mat-icon>menu</mat-icon></button>
      }
      <span class="brand">OpenHVX</span>
      <span class="muted area">{{ subtitle() }}</span>
      <span class="spacer"></span>
      @if (!events.connected()) {
        <mat-icon class="muted" matTooltip="Live updates are reconnecting">cloud_off</mat-icon>
      }
      <button mat-icon-button [attr.aria-label]="'Theme: ' + theme.choice()" [matTooltip]="'Theme: ' + theme.choice()" (click)="theme.cycle()">
        <mat-icon>{{ themeIcon() }}</mat-icon>
      </button>
      <button mat-button [matMenuTriggerFor]="userMenu" aria-label="Account">
        <mat-icon>account_circle</mat-icon> {{ session.me()?.email }}
      </button>
      <mat-menu #userMenu="matMenu">
        @if (profileLink()) {
          <a mat-menu-item [routerLink]="profileLink()"><mat-icon>person</mat-icon>Profile</a>
        }
        <button mat-menu-item (click)="session.signOut()"><mat-icon>logout</mat-icon>Sign out</button>
      </mat-menu>
    </mat-toolbar>
    <mat-sidenav-container class="container">
      <mat-sidenav #nav [mode]="handset() ? 'over' : 'side'" [opened]="!handset()" class="nav">
        <mat-nav-list>
          @for (item of visibleItems(); track item.link) {
            <a mat-list-item [routerLink]="item.link" routerLinkActive [routerLinkActiveOptions]="{ exact: item.link === '/' || item.link === '/admin' }" #active="routerLinkActive" [activated]="active.isActive" (click)="handset() && nav.close()">
              <mat-icon matListItemIcon>{{ item.icon }}</mat-icon>
              <span matListItemTitle>{{ item.label }}</span>
            </a>
          }
        </mat-nav-list>
      </mat-sidenav>
      <mat-sidenav-content>
        <main><router-outlet /></main>
      </mat-sidenav-content>
    </mat-sidenav-container>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      height: 100%;
    }
    .toolbar {
      gap: 8px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .brand {
      font: var(--mat-sys-title-large);
    }
    .area {
      font: var(--mat-sys-title-small);
    }
    .container {
      flex: 1;
    }
    .nav {
      width: 232px;
    }
  `,
})
export class Shell {
  readonly items = input.required<NavItem[]>();
  readonly subtitle = input('');
  readonly profileLink = input<string | null>(null);

  protected readonly session = inject(Session);
  protected readonly theme = inject(Theme);
  protected readonly events = inject(LiveEvents);
  protected readonly handset = toSignal(inject(BreakpointObserver).observe('(max-width: 800px)').pipe(map((state) => state.matches)), { initialValue: false });
  protected readonly visibleItems = computed(() => this.items().filter((item) => item.visible?.() ?? true));
  protected readonly themeIcon = computed(() => ({ system: 'brightness_auto', light: 'light_mode', dark: 'dark_mode' })[this.theme.choice()]);

  constructor() {
    inject(TaskNotifier);
  }
}
