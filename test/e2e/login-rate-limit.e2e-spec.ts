import { loginAdmin } from '../support/actors';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from '../support/test-app';

describe('login rate limits', () => {
  describe('per account', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ OPENHVX_LOGIN_MAX_FAILURES: '3' });
    });
    afterAll(() => t.close());

    it('answers 429 with Retry-After once an account has too many failures, even with the right password', async () => {
      for (let i = 0; i < 3; i++) {
        await t.http.post('/api/v1/auth/admin/login').send({ email: ADMIN_EMAIL, password: 'wrong password' }).expect(401);
      }
      const blocked = await t.http.post('/api/v1/auth/admin/login').send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }).expect(429);
      expect(blocked.body.code).toBe('TOO_MANY_REQUESTS');
      const retryAfter = Number(blocked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(60);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    });

    it('counts failures per account, not for everyone', async () => {
      const other = await t.http.post('/api/v1/auth/tenant/login').send({ tenant: 'some-tenant', email: ADMIN_EMAIL, password: 'x' });
      expect(other.status).toBe(401);
    });
  });

  describe('per IP', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ OPENHVX_LOGIN_MAX_PER_IP: '4' });
    });
    afterAll(() => t.close());

    it('answers 429 once one address makes too many attempts, whatever the accounts', async () => {
      // startTestApp's admin login was the first attempt
      for (let i = 0; i < 3; i++) {
        await t.http.post('/api/v1/auth/tenant/login').send({ tenant: `tenant-${i}`, email: `user${i}@example.com`, password: 'x' }).expect(401);
      }
      const blocked = await t.http.post('/api/v1/auth/admin/login').send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }).expect(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(60);
    });
  });

  describe('after a success', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ OPENHVX_LOGIN_MAX_FAILURES: '3' });
    });
    afterAll(() => t.close());

    it('forgets earlier failures of the account', async () => {
      for (let i = 0; i < 2; i++) await t.http.post('/api/v1/auth/admin/login').send({ email: ADMIN_EMAIL, password: 'wrong' }).expect(401);
      await loginAdmin(t.http);
      for (let i = 0; i < 2; i++) await t.http.post('/api/v1/auth/admin/login').send({ email: ADMIN_EMAIL, password: 'wrong' }).expect(401);
      await loginAdmin(t.http);
    });
  });
});
