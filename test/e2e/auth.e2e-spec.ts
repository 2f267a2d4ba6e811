import { bearer, loginAdmin, memberOf, tenantActor } from '../support/actors';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp, USER_PASSWORD } from '../support/test-app';

describe('auth', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe('POST /api/v1/auth/admin/login', () => {
    it('answers a token pair for the bootstrap admin', async () => {
      const { body } = await t.http.post('/api/v1/auth/admin/login').send({ email: ADMIN_EMAIL.toUpperCase(), password: ADMIN_PASSWORD }).expect(200);
      expect(body).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 900, tokenType: 'Bearer' });
    });

    it('gives the same 401 for an unknown email and a wrong password', async () => {
      const unknown = await t.http.post('/api/v1/auth/admin/login').send({ email: 'nobody@test.local', password: ADMIN_PASSWORD }).expect(401);
      const wrong = await t.http.post('/api/v1/auth/admin/login').send({ email: ADMIN_EMAIL, password: 'not the password' }).expect(401);
      expect(unknown.body.code).toBe('INVALID_CREDENTIALS');
      expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
      expect(unknown.body.message).toBe(wrong.body.message);
    });

    it('rejects bad input with per-field details', async () => {
      const { body } = await t.http.post('/api/v1/auth/admin/login').send({ email: 'not-an-email', password: 1, role: 'x' }).expect(400);
      expect(body.code).toBe('VALIDATION_FAILED');
      expect(body.details.map((d: { field: string }) => d.field).sort()).toEqual(['email', 'password', 'role']);
    });
  });

  describe('POST /api/v1/auth/tenant/login', () => {
    it('logs a tenant user in with the tenant slug', async () => {
      const owner = await tenantActor(t.http, t.admin.accessToken);
      const { body } = await t.http.post('/api/v1/auth/tenant/login').send({ tenant: owner.slug, email: owner.email, password: USER_PASSWORD }).expect(200);
      expect(body.tokenType).toBe('Bearer');
      const me = await t.http.get('/api/v1/me').set(bearer(body.accessToken)).expect(200);
      expect(me.body).toEqual({ id: owner.userId, email: owner.email, scope: 'tenant', role: 'owner', tenant: { id: owner.tenantId, slug: owner.slug, name: `Tenant ${owner.slug}` } });
    });

    it('refuses a user of one tenant logging in through another tenant', async () => {
      const a = await tenantActor(t.http, t.admin.accessToken);
      const b = await tenantActor(t.http, t.admin.accessToken);
      const { body } = await t.http.post('/api/v1/auth/tenant/login').send({ tenant: b.slug, email: a.email, password: USER_PASSWORD }).expect(401);
      expect(body.code).toBe('INVALID_CREDENTIALS');
    });

    it('rejects bad input', async () => {
      const { body } = await t.http.post('/api/v1/auth/tenant/login').send({ tenant: 'Not A Slug', email: 'a@example.com', password: 'x' }).expect(400);
      expect(body.details).toEqual([{ field: 'tenant', errors: ['tenant must be a tenant slug'] }]);
    });
  });

  describe('GET /api/v1/me', () => {
    it('describes an admin', async () => {
      const { body } = await t.http.get('/api/v1/me').set(bearer(t.admin.accessToken)).expect(200);
      expect(body).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/), email: ADMIN_EMAIL, scope: 'admin', role: 'admin' });
    });

    it('answers 401 without a token and with a forged one', async () => {
      expect((await t.http.get('/api/v1/me').expect(401)).body.code).toBe('UNAUTHENTICATED');
      const [header, payload] = t.admin.accessToken.split('.');
      const forged = `${header}.${payload}.${Buffer.from('forged').toString('base64url')}`;
      expect((await t.http.get('/api/v1/me').set(bearer(forged)).expect(401)).body.code).toBe('INVALID_TOKEN');
    });
  });

  describe('audiences', () => {
    it('refuses an admin token on tenant routes and a tenant token on admin routes', async () => {
      const owner = await tenantActor(t.http, t.admin.accessToken);
      const onTenantRoute = await t.http.get('/api/v1/quota').set(bearer(t.admin.accessToken)).expect(403);
      const onAdminRoute = await t.http.get('/api/v1/admin/tenants').set(bearer(owner.accessToken)).expect(403);
      expect(onTenantRoute.body.code).toBe('WRONG_AUDIENCE');
      expect(onAdminRoute.body.code).toBe('WRONG_AUDIENCE');
    });
  });

  describe('POST /api/v1/auth/refresh', () => {
    it('rotates the pair: the new refresh token works, the access token is valid', async () => {
      const first = await loginAdmin(t.http);
      const { body: second } = await t.http.post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      await t.http.get('/api/v1/me').set(bearer(second.accessToken)).expect(200);
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: second.refreshToken }).expect(200);
    });

    it('revokes the whole family when a refresh token is used twice', async () => {
      const first = await loginAdmin(t.http);
      const { body: second } = await t.http.post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200);
      const reuse = await t.http.post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401);
      expect(reuse.body.code).toBe('REFRESH_TOKEN_REUSED');
      const afterReuse = await t.http.post('/api/v1/auth/refresh').send({ refreshToken: second.refreshToken }).expect(401);
      expect(afterReuse.body.code).toBe('INVALID_REFRESH_TOKEN');
    });

    it('lets exactly one of many concurrent uses of a refresh token win', async () => {
      const { refreshToken } = await loginAdmin(t.http);
      const answers = await Promise.all(Array.from({ length: 8 }, () => t.http.post('/api/v1/auth/refresh').send({ refreshToken })));
      expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
      expect(answers.filter((a) => a.status === 401)).toHaveLength(7);
    });

    it('refuses an unknown token and bad input', async () => {
      expect((await t.http.post('/api/v1/auth/refresh').send({ refreshToken: 'nope' }).expect(401)).body.code).toBe('INVALID_REFRESH_TOKEN');
      expect((await t.http.post('/api/v1/auth/refresh').send({}).expect(400)).body.code).toBe('VALIDATION_FAILED');
    });

    it('gives no new tokens to a user who was removed', async () => {
      const owner = await tenantActor(t.http, t.admin.accessToken);
      const member = await memberOf(t.http, t.admin.accessToken, owner, 'member');
      await t.http.delete(`/api/v1/users/${member.userId}`).set(bearer(owner.accessToken)).expect(204);
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: member.refreshToken }).expect(401);
      await t.http.get('/api/v1/me').set(bearer(member.accessToken)).expect(401);
    });
  });

  describe('POST /api/v1/auth/logout', () => {
    it('ends the session: its refresh token stops working', async () => {
      const session = await loginAdmin(t.http);
      await t.http.post('/api/v1/auth/logout').send({ refreshToken: session.refreshToken }).expect(204);
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: session.refreshToken }).expect(401);
    });

    it('refuses an unknown token and bad input', async () => {
      expect((await t.http.post('/api/v1/auth/logout').send({ refreshToken: 'unknown' }).expect(401)).body.code).toBe('INVALID_REFRESH_TOKEN');
      await t.http.post('/api/v1/auth/logout').send({ refreshToken: 42 }).expect(400);
    });
  });
});
