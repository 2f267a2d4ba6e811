import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { HostJobsService } from '../../src/agent-gateway/host-jobs.service';
import { findFreePort } from '../../scripts/local-services/find-free-port';
import { addUser, bearer, createTenant, loginTenant, TenantActor } from '../support/actors';
import { AgentProcess, eventually, startAgent } from '../support/agent-process';
import { runServer, ServerRun } from '../support/server-process';
import { ADMIN_EMAIL, ADMIN_PASSWORD, serviceEnv, startTestApp, tempDir, TestApp, withDatabase } from '../support/test-app';
import { createImage, finishedTask, OnlineHost, smallVm, startOnlineHost, tenantWithLimits, waitForHostStatus } from '../support/vm-world';

const ZERO = { vcpu: 0, memoryMiB: 0, storageGiB: 0, vms: 0 };
const LIMITS = { vcpu: 8, memoryMiB: 16_384, storageGiB: 200, vms: 5 };

/** Hosts that go away, holds that expire, cancellation, reconciliation and adoption, in one app with short timers. */
describe('VM tasks when things go wrong', () => {
  let t: TestApp;
  let host: OnlineHost;
  let image: { id: string };
  let tenant: TenantActor;

  beforeAll(async () => {
    t = await startTestApp({
      PORT: String(await findFreePort()),
      OPENHVX_HEARTBEAT_INTERVAL: '1',
      OPENHVX_HOST_OFFLINE_AFTER: '3',
      OPENHVX_QUOTA_HOLD_TTL: '4',
      OPENHVX_HOLD_SWEEP_INTERVAL: '1',
    });
    host = await startOnlineHost(t);
    image = await createImage(t);
  });
  beforeEach(async () => {
    tenant = await tenantWithLimits(t, LIMITS);
  });
  afterAll(async () => {
    await host.agent.kill('SIGKILL');
    await t.close();
  });

  const as = (actor: TenantActor) => bearer(actor.accessToken);
  const quota = async (actor: TenantActor) => (await t.http.get('/api/v1/quota').set(as(actor)).expect(200)).body;

  async function createVm(name: string, extra: Record<string, unknown> = {}): Promise<string> {
    const response = await t.http.post('/api/v1/vms').set(as(tenant)).send(smallVm(image.id, name, extra)).expect(202);
    expect(await finishedTask(t, tenant.accessToken, response.body.task.id)).toMatchObject({ status: 'succeeded' });
    return response.body.vm.id;
  }

  /** Runs `work` while the host's agent is stopped, then brings the same agent back. */
  async function whileHostOffline(work: () => Promise<void>): Promise<void> {
    await host.agent.kill('SIGKILL');
    await waitForHostStatus(t, host.hostId, 'offline');
    try {
      await work();
    } finally {
      host = { ...host, agent: startAgent({ serverUrl: t.url, dataDir: host.agent.dataDir, args: ['--sim-action-delay-ms', '20'] }) };
      await waitForHostStatus(t, host.hostId, 'online');
    }
  }

  it('cancels queued work for an offline host, restoring the VM and releasing the hold', async () => {
    const id = await createVm('patient', { start: false });
    await whileHostOffline(async () => {
      const grow = await t.http.patch(`/api/v1/vms/${id}`).set(as(tenant)).send({ diskGiB: 30 }).expect(202);
      expect((await quota(tenant)).usage.held).toEqual({ ...ZERO, storageGiB: 20 });
      const cancelled = await t.http.post(`/api/v1/tasks/${grow.body.task.id}/cancel`).set(as(tenant)).expect(200);
      expect(cancelled.body).toMatchObject({ status: 'cancelled' });
      expect((await quota(tenant)).usage.held).toEqual(ZERO);
      await t.http.post(`/api/v1/tasks/${grow.body.task.id}/cancel`).set(as(tenant)).expect(409);

      const start = await t.http.post(`/api/v1/vms/${id}/power`).set(as(tenant)).send({ action: 'start' }).expect(202);
      expect((await t.http.get(`/api/v1/vms/${id}`).set(as(tenant)).expect(200)).body.state).toBe('starting');
      await t.http.post(`/api/v1/tasks/${start.body.task.id}/cancel`).set(as(tenant)).expect(200);
      expect((await t.http.get(`/api/v1/vms/${id}`).set(as(tenant)).expect(200)).body).toMatchObject({ state: 'off', diskGiB: 10 });
    });
    // Nothing cancelled runs once the host is back.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await t.http.get(`/api/v1/vms/${id}`).set(as(tenant)).expect(200)).body).toMatchObject({ state: 'off', diskGiB: 10 });
  });

  it('fails work that waited past the hold TTL for an offline host, and releases its hold', async () => {
    const id = await createVm('stranded', { start: false });
    await whileHostOffline(async () => {
      const grow = await t.http.patch(`/api/v1/vms/${id}`).set(as(tenant)).send({ vcpu: 2 }).expect(202);
      const task = await finishedTask(t, tenant.accessToken, grow.body.task.id, 20_000);
      expect(task).toMatchObject({ status: 'failed', error: { code: 'HOST_UNAVAILABLE' } });
      expect((await quota(tenant)).usage).toEqual({ committed: { vcpu: 1, memoryMiB: 1024, storageGiB: 10, vms: 1 }, held: ZERO });
      expect((await t.http.get('/api/v1/quota/reservations').set(as(tenant)).expect(200)).body).toMatchObject({ items: [] });
    });
    expect((await t.http.get(`/api/v1/vms/${id}`).set(as(tenant)).expect(200)).body).toMatchObject({ state: 'off', vcpu: 1 });
  });

  it('marks a VM missing when its host no longer has it, and lists VMs nobody manages for adoption', async () => {
    const id = await createVm('vanishing');
    const jobs = t.app.get(HostJobsService);
    await jobs.run(host.hostId, 'vm.delete', { vmId: id, name: 'vanishing', force: true }, { jobId: randomUUID() });
    await eventually(() => t.http.get(`/api/v1/vms/${id}`).set(as(tenant)), (r) => r.body.state === 'missing', 20_000);

    const stray = (await jobs.run(host.hostId, 'vm.create', {
      vmId: `outside-${randomBytes(4).toString('hex')}`,
      name: `stray-${randomBytes(3).toString('hex')}`,
      imageFileName: 'debian-13.vhdx',
      generation: 2,
      vcpu: 4,
      memoryMiB: 4096,
      diskGiB: 40,
      start: true,
    }, { jobId: randomUUID() })) as { vm: { hypervisorId: string; name: string } };
    const admin = bearer(t.admin.accessToken);
    const { body: unmanaged } = await eventually(
      () => t.http.get('/api/v1/admin/unmanaged-vms').set(admin),
      (r) => r.body.items.some((vm: { id: string }) => vm.id === stray.vm.hypervisorId),
    );
    expect(unmanaged.items.find((vm: { id: string }) => vm.id === stray.vm.hypervisorId)).toMatchObject({
      name: stray.vm.name, hostId: host.hostId, vcpu: 4, memoryMiB: 4096, diskGiB: 40, state: 'running',
    });
    expect(unmanaged.items.map((vm: { name: string }) => vm.name)).not.toContain('vanishing');

    const small = await tenantWithLimits(t, { vcpu: 2, memoryMiB: 2048, storageGiB: 20, vms: 1 });
    const refused = await t.http.post(`/api/v1/admin/unmanaged-vms/${stray.vm.hypervisorId}/adopt`).set(admin).send({ tenantId: small.tenantId }).expect(422);
    expect(refused.body.code).toBe('QUOTA_EXCEEDED');
    await t.http.post('/api/v1/admin/unmanaged-vms/not-a-guid/adopt').set(admin).send({ tenantId: small.tenantId }).expect(400);
    await t.http.post(`/api/v1/admin/unmanaged-vms/${randomUUID()}/adopt`).set(admin).send({ tenantId: small.tenantId }).expect(404);

    const adopted = await t.http.post(`/api/v1/admin/unmanaged-vms/${stray.vm.hypervisorId}/adopt`).set(admin).send({ tenantId: small.tenantId, force: true }).expect(202);
    expect(await finishedTask(t, small.accessToken, adopted.body.task.id)).toMatchObject({ status: 'succeeded' });
    expect((await quota(small)).usage.committed).toEqual({ vcpu: 4, memoryMiB: 4096, storageGiB: 40, vms: 1 });
    const { body: gone } = await t.http.get('/api/v1/admin/unmanaged-vms').set(admin).expect(200);
    expect(gone.items.map((vm: { id: string }) => vm.id)).not.toContain(stray.vm.hypervisorId);
    // Adopted VMs are managed like any other: the host finds them by their new id.
    const stop = await t.http.post(`/api/v1/vms/${adopted.body.vm.id}/power`).set(as(small)).send({ action: 'stop' }).expect(202);
    expect(await finishedTask(t, small.accessToken, stop.body.task.id)).toMatchObject({ status: 'succeeded' });
    const remove = await t.http.delete(`/api/v1/vms/${adopted.body.vm.id}`).set(as(small)).expect(202);
    expect(await finishedTask(t, small.accessToken, remove.body.task.id)).toMatchObject({ status: 'succeeded' });
    expect((await quota(small)).usage.committed).toEqual(ZERO);
  });
});

/** The server is SIGKILLed while a create runs on the host, then started again. */
describe('a server killed mid-create', () => {
  let server: ServerRun;
  let agent: AgentProcess | undefined;

  afterEach(async () => {
    await agent?.kill('SIGKILL');
    await server?.stop();
  });

  it('finishes the VM exactly once after a restart, with no leaked hold', async () => {
    const { mongoUri, redisUrl } = serviceEnv();
    const id = randomBytes(5).toString('hex');
    const port = await findFreePort();
    const env = {
      NODE_ENV: 'test',
      PORT: String(port),
      MONGODB_URI: withDatabase(mongoUri, `openhvx_test_${id}`),
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: `openhvx-test-${id}:`,
      OPENHVX_DATA_DIR: tempDir('killed-server'),
      JWT_SECRET: randomBytes(32).toString('hex'),
      OPENHVX_ADMIN_EMAIL: ADMIN_EMAIL,
      OPENHVX_ADMIN_PASSWORD: ADMIN_PASSWORD,
      OPENHVX_DEMO: '0',
      OPENHVX_DEMO_HOSTS: '0',
      OPENHVX_JOB_LOCK_SECONDS: '2',
      OPENHVX_HEARTBEAT_INTERVAL: '1',
      OPENHVX_QUOTA_HOLD_TTL: '4',
      OPENHVX_HOLD_SWEEP_INTERVAL: '1',
      LOG_LEVEL: 'warn',
    };
    const url = `http://127.0.0.1:${port}`;
    const http = request(url);
    server = runServer(env);
    await server.waitFor(/OpenHVX ready/);
    const admin = (await http.post('/api/v1/auth/admin/login').send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }).expect(200)).body.accessToken;

    const { body: hostRecord } = await http.post('/api/v1/admin/hosts').set(bearer(admin)).send({ name: 'survivor-host' }).expect(201);
    agent = startAgent({ serverUrl: url, dataDir: tempDir('agent'), enrollToken: hostRecord.enrollment.token, args: ['--sim-action-delay-ms', '800'] });
    await eventually(() => http.get(`/api/v1/admin/hosts/${hostRecord.id}/inventory`).set(bearer(admin)), (r) => r.status === 200, 20_000);
    const { body: image } = await http
      .post('/api/v1/admin/images')
      .set(bearer(admin))
      .send({ name: 'ubuntu', os: 'linux', generation: 2, fileName: 'ubuntu-24.04.vhdx', minDiskGiB: 10, cloudInit: true, visibility: 'public' })
      .expect(201);
    const tenant = await createTenant(http, admin);
    await http.put(`/api/v1/admin/tenants/${tenant.id}/quota`).set(bearer(admin)).send(LIMITS).expect(200);
    const user = await addUser(http, admin, tenant.id, 'owner');
    const tokens = await loginTenant(http, tenant.slug, user.email);

    const created = await http.post('/api/v1/vms').set(bearer(tokens.accessToken)).send(smallVm(image.id, 'phoenix')).expect(202);
    await eventually(() => http.get(`/api/v1/tasks/${created.body.task.id}`).set(bearer(tokens.accessToken)), (r) => r.body.status === 'running');
    server.child.kill('SIGKILL');
    await server.exited();

    server = runServer(env);
    await server.waitFor(/OpenHVX ready/);
    const task = await eventually(
      () => http.get(`/api/v1/tasks/${created.body.task.id}`).set(bearer(tokens.accessToken)),
      (r) => ['succeeded', 'failed'].includes(r.body.status),
      40_000,
    );
    expect(task.body).toMatchObject({ status: 'succeeded' });
    const { body: vm } = await http.get(`/api/v1/vms/${created.body.vm.id}`).set(bearer(tokens.accessToken)).expect(200);
    expect(vm).toMatchObject({ name: 'phoenix', state: 'running' });
    const inventory = await eventually(
      () => http.get(`/api/v1/admin/hosts/${hostRecord.id}/inventory`).set(bearer(admin)),
      (r) => r.body.vms?.some((v: { name: string }) => v.name === 'phoenix'),
    );
    expect(inventory.body.vms.filter((v: { name: string }) => v.name === 'phoenix')).toHaveLength(1);
    // Past the hold TTL and a few sweeps: nothing is held, and usage is exactly the one VM.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect((await http.get('/api/v1/quota/reservations').set(bearer(tokens.accessToken)).expect(200)).body.items).toEqual([]);
    expect((await http.get('/api/v1/quota').set(bearer(tokens.accessToken)).expect(200)).body.usage).toEqual({
      committed: { vcpu: 1, memoryMiB: 1024, storageGiB: 10, vms: 1 },
      held: ZERO,
    });
    expect((await http.get('/api/v1/vms').set(bearer(tokens.accessToken)).expect(200)).body.total).toBe(1);
  }, 120_000);
});
