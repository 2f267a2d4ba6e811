import { HttpBackend, HttpClient } from '@angular/common/http';
import { computed, inject, Injectable, signal } from '@angular/core';
import { Router } from '@angular/router';
import type { Me, TokenPair } from '@contracts/auth';
import { firstValueFrom } from 'rxjs';

/** The two halves of the app, each with its own sign-in and token audience. */
export type Area = 'admin' | 'tenant';

export interface StoredSession {
  area: Area;
  accessToken: string;
  refreshToken: string;
  me: Me;
}

export interface TenantCredentials {
  tenant: string;
  email: string;
  password: string;
}

export interface AdminCredentials {
  email: string;
  password: string;
}

const STORAGE_KEY = 'openhvx.session';

export function loginPath(area: Area): string {
  return area === 'admin' ? '/admin/login' : '/login';
}

/**
 * The signed-in user's tokens, kept in localStorage so a reload or a new tab stays signed in. Its own
 * HttpClient (straight to the backend) keeps sign-in and refresh out of the auth interceptor.
 */
@Injectable({ providedIn: 'root' })
export class Session {
  private readonly http = new HttpClient(inject(HttpBackend));
  private readonly router = inject(Router);
  private readonly state = signal<StoredSession | null>(readStored());
  private refreshing: Promise<string | null> | null = null;

  readonly current = this.state.asReadonly();
  readonly me = computed(() => this.state()?.me ?? null);
  readonly area = computed(() => this.state()?.area ?? null);
  readonly readOnly = computed(() => this.state()?.me.role === 'viewer');
  /** Why the last session ended, shown once on the sign-in page. */
  readonly endedBecause = signal<string | null>(null);

  constructor() {
    // Another tab signed in or out.
    window.addEventListener('storage', (event) => {
      if (event.key === STORAGE_KEY) this.state.set(readStored());
    });
  }

  accessToken(): string | null {
    return this.state()?.accessToken ?? null;
  }

  async signInAdmin(credentials: AdminCredentials): Promise<void> {
    await this.signIn('admin', '/api/v1/auth/admin/login', credentials);
  }

  async signInTenant(credentials: TenantCredentials): Promise<void> {
    await this.signIn('tenant', '/api/v1/auth/tenant/login', credentials);
  }

  /** A new access token from the refresh token; concurrent callers share one refresh. Null when the session is over. */
  refresh(): Promise<string | null> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  /** Revokes the refresh token, forgets the session and goes to the area's sign-in page. */
  async signOut(): Promise<void> {
    const session = this.state();
    if (!session) return;
    this.store(null);
    this.endedBecause.set(null);
    await firstValueFrom(this.http.post('/api/v1/auth/logout', { refreshToken: session.refreshToken })).catch(() => undefined);
    await this.router.navigateByUrl(loginPath(session.area));
  }

  /** The server no longer accepts the session: back to sign-in, saying why. */
  async expire(message: string): Promise<void> {
    const area = this.state()?.area ?? (location.pathname.startsWith('/admin') ? 'admin' : 'tenant');
    this.store(null);
    this.endedBecause.set(message);
    await this.router.navigateByUrl(loginPath(area));
  }

  private async signIn(area: Area, path: string, credentials: AdminCredentials | TenantCredentials): Promise<void> {
    const tokens = await firstValueFrom(this.http.post<TokenPair>(path, credentials));
    const me = await firstValueFrom(this.http.get<Me>('/api/v1/me', { headers: { Authorization: `Bearer ${tokens.accessToken}` } }));
    this.endedBecause.set(null);
    this.store({ area, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, me });
  }

  private async doRefresh(): Promise<string | null> {
    const session = this.state();
    if (!session) return null;
    try {
      const tokens = await firstValueFrom(this.http.post<TokenPair>('/api/v1/auth/refresh', { refreshToken: session.refreshToken }));
      this.store({ ...session, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken });
      return tokens.accessToken;
    } catch {
      return null;
    }
  }

  private store(session: StoredSession | null): void {
    this.state.set(session);
    if (session) localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    else localStorage.removeItem(STORAGE_KEY);
  }
}

function readStored(): StoredSession | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as StoredSession) : null;
  } catch {
    return null;
  }
}
