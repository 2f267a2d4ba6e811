import { Types } from 'mongoose';
import { bearer, createTenant, loginTenant, memberOf, tenantActor } from '../support/actors';
import { startTestApp, TestApp, USER_PASSWORD } from '../support/test-app';

const newUser = (role = 'member') => ({ email: `u-${new Types.ObjectId().toHexString()}@example.com`, password: USER_PASSWORD, role });

describe('tenant users', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe('admin: /api/v1/admin/tenants/:id/users', () => {
    it('creates, lists and deletes users, never returning a password hash', async () => {
      const tenant = await createTenant(t.http, t.admin.accessToken);
      const input = newUser('owner');
      const { body: created } = await t.http.post(`/api/v1/admin/tenants/${tenant.id}/users`).set(bearer(t.admin.accessToken)).send({ ...input, email: input.email.toUpperCase() }).expect(201);
      expect(created).toEqual({ id: expect.any(String), email: input.email, role: 'owner', createdAt: expect.any(String) });
      const second = await t.http.post(`/api/v1/admin/tenants/${tenant.id}/users`).set(bearer(t.admin.accessToken)).send(newUser('viewer')).expect(201);

      const { body: list } = await t.http.get(`/api/v1/admin/tenants/${tenant.id}/users`).set(bearer(t.admin.accessToken)).expect(200);
      expect(list.total).toBe(2);
      expect(JSON.stringify(list)).not.toMatch(/password|argon2/i);

      await t.http.delete(`/api/v1/admin/tenants/${tenant.id}/users/${second.body.id}`).set(bearer(t.admin.accessToken)).expect(204);
      expect((await t.http.get(`/api/v1/admin/tenants/${tenant.id}/users`).set(bearer(t.admin.accessToken)).expect(200)).body.total).toBe(1);
      const stored = await t.connection.collection('tenant_users').findOne({ email: input.email });
      expect(stored?.passwordHash).toMatch(/^\$argon2id\$/);
    });

    it('refuses a duplicate email in the same tenant but allows it in another', async () => {
      const a = await createTenant(t.http, t.admin.accessToken);
      const b = await createTenant(t.http, t.admin.accessToken);
      const input = newUser();
      await t.http.post(`/api/v1/admin/tenants/${a.id}/users`).set(bearer(t.admin.accessToken)).send(input).expect(201);
      await t.http.post(`/api/v1/admin/tenants/${a.id}/users`).set(bearer(t.admin.accessToken)).send(input).expect(409);
      await t.http.post(`/api/v1/admin/tenants/${b.id}/users`).set(bearer(t.admin.accessToken)).send(input).expect(201);
    });

    it.each([
      [{ email: 'x@example.com', password: 'short', role: 'member' }, 'password'],
      [{ email: 'nope', password: USER_PASSWORD, role: 'member' }, 'email'],
      [{ email: 'x@example.com', password: USER_PASSWORD, role: 'admin' }, 'role'],
      [{ email: 'x@example.com', password: USER_PASSWORD }, 'role'],
    ])('rejects %j (field %s)', async (input, field) => {
      const tenant = await createTenant(t.http, t.admin.accessToken);
      const { body } = await t.http.post(`/api/v1/admin/tenants/${tenant.id}/users`).set(bearer(t.admin.accessToken)).send(input).expect(400);
      expect(body.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it('answers 404 for an unknown tenant or a user of another tenant', async () => {
      const unknown = new Types.ObjectId().toHexString();
      await t.http.post(`/api/v1/admin/tenants/${unknown}/users`).set(bearer(t.admin.accessToken)).send(newUser()).expect(404);
      await t.http.get(`/api/v1/admin/tenants/${unknown}/users`).set(bearer(t.admin.accessToken)).expect(404);
      const a = await tenantActor(t.http, t.admin.accessToken);
      const b = await createTenant(t.http, t.admin.accessToken);
      await t.http.delete(`/api/v1/admin/tenants/${b.id}/users/${a.userId}`).set(bearer(t.admin.accessToken)).expect(404);
    });

    it('is closed to anonymous callers and tenant tokens', async () => {
      const owner = await tenantActor(t.http, t.admin.accessToken);
      const base = `/api/v1/admin/tenants/${owner.tenantId}/users`;
      for (const [method, path] of [['post', base], ['get', base], ['delete', `${base}/${owner.userId}`]] as const) {
        await t.http[method](path).send(newUser()).expect(401);
        await t.http[method](path).set(bearer(owner.accessToken)).send(newUser()).expect(403);
      }
    });
  });

  describe('tenant: /api/v1/users', () => {
    it('lets an owner manage the users of their own tenant', async () => {
      const owner = await tenantActor(t.http, t.admin.accessToken);
      const input = newUser('member');
      const { body: created } = await t.http.post('/api/v1/users').set(bearer(owner.accessToken)).send(input).expect(201);
      await loginTenant(t.http, owner.slug, input.email);
      const { body: list } = await t.http.get('/api/v1/users').set(bearer(owner.accessToken)).expect(200);
      expect(list.items.map((u: { email: string }) => u.email).sort()).toEqual([input.email, owner.email].sort());
      await t.http.delete(`/api/v1/users/${created.id}`).set(bearer(owner.accessToken)).expect(204);
      await t.http.post('/api/v1/auth/tenant/login').send({ tenant: owner.slug, email: input.email, password: USER_PASSWORD }).expect(401);
    });

    it('forbids members and viewers', async () => {
      const owner = await tenantActor(t.http, t.admin.accessToken);
      for (const role of ['member', 'viewer'] as const) {
        const user = await memberOf(t.http, t.admin.accessToken, owner, role);
        await t.http.get('/api/v1/users').set(bearer(user.accessToken)).expect(403);
        await t.http.post('/api/v1/users').set(bearer(user.accessToken)).send(newUser()).expect(403);
        await t.http.delete(`/api/v1/users/${owner.userId}`).set(bearer(user.accessToken)).expect(403);
      }
    });

    it("cannot see or delete another tenant's users (404)", async () => {
      const a = await tenantActor(t.http, t.admin.accessToken);
      const b = await tenantActor(t.http, t.admin.accessToken);
      const { body } = await t.http.get('/api/v1/users').set(bearer(a.accessToken)).expect(200);
      expect(body.items.map((u: { id: string }) => u.id)).toEqual([a.userId]);
      await t.http.delete(`/api/v1/users/${b.userId}`).set(bearer(a.accessToken)).expect(404);
      await t.http.get('/api/v1/me').set(bearer(b.accessToken)).expect(200);
    });

    it('keeps the last owner', async () => {
      const owner = await tenantActor(t.http, t.admin.accessToken);
      const { body } = await t.http.delete(`/api/v1/users/${owner.userId}`).set(bearer(owner.accessToken)).expect(409);
      expect(body.code).toBe('LAST_OWNER');
      const second = await memberOf(t.http, t.admin.accessToken, owner, 'owner');
      await t.http.delete(`/api/v1/users/${owner.userId}`).set(bearer(second.accessToken)).expect(204);
    });

    it('rejects bad input and admin or anonymous callers', async () => {
      const owner = await tenantActor(t.http, t.admin.accessToken);
      await t.http.post('/api/v1/users').set(bearer(owner.accessToken)).send({ ...newUser(), password: 'short' }).expect(400);
      await t.http.post('/api/v1/users').set(bearer(owner.accessToken)).send({ ...newUser(), tenantId: new Types.ObjectId() }).expect(400);
      await t.http.delete('/api/v1/users/123').set(bearer(owner.accessToken)).expect(400);
      await t.http.get('/api/v1/users').expect(401);
      await t.http.get('/api/v1/users').set(bearer(t.admin.accessToken)).expect(403);
    });
  });
});
