import { Types } from 'mongoose';
import { WebSocket } from 'ws';
import { Agent } from '../../agent/src/agent';
import { loadAgentConfig } from '../../agent/src/config/agent-config';
import { createDriver } from '../../agent/src/drivers/create-driver';
import { bearer, tenantActor } from '../support/actors';
import { AgentProcess, eventually, setSimFaults, startAgent } from '../support/agent-process';
import { startTestApp, tempDir, TestApp } from '../support/test-app';

describe('hosts and agents', () => {
  let t: TestApp;
  const agents: AgentProcess[] = [];
  const agent = (options: Parameters<typeof startAgent>[0]) => {
    const started = startAgent(options);
    agents.push(started);
    return started;
  };

  beforeAll(async () => {
    t = await startTestApp({ OPENHVX_HOST_OFFLINE_AFTER: '3', OPENHVX_HEARTBEAT_INTERVAL: '1' });
  });
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.kill('SIGKILL')));
  });
  afterAll(() => t.close());

  const createHost = async (name = `hv-${new Types.ObjectId().toHexString().slice(-8)}`) =>
    (await t.http.post('/api/v1/admin/hosts').set(bearer(t.admin.accessToken)).send({ name }).expect(201)).body;
  const getHost = async (id: string) => (await t.http.get(`/api/v1/admin/hosts/${id}`).set(bearer(t.admin.accessToken)).expect(200)).body;
  const waitForStatus = (id: string, status: string, timeoutMs?: number) => eventually(() => getHost(id), (host) => host.status === status, timeoutMs);

  describe('POST /api/v1/admin/hosts', () => {
    it('registers a pending host with a one-time enrollment token and the command to paste', async () => {
      const host = await createHost('hv-01');
      expect(host).toMatchObject({ name: 'hv-01', status: 'pending', maintenance: false, lastHeartbeatAt: null, capacity: null, vmCount: 0 });
      expect(host.enrollment.token).toMatch(/^ohxe_/);
      expect(new Date(host.enrollment.expiresAt).getTime() - Date.now()).toBeGreaterThan(23 * 3600_000);
      expect(host.enrollment.command).toBe(`node openhvx-agent.js --server http://localhost:8080 --enroll-token ${host.enrollment.token} --driver hyperv`);
      await t.http.post('/api/v1/admin/hosts').set(bearer(t.admin.accessToken)).send({ name: 'hv-01' }).expect(409);
    });

    it('rejects bad names, anonymous callers and tenant tokens', async () => {
      for (const name of ['', '-x', 'has space', 'x'.repeat(64), 42]) {
        await t.http.post('/api/v1/admin/hosts').set(bearer(t.admin.accessToken)).send({ name }).expect(400);
      }
      const owner = await tenantActor(t.http, t.admin.accessToken);
      await t.http.post('/api/v1/admin/hosts').send({ name: 'x' }).expect(401);
      await t.http.post('/api/v1/admin/hosts').set(bearer(owner.accessToken)).send({ name: 'x' }).expect(403);
      await t.http.get('/api/v1/admin/hosts').set(bearer(owner.accessToken)).expect(403);
    });
  });

  it('enrolls an agent, which comes online with its capacity and inventory, goes offline when it dies and back online when it returns', async () => {
    const host = await createHost();
    const dataDir = tempDir('agent');
    const first = agent({ serverUrl: t.url, dataDir, enrollToken: host.enrollment.token });
    const online = await waitForStatus(host.id, 'online');
    expect(online).toMatchObject({ driver: 'sim', agentVersion: expect.any(String), lastHeartbeatAt: expect.any(String) });
    expect(online.capacity).toEqual({ cpuCores: expect.any(Number), memoryMiB: expect.any(Number), freeMemoryMiB: expect.any(Number), storage: [expect.objectContaining({ name: expect.any(String), totalGiB: expect.any(Number), freeGiB: expect.any(Number) })] });

    const inventory = await eventually(
      () => t.http.get(`/api/v1/admin/hosts/${host.id}/inventory`).set(bearer(t.admin.accessToken)),
      (response) => response.status === 200,
    );
    expect(inventory.body.images.map((i: { fileName: string }) => i.fileName).sort()).toEqual(['debian-13.vhdx', 'rocky-10.vhdx', 'ubuntu-24.04.vhdx']);
    expect(inventory.body).toMatchObject({ reportedAt: expect.any(String), vms: [], switches: [expect.any(Object)] });

    await first.kill('SIGKILL');
    await waitForStatus(host.id, 'offline');
    // Restarted without the token: the saved credential is reused.
    const second = agent({ serverUrl: t.url, dataDir });
    await waitForStatus(host.id, 'online');

    await second.kill('SIGTERM');
    expect(second.child.exitCode).toBe(0);
    expect(second.output()).toContain('SIGTERM received, stopping');
    await waitForStatus(host.id, 'offline');
  });

  it('refuses a used, an expired and an unknown enrollment token', async () => {
    const host = await createHost();
    agent({ serverUrl: t.url, dataDir: tempDir('agent'), enrollToken: host.enrollment.token });
    await waitForStatus(host.id, 'online');
    const reuse = agent({ serverUrl: t.url, dataDir: tempDir('agent'), enrollToken: host.enrollment.token });
    expect(await reuse.exited()).toBe(2);
    expect(reuse.output()).toContain('Enrollment refused: Enrollment token is invalid, expired or already used');

    const other = await createHost();
    await t.connection.collection('host_enrollment_tokens').updateMany({ hostId: new Types.ObjectId(other.id) }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = agent({ serverUrl: t.url, dataDir: tempDir('agent'), enrollToken: other.enrollment.token });
    expect(await expired.exited()).toBe(2);

    const { body } = await t.http.post('/api/v1/agent/enroll').send({ token: 'ohxe_nope', facts: (await getHost(host.id)).facts }).expect(401);
    expect(body.code).toBe('INVALID_ENROLLMENT_TOKEN');
    await t.http.post('/api/v1/agent/enroll').send({ token: 'x', facts: { hostname: 'x' } }).expect(400);
  });

  it('re-enrolls a host: the new agent takes over and the old credential is revoked', async () => {
    const host = await createHost();
    const old = agent({ serverUrl: t.url, dataDir: tempDir('agent'), enrollToken: host.enrollment.token });
    await waitForStatus(host.id, 'online');
    const { body: fresh } = await t.http.post(`/api/v1/admin/hosts/${host.id}/enrollment`).set(bearer(t.admin.accessToken)).expect(201);
    const reinstalled = agent({ serverUrl: t.url, dataDir: tempDir('agent'), enrollToken: fresh.token });
    expect(await old.exited()).toBe(2);
    expect(old.output()).toContain("this host's credential was revoked");
    await reinstalled.waitForOutput(/Connected to/);
    await waitForStatus(host.id, 'online');
  });

  it('issues a fresh enrollment token that replaces the previous one', async () => {
    const host = await createHost();
    const { body: fresh } = await t.http.post(`/api/v1/admin/hosts/${host.id}/enrollment`).set(bearer(t.admin.accessToken)).expect(201);
    expect(fresh.token).not.toBe(host.enrollment.token);
    const old = agent({ serverUrl: t.url, dataDir: tempDir('agent'), enrollToken: host.enrollment.token });
    expect(await old.exited()).toBe(2);
    agent({ serverUrl: t.url, dataDir: tempDir('agent'), enrollToken: fresh.token });
    await waitForStatus(host.id, 'online');
  });

  it('lists hosts, switches maintenance, renames, and shows offline when heartbeats stop', async () => {
    const host = await createHost();
    const running = agent({ serverUrl: t.url, dataDir: tempDir('agent'), enrollToken: host.enrollment.token });
    await waitForStatus(host.id, 'online');
    const { body: list } = await t.http.get(`/api/v1/admin/hosts?q=${host.name}`).set(bearer(t.admin.accessToken)).expect(200);
    expect(list).toEqual({ items: [expect.objectContaining({ id: host.id, status: 'online' })], total: 1 });

    const maintenance = await t.http.patch(`/api/v1/admin/hosts/${host.id}`).set(bearer(t.admin.accessToken)).send({ maintenance: true, name: `${host.name}-m` }).expect(200);
    expect(maintenance.body).toMatchObject({ status: 'maintenance', maintenance: true, name: `${host.name}-m` });
    await t.http.patch(`/api/v1/admin/hosts/${host.id}`).set(bearer(t.admin.accessToken)).send({ maintenance: false }).expect(200);
    await t.http.patch(`/api/v1/admin/hosts/${host.id}`).set(bearer(t.admin.accessToken)).send({ maintenance: 'yes' }).expect(400);

    // A hung host: the agent process lives but sends nothing.
    setSimFaults(running.dataDir, { silent: true });
    await waitForStatus(host.id, 'offline', 10_000);
  });

  it('revokes a removed host: its agent is disconnected, refused and stops', async () => {
    const host = await createHost();
    const running = agent({ serverUrl: t.url, dataDir: tempDir('agent'), enrollToken: host.enrollment.token });
    await waitForStatus(host.id, 'online');
    await t.http.delete(`/api/v1/admin/hosts/${host.id}`).set(bearer(t.admin.accessToken)).expect(204);
    expect(await running.exited()).toBe(2);
    expect(running.output()).toMatch(/credential was revoked|refused this host's credential/);
    await t.http.get(`/api/v1/admin/hosts/${host.id}`).set(bearer(t.admin.accessToken)).expect(404);
    await t.http.delete(`/api/v1/admin/hosts/${host.id}`).set(bearer(t.admin.accessToken)).expect(404);
  });

  it('runs many sim agents in one process', async () => {
    const hosts = await Promise.all(Array.from({ length: 8 }, () => createHost()));
    const controller = new AbortController();
    const runs = hosts.map((host) => {
      const dataDir = tempDir('in-process-agent');
      const config = loadAgentConfig(['--server', t.url, '--driver', 'sim', '--data-dir', dataDir, '--enroll-token', host.enrollment.token, '--sim-action-delay-ms', '0'], {});
      return new Agent(config, createDriver(config), () => undefined).run(controller.signal);
    });
    for (const host of hosts) await waitForStatus(host.id, 'online');
    const hostnames = new Set(await Promise.all(hosts.map(async (host) => (await getHost(host.id)).facts.hostname)));
    expect(hostnames.size).toBe(hosts.length);
    controller.abort();
    await Promise.all(runs);
    for (const host of hosts) await waitForStatus(host.id, 'offline');
  });

  describe('/ws/agent', () => {
    const socketUrl = () => `${t.url.replace('http', 'ws')}/ws/agent`;

    async function enrolledCredential(): Promise<{ hostId: string; credential: string; facts: unknown }> {
      const host = await createHost();
      const facts = { hostname: 'raw', os: 'test', hypervVersion: '10', cpuCores: 4, memoryMiB: 8192, freeMemoryMiB: 4096, datastores: [] };
      const { body } = await t.http.post('/api/v1/agent/enroll').send({ token: host.enrollment.token, facts }).expect(200);
      return { ...body, facts };
    }

    function connect(credential?: string): Promise<{ socket: WebSocket; messages: unknown[]; closed: Promise<number> } | { status: number }> {
      return new Promise((resolve) => {
        const socket = new WebSocket(socketUrl(), credential ? { headers: { Authorization: `Bearer ${credential}` } } : {});
        const messages: unknown[] = [];
        socket.on('message', (data) => messages.push(JSON.parse(data.toString())));
        socket.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
        socket.on('error', () => undefined);
        const closed = new Promise<number>((done) => socket.on('close', (code) => done(code)));
        socket.on('open', () => resolve({ socket, messages, closed }));
      });
    }

    it('refuses the upgrade without a host credential, including users’ tokens', async () => {
      const owner = await tenantActor(t.http, t.admin.accessToken);
      for (const credential of [undefined, 'ohxh_unknown', t.admin.accessToken, owner.accessToken]) {
        expect(await connect(credential)).toEqual({ status: 401 });
      }
    });

    it('answers malformed frames with an error and keeps the connection', async () => {
      const { credential, facts } = await enrolledCredential();
      const opened = await connect(credential);
      if (!('socket' in opened)) throw new Error('not connected');
      opened.socket.send('not json');
      opened.socket.send(JSON.stringify({ type: 'job.result', jobId: 'x' }));
      opened.socket.send(JSON.stringify({ type: 'hello', protocolVersion: 1, agentVersion: 't', driver: 'sim', capabilities: [], facts }));
      await eventually(async () => opened.messages, (m) => m.length >= 3);
      expect(opened.messages).toEqual([
        { type: 'error', code: 'INVALID_MESSAGE', message: 'frame is not valid JSON' },
        { type: 'error', code: 'INVALID_MESSAGE', message: expect.stringContaining('invalid message') },
        { type: 'welcome', hostId: expect.any(String), heartbeatIntervalMs: 1000 },
      ]);
      opened.socket.close();
    });

    it('refuses a protocol version it does not speak, with a clear message', async () => {
      const { credential, facts } = await enrolledCredential();
      const opened = await connect(credential);
      if (!('socket' in opened)) throw new Error('not connected');
      opened.socket.send(JSON.stringify({ type: 'hello', protocolVersion: 99, agentVersion: 't', driver: 'sim', capabilities: [], facts }));
      expect(await opened.closed).toBe(4001);
      expect(opened.messages).toEqual([{ type: 'error', code: 'PROTOCOL_MISMATCH', message: expect.stringMatching(/speaks agent protocol 1; the agent speaks 99/) }]);
    });

    it('lets a second connection with the same credential replace the first', async () => {
      const { credential, facts, hostId } = await enrolledCredential();
      const hello = JSON.stringify({ type: 'hello', protocolVersion: 1, agentVersion: 't', driver: 'sim', capabilities: [], facts });
      const first = await connect(credential);
      if (!('socket' in first)) throw new Error('not connected');
      first.socket.send(hello);
      await eventually(async () => first.messages, (m) => m.length === 1);
      const second = await connect(credential);
      if (!('socket' in second)) throw new Error('not connected');
      second.socket.send(hello);
      expect(await first.closed).toBe(4002);
      await eventually(async () => second.messages, (m) => m.length === 1);
      expect((await getHost(hostId)).status).toBe('online');
      second.socket.close();
    });
  });
});
