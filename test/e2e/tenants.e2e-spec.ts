import { Types } from 'mongoose';
import { bearer, createTenant, tenantActor, uniqueSlug } from '../support/actors';
import { recordUsage } from '../support/quota-ledger';
import { startTestApp, TestApp, USER_PASSWORD } from '../support/test-app';

describe('tenants (admin)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe('POST /api/v1/admin/tenants', () => {
    it('creates an active tenant with the default quota', async () => {
      const slug = uniqueSlug('acme');
      const { body } = await t.http.post('/api/v1/admin/tenants').set(bearer(t.admin.accessToken)).send({ slug, name: ' Acme Corp ' }).expect(201);
      expect(body).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        slug,
        name: 'Acme Corp',
        status: 'active',
        limits: { vcpu: 8, memoryMiB: 16384, storageGiB: 200, vms: 5 },
        createdAt: expect.any(String),
      });
    });

    it('refuses a taken slug with 409 CONFLICT', async () => {
      const { slug } = await createTenant(t.http, t.admin.accessToken);
      const { body } = await t.http.post('/api/v1/admin/tenants').set(bearer(t.admin.accessToken)).send({ slug, name: 'Again' }).expect(409);
      expect(body).toMatchObject({ statusCode: 409, code: 'CONFLICT', correlationId: expect.any(String) });
    });

    it.each([
      [{ slug: 'UPPER', name: 'x' }],
      [{ slug: 'a', name: 'x' }],
      [{ slug: 'x'.repeat(41), name: 'x' }],
      [{ slug: 'under_score', name: 'x' }],
      [{ slug: 'ok-slug' }],
      [{ slug: 'ok-slug', name: 'x', status: 'active' }],
    ])('rejects %j with 400', async (input) => {
      const { body } = await t.http.post('/api/v1/admin/tenants').set(bearer(t.admin.accessToken)).send(input).expect(400);
      expect(body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('GET /api/v1/admin/tenants', () => {
    it('pages and filters by slug or name', async () => {
      const marker = uniqueSlug('page');
      for (const n of [1, 2, 3]) await createTenant(t.http, t.admin.accessToken, `${marker}-${n}`);
      const first = await t.http.get(`/api/v1/admin/tenants?q=${marker}&limit=2&offset=0`).set(bearer(t.admin.accessToken)).expect(200);
      const second = await t.http.get(`/api/v1/admin/tenants?q=${marker}&limit=2&offset=2`).set(bearer(t.admin.accessToken)).expect(200);
      expect(first.body.total).toBe(3);
      expect(first.body.items.map((x: { slug: string }) => x.slug)).toEqual([`${marker}-1`, `${marker}-2`]);
      expect(second.body.items.map((x: { slug: string }) => x.slug)).toEqual([`${marker}-3`]);
    });

    it('treats the search text literally', async () => {
      const { body } = await t.http.get('/api/v1/admin/tenants?q=.*').set(bearer(t.admin.accessToken)).expect(200);
      expect(body).toEqual({ items: [], total: 0 });
    });

    it('rejects bad paging', async () => {
      await t.http.get('/api/v1/admin/tenants?limit=0').set(bearer(t.admin.accessToken)).expect(400);
      await t.http.get('/api/v1/admin/tenants?offset=-1').set(bearer(t.admin.accessToken)).expect(400);
      await t.http.get('/api/v1/admin/tenants?sort=name').set(bearer(t.admin.accessToken)).expect(400);
    });
  });

  describe('GET|PATCH|DELETE /api/v1/admin/tenants/:id', () => {
    it('reads and renames a tenant', async () => {
      const tenant = await createTenant(t.http, t.admin.accessToken);
      await t.http.get(`/api/v1/admin/tenants/${tenant.id}`).set(bearer(t.admin.accessToken)).expect(200);
      const { body } = await t.http.patch(`/api/v1/admin/tenants/${tenant.id}`).set(bearer(t.admin.accessToken)).send({ name: 'Renamed' }).expect(200);
      expect(body).toMatchObject({ id: tenant.id, slug: tenant.slug, name: 'Renamed', status: 'active' });
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      const unknown = new Types.ObjectId().toHexString();
      for (const method of ['get', 'patch', 'delete'] as const) {
        await t.http[method](`/api/v1/admin/tenants/${unknown}`).set(bearer(t.admin.accessToken)).send({}).expect(404);
        expect((await t.http[method]('/api/v1/admin/tenants/xyz').set(bearer(t.admin.accessToken)).send({}).expect(400)).body.code).toBe('INVALID_ID');
      }
    });

    it('rejects a bad status or an unknown field', async () => {
      const tenant = await createTenant(t.http, t.admin.accessToken);
      await t.http.patch(`/api/v1/admin/tenants/${tenant.id}`).set(bearer(t.admin.accessToken)).send({ status: 'gone' }).expect(400);
      await t.http.patch(`/api/v1/admin/tenants/${tenant.id}`).set(bearer(t.admin.accessToken)).send({ slug: 'new-slug' }).expect(400);
    });

    it('locks a suspended tenant out and lets it back in when reactivated', async () => {
      const owner = await tenantActor(t.http, t.admin.accessToken);
      await t.http.patch(`/api/v1/admin/tenants/${owner.tenantId}`).set(bearer(t.admin.accessToken)).send({ status: 'suspended' }).expect(200);

      const login = await t.http.post('/api/v1/auth/tenant/login').send({ tenant: owner.slug, email: owner.email, password: USER_PASSWORD }).expect(403);
      expect(login.body.code).toBe('TENANT_SUSPENDED');
      expect((await t.http.get('/api/v1/me').set(bearer(owner.accessToken)).expect(403)).body.code).toBe('TENANT_SUSPENDED');
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: owner.refreshToken }).expect(403);

      await t.http.patch(`/api/v1/admin/tenants/${owner.tenantId}`).set(bearer(t.admin.accessToken)).send({ status: 'active' }).expect(200);
      await t.http.get('/api/v1/me').set(bearer(owner.accessToken)).expect(200);
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: owner.refreshToken }).expect(200);
    });

    it('deletes a tenant with its users, whose credentials stop working', async () => {
      const owner = await tenantActor(t.http, t.admin.accessToken);
      await t.http.delete(`/api/v1/admin/tenants/${owner.tenantId}`).set(bearer(t.admin.accessToken)).expect(204);
      await t.http.get(`/api/v1/admin/tenants/${owner.tenantId}`).set(bearer(t.admin.accessToken)).expect(404);
      await t.http.get('/api/v1/me').set(bearer(owner.accessToken)).expect(401);
      await t.http.post('/api/v1/auth/tenant/login').send({ tenant: owner.slug, email: owner.email, password: USER_PASSWORD }).expect(401);
      expect(await t.connection.collection('tenant_users').countDocuments({ tenantId: new Types.ObjectId(owner.tenantId) })).toBe(0);
      expect(await t.connection.collection('refresh_tokens').countDocuments({ 'owner.tenantId': new Types.ObjectId(owner.tenantId) })).toBe(0);
    });

    it('refuses to delete a tenant that still owns resources', async () => {
      const tenant = await createTenant(t.http, t.admin.accessToken);
      await recordUsage(t.connection, tenant.id, { vcpu: 2, memoryMiB: 2048, storageGiB: 20, vms: 1 });
      const { body } = await t.http.delete(`/api/v1/admin/tenants/${tenant.id}`).set(bearer(t.admin.accessToken)).expect(409);
      expect(body.code).toBe('TENANT_HAS_RESOURCES');
      await t.http.get(`/api/v1/admin/tenants/${tenant.id}`).set(bearer(t.admin.accessToken)).expect(200);
    });
  });

  it('keeps every tenant route closed to tenant tokens and anonymous callers', async () => {
    const owner = await tenantActor(t.http, t.admin.accessToken);
    const id = owner.tenantId;
    const routes: Array<['get' | 'post' | 'patch' | 'delete', string]> = [
      ['post', '/api/v1/admin/tenants'],
      ['get', '/api/v1/admin/tenants'],
      ['get', `/api/v1/admin/tenants/${id}`],
      ['patch', `/api/v1/admin/tenants/${id}`],
      ['delete', `/api/v1/admin/tenants/${id}`],
    ];
    for (const [method, path] of routes) {
      await t.http[method](path).send({}).expect(401);
      expect((await t.http[method](path).set(bearer(owner.accessToken)).send({}).expect(403)).body.code).toBe('WRONG_AUDIENCE');
    }
  });
});
