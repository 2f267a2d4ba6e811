import { Types } from 'mongoose';
import { QuotaAmounts } from '../../src/contracts/quotas';
import { QuotasService } from '../../src/quotas/quotas.service';
import { bearer, memberOf, tenantActor, TenantActor } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

const ZERO: QuotaAmounts = { vcpu: 0, memoryMiB: 0, storageGiB: 0, vms: 0 };
const VM: QuotaAmounts = { vcpu: 2, memoryMiB: 2048, storageGiB: 20, vms: 1 };

/** The quota check, held reservations and usage history routes, tenant and admin. */
describe('quota reservations and history', () => {
  let t: TestApp;
  let quotas: QuotasService;

  beforeAll(async () => {
    t = await startTestApp();
    quotas = t.app.get(QuotasService);
  });
  afterAll(() => t.close());

  const tenantRoutes = {
    check: '/api/v1/quota/check',
    reservations: '/api/v1/quota/reservations',
    history: '/api/v1/quota/history',
  };
  const adminRoutes = (tenantId: string) => ({
    check: `/api/v1/admin/tenants/${tenantId}/quota/check`,
    reservations: `/api/v1/admin/tenants/${tenantId}/quota/reservations`,
    history: `/api/v1/admin/tenants/${tenantId}/quota/history`,
  });

  function holdFor(actor: TenantActor, taskId: string, amounts = VM) {
    return quotas.hold(actor.tenantId, amounts, { reservationId: taskId, kind: 'vm.create', taskId, description: `Create VM for ${taskId}` });
  }

  it('tells whether a request fits, naming each limit it would pass, and changes nothing', async () => {
    const owner = await tenantActor(t.http, t.admin.accessToken);
    await holdFor(owner, new Types.ObjectId().toHexString(), { vcpu: 7, memoryMiB: 1024, storageGiB: 10, vms: 1 });
    const fits = await t.http.post(tenantRoutes.check).set(bearer(owner.accessToken)).send({ vcpu: 1, memoryMiB: 1024, storageGiB: 10, vms: 1 }).expect(200);
    expect(fits.body).toEqual({ fits: true, violations: [] });

    const request = { vcpu: 2, memoryMiB: 16_384, storageGiB: 10, vms: 1 };
    const expected = {
      fits: false,
      violations: [
        { resource: 'vcpu', limit: 8, used: 7, requested: 2 },
        { resource: 'memoryMiB', limit: 16_384, used: 1024, requested: 16_384 },
      ],
    };
    expect((await t.http.post(tenantRoutes.check).set(bearer(owner.accessToken)).send(request).expect(200)).body).toEqual(expected);
    expect((await t.http.post(adminRoutes(owner.tenantId).check).set(bearer(t.admin.accessToken)).send(request).expect(200)).body).toEqual(expected);
    expect((await t.http.get('/api/v1/quota').set(bearer(owner.accessToken)).expect(200)).body.usage).toEqual({
      committed: ZERO,
      held: { vcpu: 7, memoryMiB: 1024, storageGiB: 10, vms: 1 },
    });
  });

  it.each([
    [{ vcpu: -1, memoryMiB: 0, storageGiB: 0, vms: 0 }],
    [{ vcpu: 1.5, memoryMiB: 0, storageGiB: 0, vms: 0 }],
    [{ vcpu: '1', memoryMiB: 0, storageGiB: 0, vms: 0 }],
    [{ vcpu: 1, memoryMiB: 0, storageGiB: 0 }],
    [{ vcpu: 1, memoryMiB: 0, storageGiB: 0, vms: 0, gpus: 1 }],
  ])('refuses the check request %j', async (body) => {
    const owner = await tenantActor(t.http, t.admin.accessToken);
    expect((await t.http.post(tenantRoutes.check).set(bearer(owner.accessToken)).send(body).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await t.http.post(adminRoutes(owner.tenantId).check).set(bearer(t.admin.accessToken)).send(body).expect(400)).body.code).toBe('VALIDATION_FAILED');
  });

  it("lists a tenant's held reservations with their tasks, never another tenant's", async () => {
    const a = await tenantActor(t.http, t.admin.accessToken);
    const b = await tenantActor(t.http, t.admin.accessToken);
    const [taskA1, taskA2, taskB] = [1, 2, 3].map(() => new Types.ObjectId().toHexString());
    const heldA1 = await holdFor(a, taskA1);
    await holdFor(a, taskA2, { vcpu: -1, memoryMiB: 0, storageGiB: 0, vms: 0 });
    await holdFor(b, taskB);

    const { body } = await t.http.get(tenantRoutes.reservations).set(bearer(a.accessToken)).expect(200);
    expect(body.total).toBe(2);
    expect(body.items).toEqual([
      { id: taskA1, kind: 'vm.create', taskId: taskA1, amounts: VM, description: `Create VM for ${taskA1}`, createdAt: heldA1.createdAt.toISOString(), expiresAt: heldA1.expiresAt!.toISOString() },
      expect.objectContaining({ id: taskA2, taskId: taskA2, amounts: { vcpu: -1, memoryMiB: 0, storageGiB: 0, vms: 0 } }),
    ]);
    expect((await t.http.get(tenantRoutes.reservations).set(bearer(b.accessToken)).expect(200)).body.items.map((r: { id: string }) => r.id)).toEqual([taskB]);
    expect((await t.http.get(adminRoutes(a.tenantId).reservations).set(bearer(t.admin.accessToken)).expect(200)).body).toEqual(body);

    await quotas.commit(taskA1);
    await quotas.release(taskA2);
    expect((await t.http.get(tenantRoutes.reservations).set(bearer(a.accessToken)).expect(200)).body).toEqual({ items: [], total: 0 });
    const smuggled = await t.http.get(tenantRoutes.reservations).query({ tenantId: b.tenantId }).set(bearer(a.accessToken)).expect(200);
    expect(smuggled.body).toEqual({ items: [], total: 0 });
  });

  it("charts the caller's usage over time, never another tenant's", async () => {
    const a = await tenantActor(t.http, t.admin.accessToken);
    const b = await tenantActor(t.http, t.admin.accessToken);
    const before = new Date(Date.now() - 1000).toISOString();
    const first = new Types.ObjectId().toHexString();
    await holdFor(a, first);
    await quotas.commit(first);
    await holdFor(a, new Types.ObjectId().toHexString());

    const { body } = await t.http.get(tenantRoutes.history).query({ from: before }).set(bearer(a.accessToken)).expect(200);
    expect(body.points.map((p: { committed: QuotaAmounts; held: QuotaAmounts }) => ({ committed: p.committed, held: p.held }))).toEqual([
      { committed: ZERO, held: ZERO },
      { committed: ZERO, held: VM },
      { committed: VM, held: ZERO },
      { committed: VM, held: VM },
    ]);
    expect(body.points[0].at).toBe(before);
    const admin = await t.http.get(adminRoutes(a.tenantId).history).query({ from: before, to: new Date(Date.now() + 60_000).toISOString() }).set(bearer(t.admin.accessToken)).expect(200);
    expect(admin.body.points).toEqual(body.points);

    const other = await t.http.get(tenantRoutes.history).set(bearer(b.accessToken)).expect(200);
    expect(other.body.points).toHaveLength(1);
    expect(other.body.points[0]).toMatchObject({ committed: ZERO, held: ZERO });
    await t.http.get(tenantRoutes.history).query({ tenantId: a.tenantId }).set(bearer(b.accessToken)).expect(400);
  });

  it.each([
    [{ from: 'yesterday' }, 'VALIDATION_FAILED'],
    [{ to: '2030-02-30T00:00:00Z' }, 'VALIDATION_FAILED'],
    [{ from: '2030-01-02T00:00:00Z', to: '2030-01-01T00:00:00Z' }, 'BAD_REQUEST'],
    [{ from: '2030-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' }, 'BAD_REQUEST'],
    [{ since: '2030-01-01T00:00:00Z' }, 'VALIDATION_FAILED'],
  ])('refuses the history range %j', async (query, code) => {
    const owner = await tenantActor(t.http, t.admin.accessToken);
    expect((await t.http.get(tenantRoutes.history).query(query).set(bearer(owner.accessToken)).expect(400)).body.code).toBe(code);
    expect((await t.http.get(adminRoutes(owner.tenantId).history).query(query).set(bearer(t.admin.accessToken)).expect(400)).body.code).toBe(code);
  });

  it('lets a viewer read reservations and history', async () => {
    const owner = await tenantActor(t.http, t.admin.accessToken);
    const viewer = await memberOf(t.http, t.admin.accessToken, owner, 'viewer');
    await holdFor(owner, new Types.ObjectId().toHexString());
    expect((await t.http.get(tenantRoutes.reservations).set(bearer(viewer.accessToken)).expect(200)).body.total).toBe(1);
    expect((await t.http.get(tenantRoutes.history).set(bearer(viewer.accessToken)).expect(200)).body.points.at(-1).held).toEqual(VM);
  });

  it('answers 404 for an unknown tenant and 400 for a malformed id on the admin routes', async () => {
    const unknown = adminRoutes(new Types.ObjectId().toHexString());
    await t.http.post(unknown.check).set(bearer(t.admin.accessToken)).send(VM).expect(404);
    await t.http.get(unknown.reservations).set(bearer(t.admin.accessToken)).expect(404);
    await t.http.get(unknown.history).set(bearer(t.admin.accessToken)).expect(404);
    const malformed = adminRoutes('zz');
    expect((await t.http.get(malformed.reservations).set(bearer(t.admin.accessToken)).expect(400)).body.code).toBe('INVALID_ID');
    await t.http.get(malformed.history).set(bearer(t.admin.accessToken)).expect(400);
    await t.http.post(malformed.check).set(bearer(t.admin.accessToken)).send(VM).expect(400);
  });

  it('refuses anonymous callers and the other audience on every quota route', async () => {
    const owner = await tenantActor(t.http, t.admin.accessToken);
    const admin = adminRoutes(owner.tenantId);
    const requests: Array<[string, 'get' | 'post', string]> = [
      ['tenant', 'post', tenantRoutes.check],
      ['tenant', 'get', tenantRoutes.reservations],
      ['tenant', 'get', tenantRoutes.history],
      ['admin', 'post', admin.check],
      ['admin', 'get', admin.reservations],
      ['admin', 'get', admin.history],
    ];
    for (const [audience, method, path] of requests) {
      const anonymous = await t.http[method](path).send(method === 'post' ? VM : undefined);
      expect([path, anonymous.status]).toEqual([path, 401]);
      const wrongToken = audience === 'tenant' ? t.admin.accessToken : owner.accessToken;
      const wrong = await t.http[method](path).set(bearer(wrongToken)).send(method === 'post' ? VM : undefined);
      expect([path, wrong.status, wrong.body.code]).toEqual([path, 403, 'WRONG_AUDIENCE']);
    }
  });

  it('documents the quota routes in the OpenAPI document', async () => {
    const { body } = await t.http.get('/api/openapi.json').expect(200);
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/quota',
        '/api/v1/quota/check',
        '/api/v1/quota/reservations',
        '/api/v1/quota/history',
        '/api/v1/admin/tenants/{id}/quota',
        '/api/v1/admin/tenants/{id}/quota/check',
        '/api/v1/admin/tenants/{id}/quota/reservations',
        '/api/v1/admin/tenants/{id}/quota/history',
      ]),
    );
    expect(body.paths['/api/v1/quota/check'].post.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/QuotaCheckDto');
  });
});
