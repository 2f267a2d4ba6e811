import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection, Types } from 'mongoose';
import { parse as parseYaml } from 'yaml';
import { describeIso, readIsoFile } from '../../agent/src/cloud-init/test-support/isoinfo';
import { simSeedIsoPath } from '../../agent/src/drivers/sim/sim-vm-files';
import { findFreePort } from '../../scripts/local-services/find-free-port';
import { verifyPassword } from '../../src/contracts/sha512-crypt';
import { bearer, memberOf, TenantActor, tenantActor } from '../support/actors';
import { AgentProcess, eventually, setSimFaults } from '../support/agent-process';
import { startTestApp, tempDir, TestApp } from '../support/test-app';
import { eventsOf, openStream } from '../support/sse-client';
import { createImage, finishedTask, OnlineHost, smallVm, startOnlineHost, tenantWithLimits } from '../support/vm-world';

/** An OpenSSH ed25519 public key blob: the length-prefixed type name, then the length-prefixed 32-byte key. */
function ed25519KeyBlob(): Buffer {
  const lengthPrefixed = (bytes: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, bytes.length]), bytes]);
  return Buffer.concat([lengthPrefixed(Buffer.from('ssh-ed25519')), lengthPrefixed(randomBytes(32))]);
}

const LIMITS = { vcpu: 8, memoryMiB: 16_384, storageGiB: 200, vms: 5 };

/** The tenant VM API end to end: real server, FerretDB, Redis, BullMQ and a real sim agent. */
describe('VM lifecycle', () => {
  let t: TestApp;
  let host: OnlineHost;
  const agentDataDir = tempDir('agent');
  let image: { id: string; name: string };
  let tenant: TenantActor;
  const agents: AgentProcess[] = [];

  beforeAll(async () => {
    t = await startTestApp({ PORT: String(await findFreePort()), OPENHVX_HEARTBEAT_INTERVAL: '1' });
    host = await startOnlineHost(t, { dataDir: agentDataDir });
    agents.push(host.agent);
    image = await createImage(t);
  });
  beforeEach(async () => {
    tenant = await tenantWithLimits(t, LIMITS);
  });
  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.kill('SIGKILL')));
    await t.close();
  });

  const as = (actor: TenantActor) => bearer(actor.accessToken);
  const quota = async (actor: TenantActor) => (await t.http.get('/api/v1/quota').set(as(actor)).expect(200)).body;
  const getVm = async (actor: TenantActor, id: string) => (await t.http.get(`/api/v1/vms/${id}`).set(as(actor)).expect(200)).body;

  async function createVm(actor: TenantActor, body: Record<string, unknown>): Promise<{ id: string; taskId: string }> {
    const response = await t.http.post('/api/v1/vms').set(as(actor)).send(body).expect(202);
    const task = await finishedTask(t, actor.accessToken, response.body.task.id);
    expect(task).toMatchObject({ status: 'succeeded', error: null });
    return { id: response.body.vm.id, taskId: response.body.task.id };
  }

  async function act(actor: TenantActor, method: 'post' | 'patch' | 'delete', path: string, body?: object) {
    const response = await t.http[method](path).set(as(actor)).send(body).expect(202);
    return finishedTask(t, actor.accessToken, response.body.task.id);
  }

  it('creates a VM as a task, starts it, and commits its quota', async () => {
    const response = await t.http.post('/api/v1/vms').set(as(tenant)).send(smallVm(image.id, 'web-1', { vcpu: 2, memoryMiB: 2048, diskGiB: 20 })).expect(202);
    expect(response.body.vm).toMatchObject({ name: 'web-1', state: 'provisioning', vcpu: 2, memoryMiB: 2048, diskGiB: 20, imageId: image.id, hostName: host.name });
    expect(response.body.vm).not.toHaveProperty('hostId');
    expect(response.body.task).toMatchObject({ kind: 'vm.create', status: 'queued', target: { type: 'vm', id: response.body.vm.id, name: 'web-1' } });
    expect(response.body.task).not.toHaveProperty('hostId');
    expect((await quota(tenant)).usage.held).toEqual({ vcpu: 2, memoryMiB: 2048, storageGiB: 20, vms: 1 });

    const task = await finishedTask(t, tenant.accessToken, response.body.task.id);
    expect(task.status).toBe('succeeded');
    expect(task.steps.length).toBeGreaterThan(1);
    const vm = await getVm(tenant, response.body.vm.id);
    expect(vm).toMatchObject({ state: 'running', lastTaskId: response.body.task.id });
    expect(await quota(tenant)).toMatchObject({
      usage: { committed: { vcpu: 2, memoryMiB: 2048, storageGiB: 20, vms: 1 }, held: { vcpu: 0, memoryMiB: 0, storageGiB: 0, vms: 0 } },
    });
    const { body: list } = await t.http.get('/api/v1/vms?state=running').set(as(tenant)).expect(200);
    expect(list).toMatchObject({ total: 1, items: [{ id: vm.id, name: 'web-1' }] });
    // The guest gets an address from the switch's DHCP a moment after booting; inventory brings it in.
    await eventually(() => getVm(tenant, vm.id), (v) => v.ipAddresses.length > 0, 20_000);
  });

  it('streams the tenant\'s task and VM changes live, and nobody else\'s', async () => {
    const other = await tenantWithLimits(t, LIMITS);
    const mine = await openStream(`${t.url}/api/v1/events`, tenant.accessToken);
    const theirs = await openStream(`${t.url}/api/v1/events`, other.accessToken);
    const everything = await openStream(`${t.url}/api/v1/admin/events`, t.admin.accessToken);
    try {
      const { id, taskId } = await createVm(tenant, smallVm(image.id, 'live'));
      const seen = await eventually(
        async () => eventsOf(mine),
        (events) => events.some((e) => e.type === 'vm.updated' && (e.data as { state: string }).state === 'running'),
      );
      expect(seen.map((e) => e.type)).toEqual(expect.arrayContaining(['vm.created', 'task.created', 'task.updated', 'vm.updated']));
      expect(seen.find((e) => e.type === 'task.updated' && (e.data as { status: string }).status === 'succeeded')?.data).toMatchObject({ id: taskId });
      expect(seen.every((e) => e.tenantId === tenant.tenantId)).toBe(true);
      expect(seen.find((e) => e.type === 'vm.created')?.data).toMatchObject({ id, name: 'live' });
      await eventually(async () => eventsOf(everything), (events) => events.some((e) => e.type === 'task.updated' && (e.data as { id: string }).id === taskId));
      expect(eventsOf(theirs)).toEqual([]);
    } finally {
      for (const stream of [mine, theirs, everything]) stream.close();
    }
  });

  it('seeds cloud-init from a NoCloud ISO with the password hashed, and shows the password nowhere', async () => {
    const password = `secret-${randomUUID()}`;
    const sshKey = `ssh-ed25519 ${ed25519KeyBlob().toString('base64')} alice@laptop`;
    const cloudInit = { hostname: 'seeded-host', users: [{ name: 'alice', password, sshAuthorizedKeys: [sshKey], sudo: true }], packages: ['nginx'], runcmd: ['touch /tmp/ready'] };
    const response = await t.http.post('/api/v1/vms').set(as(tenant)).send(smallVm(image.id, 'seeded', { cloudInit })).expect(202);
    const id: string = response.body.vm.id;
    const task = await finishedTask(t, tenant.accessToken, response.body.task.id);
    expect(task.status).toBe('succeeded');

    const iso = simSeedIsoPath(join(agentDataDir, 'sim'), id);
    expect(describeIso(iso)).toMatch(/Volume id: CIDATA/);
    const metaData = parseYaml(readIsoFile(iso, '/meta-data').toString('utf8'));
    expect(metaData).toEqual({ 'instance-id': id, 'local-hostname': 'seeded-host' });
    const userDataText = readIsoFile(iso, '/user-data').toString('utf8');
    expect(userDataText.startsWith('#cloud-config\n')).toBe(true);
    expect(userDataText).not.toContain(password);
    const userData = parseYaml(userDataText);
    const alice = userData.users.find((user: { name?: string }) => user.name === 'alice');
    expect(alice).toMatchObject({ ssh_authorized_keys: [sshKey], sudo: 'ALL=(ALL) NOPASSWD:ALL' });
    expect(alice.passwd).toMatch(/^\$6\$/);
    expect(verifyPassword(password, alice.passwd)).toBe(true);
    expect(userData).toMatchObject({ packages: ['nginx'], runcmd: expect.arrayContaining(['touch /tmp/ready']) });

    // Nothing the API answers or keeps holds the plaintext.
    const connection = t.app.get<Connection>(getConnectionToken());
    const stored = await connection.collection('vms').findOne({ _id: new Types.ObjectId(id) });
    const answers = [
      response.body,
      await getVm(tenant, id),
      (await t.http.get(`/api/v1/tasks/${task.id}`).set(as(tenant)).expect(200)).body,
      (await t.http.get(`/api/v1/admin/vms/${id}`).set(bearer(t.admin.accessToken)).expect(200)).body,
      (await t.http.get(`/api/v1/admin/tasks/${task.id}`).set(bearer(t.admin.accessToken)).expect(200)).body,
      stored,
    ];
    expect(stored).not.toBeNull();
    for (const answer of answers) expect(JSON.stringify(answer)).not.toContain(password);
  });

  it('leaves a VM off when asked, and refuses what its state does not allow', async () => {
    const { id } = await createVm(tenant, smallVm(image.id, 'cold', { start: false }));
    expect((await getVm(tenant, id)).state).toBe('off');
    for (const action of ['stop', 'shutdown', 'pause', 'resume', 'restart', 'save']) {
      const refused = await t.http.post(`/api/v1/vms/${id}/power`).set(as(tenant)).send({ action }).expect(409);
      expect(refused.body).toMatchObject({ code: 'INVALID_STATE' });
      expect(refused.body.message).toContain('off');
    }
    await t.http.post(`/api/v1/vms/${id}/power`).set(as(tenant)).send({ action: 'hibernate' }).expect(400);
  });

  it('walks a VM through its power states', async () => {
    const { id } = await createVm(tenant, smallVm(image.id, 'power'));
    const expectations: [string, string][] = [
      ['pause', 'paused'],
      ['resume', 'running'],
      ['save', 'saved'],
      ['start', 'running'],
      ['restart', 'running'],
      ['shutdown', 'off'],
      ['start', 'running'],
      ['stop', 'off'],
    ];
    for (const [action, state] of expectations) {
      expect(await act(tenant, 'post', `/api/v1/vms/${id}/power`, { action })).toMatchObject({ status: 'succeeded' });
      expect((await getVm(tenant, id)).state).toBe(state);
    }
  });

  it('allows one change at a time per VM', async () => {
    const { id } = await createVm(tenant, smallVm(image.id, 'busy'));
    const first = await t.http.post(`/api/v1/vms/${id}/power`).set(as(tenant)).send({ action: 'restart' }).expect(202);
    const second = await t.http.post(`/api/v1/vms/${id}/power`).set(as(tenant)).send({ action: 'stop' }).expect(409);
    expect(second.body).toMatchObject({ code: 'VM_BUSY' });
    expect(second.body.message).toContain(first.body.task.id);
    await t.http.delete(`/api/v1/vms/${id}`).set(as(tenant)).expect(409);
    await finishedTask(t, tenant.accessToken, first.body.task.id);
    await act(tenant, 'post', `/api/v1/vms/${id}/power`, { action: 'stop' });
  });

  it('resizes: disks only grow, processors and memory need the VM off or a restart', async () => {
    const { id } = await createVm(tenant, smallVm(image.id, 'resize', { vcpu: 1, memoryMiB: 1024, diskGiB: 10 }));
    const mustBeOff = await t.http.patch(`/api/v1/vms/${id}`).set(as(tenant)).send({ vcpu: 2 }).expect(409);
    expect(mustBeOff.body).toMatchObject({ code: 'VM_MUST_BE_OFF' });
    const shrink = await t.http.patch(`/api/v1/vms/${id}`).set(as(tenant)).send({ diskGiB: 5 }).expect(400);
    expect(shrink.body.message).toContain('only grow');
    await t.http.patch(`/api/v1/vms/${id}`).set(as(tenant)).send({}).expect(400);

    expect(await act(tenant, 'patch', `/api/v1/vms/${id}`, { diskGiB: 30 })).toMatchObject({ status: 'succeeded' });
    expect(await getVm(tenant, id)).toMatchObject({ diskGiB: 30, state: 'running' });

    expect(await act(tenant, 'patch', `/api/v1/vms/${id}`, { vcpu: 2, memoryMiB: 2048, restart: true })).toMatchObject({ status: 'succeeded' });
    expect(await getVm(tenant, id)).toMatchObject({ vcpu: 2, memoryMiB: 2048, diskGiB: 30, state: 'running' });

    await act(tenant, 'post', `/api/v1/vms/${id}/power`, { action: 'stop' });
    expect(await act(tenant, 'patch', `/api/v1/vms/${id}`, { vcpu: 1 })).toMatchObject({ status: 'succeeded' });
    expect(await getVm(tenant, id)).toMatchObject({ vcpu: 1, state: 'off' });
    expect((await quota(tenant)).usage.committed).toEqual({ vcpu: 1, memoryMiB: 2048, storageGiB: 30, vms: 1 });

    const overQuota = await t.http.patch(`/api/v1/vms/${id}`).set(as(tenant)).send({ vcpu: 9 }).expect(422);
    expect(overQuota.body).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { violations: [{ resource: 'vcpu', limit: 8, used: 1, requested: 8 }] } });
    // The refused request left the VM free for the next change.
    expect(await act(tenant, 'patch', `/api/v1/vms/${id}`, { vcpu: 3 })).toMatchObject({ status: 'succeeded' });
  });

  it('clones a VM that is off into a new VM that counts against quota', async () => {
    const { id } = await createVm(tenant, smallVm(image.id, 'golden', { diskGiB: 12 }));
    const running = await t.http.post(`/api/v1/vms/${id}/clone`).set(as(tenant)).send({ name: 'copy' }).expect(409);
    expect(running.body).toMatchObject({ code: 'VM_MUST_BE_OFF' });
    await act(tenant, 'post', `/api/v1/vms/${id}/power`, { action: 'stop' });
    const taken = await t.http.post(`/api/v1/vms/${id}/clone`).set(as(tenant)).send({ name: 'GOLDEN' }).expect(409);
    expect(taken.body.message).toContain('already exists');

    const response = await t.http.post(`/api/v1/vms/${id}/clone`).set(as(tenant)).send({ name: 'copy', start: true }).expect(202);
    expect(response.body.vm).toMatchObject({ name: 'copy', state: 'provisioning', diskGiB: 12 });
    expect(await finishedTask(t, tenant.accessToken, response.body.task.id)).toMatchObject({ status: 'succeeded' });
    expect(await getVm(tenant, response.body.vm.id)).toMatchObject({ state: 'running', vcpu: 1, diskGiB: 12 });
    expect((await getVm(tenant, id)).state).toBe('off');
    expect((await quota(tenant)).usage.committed).toEqual({ vcpu: 2, memoryMiB: 2048, storageGiB: 24, vms: 2 });
  });

  it('deletes a running VM and gives its quota back', async () => {
    const { id } = await createVm(tenant, smallVm(image.id, 'doomed'));
    const response = await t.http.delete(`/api/v1/vms/${id}`).set(as(tenant)).expect(202);
    expect(response.body.vm.state).toBe('deleting');
    expect(await finishedTask(t, tenant.accessToken, response.body.task.id)).toMatchObject({ status: 'succeeded' });
    await t.http.get(`/api/v1/vms/${id}`).set(as(tenant)).expect(404);
    expect((await quota(tenant)).usage).toEqual({
      committed: { vcpu: 0, memoryMiB: 0, storageGiB: 0, vms: 0 },
      held: { vcpu: 0, memoryMiB: 0, storageGiB: 0, vms: 0 },
    });
    // The name is free again, and the finished task stays queryable.
    await createVm(tenant, smallVm(image.id, 'doomed'));
    await t.http.get(`/api/v1/tasks/${response.body.task.id}`).set(as(tenant)).expect(200);
  });

  it('refuses bad input with clear errors', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...smallVm(image.id, 'x'), memoryMiB: 1025 }, 400, 'multiple of 2'],
      [{ ...smallVm(image.id, 'x'), vcpu: 0 }, 400, 'vcpu'],
      [{ ...smallVm(image.id, 'x'), diskGiB: 5 }, 400, 'at least 10'],
      [{ ...smallVm(image.id, 'x'), name: '../etc' }, 400, 'name'],
      [{ ...smallVm('nope', 'x') }, 400, 'imageId'],
      [{ ...smallVm('0123456789abcdef01234567', 'x') }, 404, 'Image'],
      [{ ...smallVm(image.id, 'x'), surprise: 1 }, 400, 'surprise'],
    ];
    for (const [body, status, text] of cases) {
      const response = await t.http.post('/api/v1/vms').set(as(tenant)).send(body).expect(status);
      expect(response.body.message).toContain(text);
    }
    await createVm(tenant, smallVm(image.id, 'unique'));
    const duplicate = await t.http.post('/api/v1/vms').set(as(tenant)).send(smallVm(image.id, 'UNIQUE')).expect(409);
    expect(duplicate.body.code).toBe('CONFLICT');
    await t.http.get('/api/v1/vms/not-an-id').set(as(tenant)).expect(400);
    await t.http.get('/api/v1/vms/0123456789abcdef01234567').set(as(tenant)).expect(404);
    expect((await quota(tenant)).usage.held).toEqual({ vcpu: 0, memoryMiB: 0, storageGiB: 0, vms: 0 });
  });

  it('refuses a VM over quota, naming each exceeded resource, and holds nothing', async () => {
    const response = await t.http.post('/api/v1/vms').set(as(tenant)).send(smallVm(image.id, 'huge', { vcpu: 16, memoryMiB: 32_768 })).expect(422);
    expect(response.body.code).toBe('QUOTA_EXCEEDED');
    expect(response.body.details.violations).toEqual(
      expect.arrayContaining([
        { resource: 'vcpu', limit: 8, used: 0, requested: 16 },
        { resource: 'memoryMiB', limit: 16_384, used: 0, requested: 32_768 },
      ]),
    );
    expect(response.body.message).toContain('vCPU');
    expect((await quota(tenant)).usage.held).toEqual({ vcpu: 0, memoryMiB: 0, storageGiB: 0, vms: 0 });
  });

  it('answers 409 NO_CAPACITY when no host has room, and releases the hold', async () => {
    await tenantWithLimits(t, LIMITS);
    const big = await tenantActor(t.http, t.admin.accessToken);
    await t.http.put(`/api/v1/admin/tenants/${big.tenantId}/quota`).set(bearer(t.admin.accessToken)).send({ vcpu: 64, memoryMiB: 1_048_576, storageGiB: 10_000, vms: 5 }).expect(200);
    const response = await t.http.post('/api/v1/vms').set(as(big)).send(smallVm(image.id, 'whale', { memoryMiB: 524_288 })).expect(409);
    expect(response.body).toMatchObject({ code: 'NO_CAPACITY' });
    expect((await quota(big)).usage.held).toEqual({ vcpu: 0, memoryMiB: 0, storageGiB: 0, vms: 0 });
    const missingImage = await createImage(t, { fileName: 'not-on-any-host.vhdx' });
    const noImage = await t.http.post('/api/v1/vms').set(as(big)).send(smallVm(missingImage.id, 'orphan')).expect(409);
    expect(noImage.body.message).toContain('image');
  });

  it('rolls back a create the host fails, and releases the quota', async () => {
    setSimFaults(host.agent.dataDir, { fail: { 'vm.create': { count: 1, code: 'HYPERVISOR_ERROR', message: 'The virtual machine could not be started' } } });
    const response = await t.http.post('/api/v1/vms').set(as(tenant)).send(smallVm(image.id, 'unlucky')).expect(202);
    const task = await finishedTask(t, tenant.accessToken, response.body.task.id);
    expect(task).toMatchObject({ status: 'failed', error: { code: 'HYPERVISOR_ERROR', message: expect.stringContaining('could not be started') } });
    await t.http.get(`/api/v1/vms/${response.body.vm.id}`).set(as(tenant)).expect(404);
    expect((await quota(tenant)).usage).toEqual({
      committed: { vcpu: 0, memoryMiB: 0, storageGiB: 0, vms: 0 },
      held: { vcpu: 0, memoryMiB: 0, storageGiB: 0, vms: 0 },
    });
    await createVm(tenant, smallVm(image.id, 'unlucky'));
  });

  it('keeps tenants apart on every VM and task route', async () => {
    const { id, taskId } = await createVm(tenant, smallVm(image.id, 'private'));
    const other = await tenantWithLimits(t, LIMITS);
    const attempts: [string, string, object?][] = [
      ['get', `/api/v1/vms/${id}`],
      ['patch', `/api/v1/vms/${id}`, { diskGiB: 20 }],
      ['post', `/api/v1/vms/${id}/power`, { action: 'stop' }],
      ['post', `/api/v1/vms/${id}/clone`, { name: 'stolen' }],
      ['delete', `/api/v1/vms/${id}`],
      ['get', `/api/v1/tasks/${taskId}`],
      ['post', `/api/v1/tasks/${taskId}/cancel`],
    ];
    for (const [method, path, body] of attempts) {
      const response = await (t.http as unknown as Record<string, (p: string) => ReturnType<typeof t.http.get>>)[method](path).set(as(other)).send(body);
      expect({ path, method, status: response.status }).toEqual({ path, method, status: 404 });
    }
    expect((await t.http.get('/api/v1/vms').set(as(other)).expect(200)).body).toEqual({ items: [], total: 0 });
    expect((await t.http.get('/api/v1/tasks').set(as(other)).expect(200)).body).toEqual({ items: [], total: 0 });
    expect((await getVm(tenant, id)).state).toBe('running');
  });

  it('lets viewers look but not act', async () => {
    const { id } = await createVm(tenant, smallVm(image.id, 'watched'));
    const viewer = await memberOf(t.http, t.admin.accessToken, tenant, 'viewer');
    await t.http.get(`/api/v1/vms/${id}`).set(as(viewer)).expect(200);
    await t.http.post(`/api/v1/vms/${id}/power`).set(as(viewer)).send({ action: 'stop' }).expect(403);
    await t.http.post('/api/v1/vms').set(as(viewer)).send(smallVm(image.id, 'nope')).expect(403);
  });

  it('gives admins every tenant\'s VMs and tasks, with host details, and lets them act for a tenant', async () => {
    const { id, taskId } = await createVm(tenant, smallVm(image.id, 'seen-by-admin'));
    const admin = bearer(t.admin.accessToken);
    const { body: list } = await t.http.get(`/api/v1/admin/vms?tenantId=${tenant.tenantId}`).set(admin).expect(200);
    expect(list.items).toEqual([expect.objectContaining({ id, tenantId: tenant.tenantId, hostId: host.hostId, hypervisorId: expect.any(String) })]);
    const { body: task } = await t.http.get(`/api/v1/admin/tasks/${taskId}`).set(admin).expect(200);
    expect(task).toMatchObject({ hostId: host.hostId, requestedBy: { type: 'user', email: tenant.email } });

    const created = await t.http
      .post(`/api/v1/admin/tenants/${tenant.tenantId}/vms`)
      .set(admin)
      .send(smallVm(image.id, 'pinned', { hostId: host.hostId }))
      .expect(202);
    expect(await finishedTask(t, tenant.accessToken, created.body.task.id)).toMatchObject({ status: 'succeeded' });
    // Tenants see that an administrator acted, not who.
    expect((await t.http.get(`/api/v1/tasks/${created.body.task.id}`).set(as(tenant)).expect(200)).body.requestedBy).toEqual({ type: 'admin', email: null });
    const stopped = await t.http.post(`/api/v1/admin/vms/${created.body.vm.id}/power`).set(admin).send({ action: 'stop' }).expect(202);
    expect(await finishedTask(t, tenant.accessToken, stopped.body.task.id)).toMatchObject({ status: 'succeeded' });
    const { body: tasks } = await t.http.get(`/api/v1/admin/tasks?tenantId=${tenant.tenantId}&kind=vm.power`).set(admin).expect(200);
    expect(tasks.items.map((item: { id: string }) => item.id)).toEqual([stopped.body.task.id]);
    await t.http.get(`/api/v1/admin/vms/${id}`).set(admin).expect(200);
    await t.http.get('/api/v1/admin/vms').set(as(tenant)).expect(403);
    // A host that runs managed VMs is not removed by accident.
    const refused = await t.http.delete(`/api/v1/admin/hosts/${host.hostId}`).set(admin).expect(409);
    expect(refused.body).toMatchObject({ code: 'HOST_HAS_VMS', message: expect.stringContaining(host.name) });
  });
});
