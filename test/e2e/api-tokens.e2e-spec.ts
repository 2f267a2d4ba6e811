import { bearer, memberOf, tenantActor } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

describe('API tokens', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('creates a token shown once, lists it without the secret, and acts as its owner', async () => {
    const owner = await tenantActor(t.http, t.admin.accessToken);
    const { body: created } = await t.http.post('/api/v1/api-tokens').set(bearer(owner.accessToken)).send({ name: 'ci' }).expect(201);
    expect(created).toEqual({
      id: expect.any(String),
      name: 'ci',
      prefix: created.token.slice(0, 12),
      token: expect.stringMatching(/^ohx_/),
      expiresAt: null,
      lastUsedAt: null,
      createdAt: expect.any(String),
    });

    const { body: me } = await t.http.get('/api/v1/me').set(bearer(created.token)).expect(200);
    expect(me).toMatchObject({ id: owner.userId, scope: 'tenant', role: 'owner', tenant: { id: owner.tenantId } });
    await t.http.get('/api/v1/quota').set(bearer(created.token)).expect(200);
    await t.http.get('/api/v1/admin/tenants').set(bearer(created.token)).expect(403);

    const { body: list } = await t.http.get('/api/v1/api-tokens').set(bearer(owner.accessToken)).expect(200);
    expect(list).toEqual([expect.objectContaining({ id: created.id, name: 'ci', prefix: created.prefix, lastUsedAt: expect.any(String) })]);
    expect(JSON.stringify(list)).not.toContain(created.token);
  });

  it('stops working once revoked', async () => {
    const { body: created } = await t.http.post('/api/v1/api-tokens').set(bearer(t.admin.accessToken)).send({ name: 'automation' }).expect(201);
    await t.http.get('/api/v1/admin/tenants').set(bearer(created.token)).expect(200);
    await t.http.delete(`/api/v1/api-tokens/${created.id}`).set(bearer(t.admin.accessToken)).expect(204);
    const { body } = await t.http.get('/api/v1/admin/tenants').set(bearer(created.token)).expect(401);
    expect(body.code).toBe('INVALID_TOKEN');
    await t.http.delete(`/api/v1/api-tokens/${created.id}`).set(bearer(t.admin.accessToken)).expect(404);
  });

  it('stops working once expired', async () => {
    const expiresAt = new Date(Date.now() + 1_500).toISOString();
    const { body: created } = await t.http.post('/api/v1/api-tokens').set(bearer(t.admin.accessToken)).send({ name: 'short', expiresAt }).expect(201);
    expect(created.expiresAt).toBe(expiresAt);
    await t.http.get('/api/v1/me').set(bearer(created.token)).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    await t.http.get('/api/v1/me').set(bearer(created.token)).expect(401);
  });

  it('rejects bad input: missing name, unknown fields, a past or malformed expiry', async () => {
    for (const body of [{}, { name: 'x', scopes: ['all'] }, { name: 'x', expiresAt: '2001-01-01T00:00:00Z' }, { name: 'x', expiresAt: 'tomorrow' }]) {
      const response = await t.http.post('/api/v1/api-tokens').set(bearer(t.admin.accessToken)).send(body).expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    }
    await t.http.delete('/api/v1/api-tokens/not-an-id').set(bearer(t.admin.accessToken)).expect(400);
  });

  it('answers 401 without a token on every api-token route', async () => {
    await t.http.post('/api/v1/api-tokens').send({ name: 'x' }).expect(401);
    await t.http.get('/api/v1/api-tokens').expect(401);
    await t.http.delete('/api/v1/api-tokens/0123456789abcdef01234567').expect(401);
  });

  it("never shows or revokes another user's token", async () => {
    const a = await tenantActor(t.http, t.admin.accessToken);
    const b = await tenantActor(t.http, t.admin.accessToken);
    const colleague = await memberOf(t.http, t.admin.accessToken, a, 'member');
    const { body: created } = await t.http.post('/api/v1/api-tokens').set(bearer(a.accessToken)).send({ name: 'mine' }).expect(201);
    for (const other of [b, colleague]) {
      expect((await t.http.get('/api/v1/api-tokens').set(bearer(other.accessToken)).expect(200)).body).toEqual([]);
      await t.http.delete(`/api/v1/api-tokens/${created.id}`).set(bearer(other.accessToken)).expect(404);
    }
    await t.http.delete(`/api/v1/api-tokens/${created.id}`).set(bearer(t.admin.accessToken)).expect(404);
    await t.http.get('/api/v1/me').set(bearer(created.token)).expect(200);
  });

  it('lets a viewer hold a token that stays read-only', async () => {
    const owner = await tenantActor(t.http, t.admin.accessToken);
    const viewer = await memberOf(t.http, t.admin.accessToken, owner, 'viewer');
    const { body: created } = await t.http.post('/api/v1/api-tokens').set(bearer(viewer.accessToken)).send({ name: 'dashboards' }).expect(201);
    await t.http.get('/api/v1/quota').set(bearer(created.token)).expect(200);
    const { body } = await t.http.post('/api/v1/users').set(bearer(created.token)).send({ email: 'x@example.com', password: 'long enough password', role: 'member' }).expect(403);
    expect(body.code).toBe('FORBIDDEN');
  });

  it('stops working when its tenant is suspended', async () => {
    const owner = await tenantActor(t.http, t.admin.accessToken);
    const { body: created } = await t.http.post('/api/v1/api-tokens').set(bearer(owner.accessToken)).send({ name: 'x' }).expect(201);
    await t.http.patch(`/api/v1/admin/tenants/${owner.tenantId}`).set(bearer(t.admin.accessToken)).send({ status: 'suspended' }).expect(200);
    expect((await t.http.get('/api/v1/me').set(bearer(created.token)).expect(403)).body.code).toBe('TENANT_SUSPENDED');
  });
});
