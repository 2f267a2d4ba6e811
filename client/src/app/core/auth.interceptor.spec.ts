import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { authInterceptor } from './auth.interceptor';
import { Session } from './session';

const ME = { id: 'u1', email: 'owner@acme.test', scope: 'tenant' as const, role: 'owner' as const, tenant: { id: 't1', slug: 'acme', name: 'Acme' } };

describe('authInterceptor with Session', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  let session: Session;

  beforeEach(async () => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
    session = TestBed.inject(Session);
    const signingIn = session.signInTenant({ tenant: 'acme', email: ME.email, password: 'pw' });
    backend.expectOne('/api/v1/auth/tenant/login').flush({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 900, tokenType: 'Bearer' });
    await Promise.resolve();
    const me = backend.expectOne('/api/v1/me');
    expect(me.request.headers.get('Authorization')).toBe('Bearer access-1');
    me.flush(ME);
    await signingIn;
  });

  afterEach(() => backend.verify());

  it('sends the access token with API calls and keeps the session across reloads', async () => {
    const call = firstValueFrom(http.get('/api/v1/vms'));
    const request = backend.expectOne('/api/v1/vms');
    expect(request.request.headers.get('Authorization')).toBe('Bearer access-1');
    request.flush({ items: [], total: 0 });
    await call;
    expect(JSON.parse(localStorage.getItem('openhvx.session')!)).toMatchObject({ area: 'tenant', refreshToken: 'refresh-1', me: { email: ME.email } });
  });

  it('refreshes once on a 401 and retries with the new token', async () => {
    const call = firstValueFrom(http.get('/api/v1/quota'));
    backend.expectOne('/api/v1/quota').flush({ code: 'INVALID_TOKEN', message: 'expired' }, { status: 401, statusText: 'Unauthorized' });
    await Promise.resolve();
    const refresh = backend.expectOne('/api/v1/auth/refresh');
    expect(refresh.request.body).toEqual({ refreshToken: 'refresh-1' });
    refresh.flush({ accessToken: 'access-2', refreshToken: 'refresh-2', expiresIn: 900, tokenType: 'Bearer' });
    await new Promise((resolve) => setTimeout(resolve));
    const retried = backend.expectOne('/api/v1/quota');
    expect(retried.request.headers.get('Authorization')).toBe('Bearer access-2');
    retried.flush({ ok: true });
    expect(await call).toEqual({ ok: true });
    expect(session.accessToken()).toBe('access-2');
  });

  it('returns to the sign-in page with a message when the refresh is refused', async () => {
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    const call = firstValueFrom(http.get('/api/v1/quota'));
    backend.expectOne('/api/v1/quota').flush({ code: 'INVALID_TOKEN', message: 'expired' }, { status: 401, statusText: 'Unauthorized' });
    await Promise.resolve();
    backend.expectOne('/api/v1/auth/refresh').flush({ code: 'INVALID_REFRESH_TOKEN', message: 'no' }, { status: 401, statusText: 'Unauthorized' });
    await expect(call).rejects.toMatchObject({ status: 401 });
    await new Promise((resolve) => setTimeout(resolve));
    expect(navigate).toHaveBeenCalledWith('/login');
    expect(session.current()).toBeNull();
    expect(session.endedBecause()).toBe('Your session has ended. Sign in again.');
  });

  it('signing out revokes the refresh token and forgets the session', async () => {
    vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    const out = session.signOut();
    const logout = backend.expectOne('/api/v1/auth/logout');
    expect(logout.request.body).toEqual({ refreshToken: 'refresh-1' });
    logout.flush(null, { status: 204, statusText: 'No Content' });
    await out;
    expect(localStorage.getItem('openhvx.session')).toBeNull();
  });
});
