import { randomUUID } from 'node:crypto';
import { findFreePort } from '../../scripts/local-services/find-free-port';
import { bearer, TenantActor } from '../support/actors';
import { AgentProcess } from '../support/agent-process';
import { ConsoleClient, openConsole } from '../support/console-client';
import { startTestApp, TestApp } from '../support/test-app';
import { createImage, finishedTask, smallVm, startOnlineHost, tenantWithLimits } from '../support/vm-world';

const IDLE_TIMEOUT_SECONDS = 10;

/** A console whose browser socket and agent socket live on different server replicas: bytes cross over Redis. */
describe('serial console across replicas', () => {
  let agentSide: TestApp;
  let browserSide: TestApp;
  let agent: AgentProcess;
  let tenant: TenantActor;
  let client: ConsoleClient | undefined;

  beforeAll(async () => {
    agentSide = await startTestApp({ PORT: String(await findFreePort()), OPENHVX_CONSOLE_IDLE_TIMEOUT: String(IDLE_TIMEOUT_SECONDS) });
    browserSide = await startTestApp({ ...agentSide.env, PORT: String(await findFreePort()) });
    ({ agent } = await startOnlineHost(agentSide, { actionDelayMs: 5 }));
    tenant = await tenantWithLimits(agentSide, { vcpu: 4, memoryMiB: 8192, storageGiB: 100, vms: 2 });
  });
  afterAll(async () => {
    client?.socket.terminate();
    await agent.kill('SIGKILL');
    await browserSide.close({ keepData: true });
    await agentSide.close();
  });

  it('relays a login session through the other replica, and closes it when idle', async () => {
    const image = await createImage(agentSide);
    const body = smallVm(image.id, `relay-${randomUUID().slice(0, 4)}`, { cloudInit: { hostname: 'relayed', users: [{ name: 'bob', password: 'relay-password' }] } });
    const created = await agentSide.http.post('/api/v1/vms').set(bearer(tenant.accessToken)).send(body).expect(202);
    expect(await finishedTask(agentSide, tenant.accessToken, created.body.task.id)).toMatchObject({ status: 'succeeded' });

    const { body: ticket } = await browserSide.http.post(`/api/v1/vms/${created.body.vm.id}/console`).set(bearer(tenant.accessToken)).expect(201);
    client = await openConsole(browserSide.url, ticket.url);
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
