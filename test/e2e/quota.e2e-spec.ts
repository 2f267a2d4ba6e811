import { Types } from 'mongoose';
import { bearer, createTenant, memberOf, tenantActor } from '../support/actors';
import { recordUsage } from '../support/quota-ledger';
import { startTestApp, TestApp } from '../support/test-app';

describe('quota', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('shows a tenant its limits and zero usage', async () => {
    const owner = await tenantActor(t.http, t.admin.accessToken);
    const viewer = await memberOf(t.http, t.admin.accessToken, owner, 'viewer');
    for (const user of [owner, viewer]) {
      const { body } = await t.http.get('/api/v1/quota').set(bearer(user.accessToken)).expect(200);
      expect(body).toEqual({
        limits: { vcpu: 8, memoryMiB: 16384, storageGiB: 200, vms: 5 },
        usage: { committed: { vcpu: 0, memoryMiB: 0, storageGiB: 0, vms: 0 }, held: { vcpu: 0, memoryMiB: 0, storageGiB: 0, vms: 0 } },
      });
    }
  });

  it('lets an admin replace the limits, which the tenant then sees', async () => {
    const owner = await tenantActor(t.http, t.admin.accessToken);
    const limits = { vcpu: 32, memoryMiB: 65536, storageGiB: 1000, vms: 20 };
    const { body } = await t.http.put(`/api/v1/admin/tenants/${owner.tenantId}/quota`).set(bearer(t.admin.accessToken)).send(limits).expect(200);
    expect(body).toEqual(limits);
    expect((await t.http.get('/api/v1/quota').set(bearer(owner.accessToken)).expect(200)).body.limits).toEqual(limits);
    expect((await t.http.get(`/api/v1/admin/tenants/${owner.tenantId}`).set(bearer(t.admin.accessToken)).expect(200)).body.limits).toEqual(limits);
    expect((await t.http.get(`/api/v1/admin/tenants/${owner.tenantId}/quota`).set(bearer(t.admin.accessToken)).expect(200)).body.limits).toEqual(limits);
  });

  it('accepts limits below current usage', async () => {
    const tenant = await createTenant(t.http, t.admin.accessToken);
    await recordUsage(t.connection, tenant.id, { vcpu: 4, memoryMiB: 4096, storageGiB: 40, vms: 2 }, { vcpu: 2, memoryMiB: 0, storageGiB: 0, vms: 0 });
    const zero = { vcpu: 0, memoryMiB: 0, storageGiB: 0, vms: 0 };
    await t.http.put(`/api/v1/admin/tenants/${tenant.id}/quota`).set(bearer(t.admin.accessToken)).send(zero).expect(200);
    const { body } = await t.http.get(`/api/v1/admin/tenants/${tenant.id}/quota`).set(bearer(t.admin.accessToken)).expect(200);
    expect(body).toEqual({ limits: zero, usage: { committed: { vcpu: 4, memoryMiB: 4096, storageGiB: 40, vms: 2 }, held: { vcpu: 2, memoryMiB: 0, storageGiB: 0, vms: 0 } } });
  });

  it.each([
    [{ vcpu: -1, memoryMiB: 1, storageGiB: 1, vms: 1 }],
    [{ vcpu: 1.5, memoryMiB: 1, storageGiB: 1, vms: 1 }],
    [{ vcpu: '4', memoryMiB: 1, storageGiB: 1, vms: 1 }],
    [{ vcpu: 1, memoryMiB: 1, storageGiB: 1 }],
    [{ vcpu: 1, memoryMiB: 1, storageGiB: 1, vms: 1, gpus: 1 }],
  ])('rejects %j', async (input) => {
    const tenant = await createTenant(t.http, t.admin.accessToken);
    expect((await t.http.put(`/api/v1/admin/tenants/${tenant.id}/quota`).set(bearer(t.admin.accessToken)).send(input).expect(400)).body.code).toBe('VALIDATION_FAILED');
  });

  it('answers 404 for an unknown tenant and 400 for a malformed id', async () => {
    const limits = { vcpu: 1, memoryMiB: 1, storageGiB: 1, vms: 1 };
    await t.http.put(`/api/v1/admin/tenants/${new Types.ObjectId().toHexString()}/quota`).set(bearer(t.admin.accessToken)).send(limits).expect(404);
    await t.http.get(`/api/v1/admin/tenants/${new Types.ObjectId().toHexString()}/quota`).set(bearer(t.admin.accessToken)).expect(404);
    await t.http.put('/api/v1/admin/tenants/zz/quota').set(bearer(t.admin.accessToken)).send(limits).expect(400);
  });

  it('keeps audiences apart and refuses anonymous callers', async () => {
    const owner = await tenantActor(t.http, t.admin.accessToken);
    const limits = { vcpu: 99, memoryMiB: 1, storageGiB: 1, vms: 1 };
    await t.http.get('/api/v1/quota').expect(401);
    await t.http.get('/api/v1/quota').set(bearer(t.admin.accessToken)).expect(403);
    await t.http.put(`/api/v1/admin/tenants/${owner.tenantId}/quota`).send(limits).expect(401);
    await t.http.put(`/api/v1/admin/tenants/${owner.tenantId}/quota`).set(bearer(owner.accessToken)).send(limits).expect(403);
    await t.http.get(`/api/v1/admin/tenants/${owner.tenantId}/quota`).set(bearer(owner.accessToken)).expect(403);
    expect((await t.http.get('/api/v1/quota').set(bearer(owner.accessToken)).expect(200)).body.limits.vcpu).toBe(8);
  });
});
