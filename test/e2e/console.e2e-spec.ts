import { randomUUID } from 'node:crypto';
import { findFreePort } from '../../scripts/local-services/find-free-port';
import { bearer, memberOf, TenantActor } from '../support/actors';
import { AgentProcess, eventually } from '../support/agent-process';
import { ConsoleClient, openConsole, UpgradeRefused } from '../support/console-client';
import { startTestApp, TestApp } from '../support/test-app';
import { createImage, finishedTask, OnlineHost, smallVm, startOnlineHost, tenantWithLimits } from '../support/vm-world';

const LIMITS = { vcpu: 16, memoryMiB: 32_768, storageGiB: 400, vms: 10 };
const PASSWORD = 'console-password-1';

/** The serial console end to end: real server, Redis, WebSockets and a sim agent whose guest runs a login shell. */
describe('serial console', () => {
  let t: TestApp;
  let host: OnlineHost;
  let image: { id: string };
  let tenant: TenantActor;
  const agents: AgentProcess[] = [];
  const consoles: ConsoleClient[] = [];

  beforeAll(async () => {
    t = await startTestApp({ PORT: String(await findFreePort()), OPENHVX_HEARTBEAT_INTERVAL: '1', OPENHVX_CONSOLE_TICKET_TTL: '5' });
    host = await startOnlineHost(t, { actionDelayMs: 5 });
    agents.push(host.agent);
    image = await createImage(t);
    tenant = await tenantWithLimits(t, LIMITS);
  });
  afterEach(() => {
    for (const client of consoles.splice(0)) client.socket.terminate();
  });
  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.kill('SIGKILL')));
    await t.close();
  });

  const as = (actor: TenantActor) => bearer(actor.accessToken);

  async function createVm(hostname: string, actor = tenant): Promise<string> {
    const body = smallVm(image.id, `${hostname}-${randomUUID().slice(0, 4)}`, { cloudInit: { hostname, users: [{ name: 'alice', password: PASSWORD, sudo: true }] } });
    const response = await t.http.post('/api/v1/vms').set(as(actor)).send(body).expect(202);
    expect(await finishedTask(t, actor.accessToken, response.body.task.id)).toMatchObject({ status: 'succeeded' });
    return response.body.vm.id;
  }

  async function ticketFor(vmId: string, actor = tenant): Promise<{ ticket: string; url: string; expiresAt: string }> {
    return (await t.http.post(`/api/v1/vms/${vmId}/console`).set(as(actor)).expect(201)).body;
  }

  async function connect(vmId: string, actor = tenant): Promise<ConsoleClient> {
    const client = await openConsole(t.url, (await ticketFor(vmId, actor)).url);
    consoles.push(client);
    await client.waitForControl((m) => m.type === 'status' && m.state === 'open');
    return client;
  }

  async function logIn(client: ConsoleClient, hostname: string): Promise<void> {
    client.type('\r');
    await client.waitFor(new RegExp(`${hostname} login: $`));
    const mark = client.output().length;
    client.type('alice\r');
    await client.waitFor(/Password: $/, { from: mark });
    client.type(`${PASSWORD}\r`);
    await client.waitFor(new RegExp(`alice@${hostname}:~\\$ $`), { from: mark });
  }

  async function run(client: ConsoleClient, command: string, expected: RegExp): Promise<string> {
    const mark = client.output().length;
    client.type(`${command}\r`);
    return client.waitFor(expected, { from: mark });
  }

  async function refusal(path: string): Promise<number> {
    try {
      const client = await openConsole(t.url, path);
      client.socket.terminate();
      return 101;
    } catch (error) {
      if (error instanceof UpgradeRefused) return error.status;
      throw error;
    }
  }

  it('opens a VM\'s console: login prompt with its hostname, a shell, and poweroff turns the VM off', async () => {
    const vmId = await createVm('web-console');
    const issued = await ticketFor(vmId);
    expect(issued.url).toBe(`/ws/console?ticket=${issued.ticket}`);
    expect(new Date(issued.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const client = await openConsole(t.url, issued.url);
    consoles.push(client);
    expect(await client.waitForControl((m) => m.type === 'status' && m.state === 'open')).toMatchObject({ readOnly: false, vm: { id: vmId } });

    await logIn(client, 'web-console');
    await run(client, 'hostname', /\r\nweb-console\r\n/);
    await run(client, 'whoami', /\r\nalice\r\n/);
    await run(client, 'hostnaX\x7fme', /\r\nweb-console\r\n/);
    await run(client, 'frobnicate', /frobnicate: command not found/);
    client.type('poweroff\r');
    await eventually(() => t.http.get(`/api/v1/vms/${vmId}`).set(as(tenant)), (r) => r.body.state === 'off', 20_000);
  });

  it('refuses used, expired, unknown and foreign tickets at the upgrade', async () => {
    const vmId = await createVm('guarded');
    const used = await ticketFor(vmId);
    const first = await openConsole(t.url, used.url);
    consoles.push(first);
    expect(await refusal(used.url)).toBe(401);
    expect(await refusal('/ws/console')).toBe(401);
    expect(await refusal(`/ws/console?ticket=${'A'.repeat(43)}`)).toBe(401);

    const stale = await ticketFor(vmId);
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    expect(await refusal(stale.url)).toBe(401);

    // Another tenant cannot get a ticket for this VM, or see that it exists.
    const other = await tenantWithLimits(t, LIMITS);
    const { body } = await t.http.post(`/api/v1/vms/${vmId}/console`).set(as(other)).expect(404);
    expect(body.code).toBe('NOT_FOUND');
    // A ticket whose tenant was suspended since is no longer honoured.
    const otherVm = await createVm('suspended', other);
    const pending = await ticketFor(otherVm, other);
    await t.http.patch(`/api/v1/admin/tenants/${other.tenantId}`).set(bearer(t.admin.accessToken)).send({ status: 'suspended' }).expect(200);
    expect(await refusal(pending.url)).toBe(403);
  }, 30_000);

  it('gives one writer per VM: a new session takes over, and viewers only watch', async () => {
    const vmId = await createVm('shared');
    const first = await connect(vmId);
    const second = await connect(vmId);
    expect(await first.waitForControl((m) => m.type === 'closed')).toMatchObject({ reason: 'taken-over' });
    expect(await first.closed).toMatchObject({ code: 4000 });
    await logIn(second, 'shared');

    const viewer = await memberOf(t.http, t.admin.accessToken, tenant, 'viewer');
    const watching = await connect(vmId, viewer);
    expect(watching.controls[watching.controls.length - 1]).toMatchObject({ type: 'status', readOnly: true });
    const mark = second.output().length;
    watching.type('poweroff\r');
    // The viewer's keys reach nobody, and the writer keeps the console.
    await run(second, 'whoami', /\r\nalice\r\n/);
    expect(second.output().slice(mark)).not.toContain('poweroff');
    expect(second.socket.readyState).toBe(second.socket.OPEN);
    // …but the viewer sees what the writer does.
    await watching.waitFor(/whoami\r\nalice\r\n/);
    expect((await t.http.get(`/api/v1/vms/${vmId}`).set(as(tenant)).expect(200)).body.state).toBe('running');
  });

  it('closes the console with a reason when the VM is deleted', async () => {
    const vmId = await createVm('doomed');
    const client = await connect(vmId);
    const removal = await t.http.delete(`/api/v1/vms/${vmId}`).set(as(tenant)).expect(202);
    expect(await client.waitForControl((m) => m.type === 'closed', 20_000)).toMatchObject({ reason: 'vm-deleted' });
    expect(await client.closed).toMatchObject({ code: 4002 });
    expect(await finishedTask(t, tenant.accessToken, removal.body.task.id)).toMatchObject({ status: 'succeeded' });
  });

  it('records every session in the audit trail: who, which VM, from where, how long, bytes each way', async () => {
    const vmId = await createVm('audited');
    const client = await connect(vmId);
    await logIn(client, 'audited');
    client.socket.close();
    await client.closed;
    const { body } = await eventually(
      () => t.http.get(`/api/v1/admin/audit?action=console.session&targetId=${vmId}`).set(bearer(t.admin.accessToken)),
      (r) => r.status === 200 && r.body.total === 1,
    );
    const [entry] = body.items;
    expect(entry).toMatchObject({
      action: 'console.session',
      actor: { scope: 'tenant', email: tenant.email },
      tenantId: tenant.tenantId,
      target: { type: 'vm', id: vmId },
      ip: expect.stringMatching(/127\.0\.0\.1/),
      details: { readOnly: false, endReason: 'client-closed' },
    });
    expect(entry.details.bytesFromBrowser).toBe(1 + 'alice\r'.length + PASSWORD.length + 1);
    expect(entry.details.bytesToBrowser).toBe(Buffer.byteLength(client.output()));
    expect(entry.details.durationMs).toBeGreaterThan(0);
    expect(JSON.stringify(entry)).not.toContain(PASSWORD);
    await t.http.get('/api/v1/admin/audit').set(as(tenant)).expect(403);
  });

  it('closes the browser side with a reason when the host\'s agent disconnects', async () => {
    const lonely = await startOnlineHost(t, { actionDelayMs: 5 });
    agents.push(lonely.agent);
    const admin = bearer(t.admin.accessToken);
    const created = await t.http.post(`/api/v1/admin/tenants/${tenant.tenantId}/vms`).set(admin).send(smallVm(image.id, `lonely-${randomUUID().slice(0, 4)}`, { hostId: lonely.hostId })).expect(202);
    expect(await finishedTask(t, tenant.accessToken, created.body.task.id)).toMatchObject({ status: 'succeeded' });
    const client = await connect(created.body.vm.id);
    await lonely.agent.kill('SIGKILL');
    expect(await client.waitForControl((m) => m.type === 'closed', 20_000)).toMatchObject({ reason: 'agent-disconnected' });
    // While the host is away, a new console cannot open.
    await eventually(() => t.http.get(`/api/v1/admin/hosts/${lonely.hostId}`).set(admin), (r) => r.body.status === 'offline', 20_000);
    const again = await openConsole(t.url, (await ticketFor(created.body.vm.id)).url);
    consoles.push(again);
    expect(await again.waitForControl((m) => m.type === 'closed')).toMatchObject({ reason: 'host-offline' });
  });
});
