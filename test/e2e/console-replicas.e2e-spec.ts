import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { findFreePort } from '../../scripts/local-services/find-free-port';
import { bearer, TenantActor } from '../support/actors';
import { AgentProcess, eventually } from '../support/agent-process';
import { ConsoleClient, openConsole } from '../support/console-client';
import { runServer, ServerRun } from '../support/server-process';
import { startTestApp, TestApp } from '../support/test-app';
import { createImage, finishedTask, smallVm, startOnlineHost, tenantWithLimits } from '../support/vm-world';

const IDLE_TIMEOUT_SECONDS = 10;

/**
 * A console whose browser socket and agent socket live on different server replicas, each its own
 * process (the second is the built dist/main.js): bytes cross over Redis.
 */
describe('serial console across replicas', () => {
  let agentSide: TestApp;
  let browserSide: ServerRun;
  let browserSideUrl: string;
  let agent: AgentProcess;
  let tenant: TenantActor;
  let client: ConsoleClient | undefined;

  beforeAll(async () => {
    agentSide = await startTestApp({ PORT: String(await findFreePort()), OPENHVX_CONSOLE_IDLE_TIMEOUT: String(IDLE_TIMEOUT_SECONDS) });
    const port = await findFreePort();
    browserSideUrl = `http://127.0.0.1:${port}`;
    browserSide = runServer({ ...agentSide.env, PORT: String(port) });
    await eventually(() => request(browserSideUrl).get('/api/health/ready').catch(() => ({ status: 0 })), (r) => r.status === 200, 30_000);
    ({ agent } = await startOnlineHost(agentSide, { actionDelayMs: 5 }));
    tenant = await tenantWithLimits(agentSide, { vcpu: 4, memoryMiB: 8192, storageGiB: 100, vms: 2 });
  });
  afterAll(async () => {
    client?.socket.terminate();
    await agent.kill('SIGKILL');
    await browserSide.stop();
    await agentSide.close();
  });

  it('relays a login session through the other replica, and closes it when idle', async () => {
    const image = await createImage(agentSide);
    const body = smallVm(image.id, `relay-${randomUUID().slice(0, 4)}`, { cloudInit: { hostname: 'relayed', users: [{ name: 'bob', password: 'relay-password' }] } });
    const created = await agentSide.http.post('/api/v1/vms').set(bearer(tenant.accessToken)).send(body).expect(202);
    expect(await finishedTask(agentSide, tenant.accessToken, created.body.task.id)).toMatchObject({ status: 'succeeded' });

    const { body: ticket } = await request(browserSideUrl).post(`/api/v1/vms/${created.body.vm.id}/console`).set(bearer(tenant.accessToken)).expect(201);
    client = await openConsole(browserSideUrl, ticket.url);
    await client.waitForControl((m) => m.type === 'status' && m.state === 'open');
    client.type('\r');
    await client.waitFor(/relayed login: $/);
    client.type('bob\r');
    await client.waitFor(/Password: $/);
    client.type('relay-password\r');
    await client.waitFor(/bob@relayed:~\$ $/);
    const mark = client.output().length;
    client.type('hostname\r');
    await client.waitFor(/\r\nrelayed\r\n/, { from: mark });

    const lastActivity = Date.now();
    expect(await client.waitForControl((m) => m.type === 'closed', (IDLE_TIMEOUT_SECONDS + 5) * 1000)).toMatchObject({ reason: 'idle' });
    expect(Date.now() - lastActivity).toBeGreaterThanOrEqual((IDLE_TIMEOUT_SECONDS - 1) * 1000);
    expect(await client.closed).toMatchObject({ code: 4001 });
  }, 60_000);
});
