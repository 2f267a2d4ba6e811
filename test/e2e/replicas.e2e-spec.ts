import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { HostJobsService } from '../../src/agent-gateway/host-jobs.service';
import { findFreePort } from '../../scripts/local-services/find-free-port';
import { bearer } from '../support/actors';
import { AgentProcess, eventually, startAgent } from '../support/agent-process';
import { startTestApp, tempDir, TestApp } from '../support/test-app';

/** Two server replicas sharing MongoDB and Redis, as behind a load balancer. */
describe('server replicas', () => {
  let first: TestApp;
  let second: TestApp;
  const agents: AgentProcess[] = [];

  beforeAll(async () => {
    first = await startTestApp({ PORT: String(await findFreePort()), OPENHVX_HEARTBEAT_INTERVAL: '1' });
    second = await startTestApp({ ...first.env, PORT: String(await findFreePort()) });
  });
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.kill('SIGKILL')));
  });
  afterAll(async () => {
    await second.close({ keepData: true });
    await first.close();
  });

  async function hostOn(replica: TestApp): Promise<{ hostId: string; agent: AgentProcess; token: string }> {
    const { body: host } = await first.http.post('/api/v1/admin/hosts').set(bearer(first.admin.accessToken)).send({ name: `hv-${randomUUID().slice(0, 8)}` }).expect(201);
    const agent = startAgent({ serverUrl: replica.url, dataDir: tempDir('agent'), enrollToken: host.enrollment.token, args: ['--sim-action-delay-ms', '0'] });
    agents.push(agent);
    await eventually(() => second.http.get(`/api/v1/admin/hosts/${host.id}`).set(bearer(second.admin.accessToken)), (r) => r.body.status === 'online');
    return { hostId: host.id, agent, token: host.enrollment.token };
  }

  it('runs a job queued on one replica through the agent connected to the other', async () => {
    const { hostId } = await hostOn(first);
    const output = await second.app.get(HostJobsService).run(
      hostId,
      'vm.create',
      { vmId: randomUUID(), name: 'across', imageFileName: 'debian-13.vhdx', generation: 2, vcpu: 1, memoryMiB: 1024, diskGiB: 10, start: false },
      { jobId: randomUUID() },
    );
    expect(output).toMatchObject({ vm: { name: 'across', state: 'off' } });
  });

  it('closes a host’s older connection on the other replica when a newer one arrives', async () => {
    const { hostId, agent } = await hostOn(first);
    const { credential } = JSON.parse(readFileSync(join(agent.dataDir, 'credential.json'), 'utf8')) as { credential: string };
    const hello = JSON.stringify({
      type: 'hello',
      protocolVersion: 1,
      agentVersion: 'test',
      driver: 'sim',
      capabilities: [],
      facts: { hostname: 'usurper', os: 'test', hypervVersion: '10', cpuCores: 2, memoryMiB: 2048, freeMemoryMiB: 1024, datastores: [] },
    });
    const newer = new WebSocket(`${second.url.replace('http', 'ws')}/ws/agent`, { headers: { Authorization: `Bearer ${credential}` } });
    await new Promise((resolve) => newer.once('open', resolve));
    newer.send(hello);
    expect(await agent.exited()).toBe(2);
    expect(agent.output()).toContain('another agent connected with this host credential');
    const host = await eventually(() => first.http.get(`/api/v1/admin/hosts/${hostId}`).set(bearer(first.admin.accessToken)), (r) => r.body.facts?.hostname === 'usurper');
    expect(host.body.status).toBe('online');
    newer.close();
  });
});
