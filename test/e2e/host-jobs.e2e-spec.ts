import { randomUUID } from 'node:crypto';
import { HostJobsService } from '../../src/agent-gateway/host-jobs.service';
import { HostJobError } from '../../src/agent-gateway/host-job';
import { findFreePort } from '../../scripts/local-services/find-free-port';
import { bearer } from '../support/actors';
import { AgentProcess, eventually, setSimFaults, startAgent } from '../support/agent-process';
import { startTestApp, tempDir, TestApp } from '../support/test-app';

/** Jobs through BullMQ to real sim agents: progress, failures, and restarts of either side mid-job. */
describe('host jobs', () => {
  let t: TestApp;
  const agents: AgentProcess[] = [];

  beforeEach(async () => {
    t = await startTestApp({ PORT: String(await findFreePort()), OPENHVX_JOB_LOCK_SECONDS: '2', OPENHVX_HEARTBEAT_INTERVAL: '1' });
  });
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.kill('SIGKILL')));
    await t.close();
  });

  async function onlineHost(actionDelayMs = 200): Promise<{ hostId: string; agent: AgentProcess }> {
    const { body: host } = await t.http.post('/api/v1/admin/hosts').set(bearer(t.admin.accessToken)).send({ name: `hv-${randomUUID().slice(0, 8)}` }).expect(201);
    const agent = startAgent({ serverUrl: t.url, dataDir: tempDir('agent'), enrollToken: host.enrollment.token, args: ['--sim-action-delay-ms', String(actionDelayMs)] });
    agents.push(agent);
    await eventually(() => t.http.get(`/api/v1/admin/hosts/${host.id}`).set(bearer(t.admin.accessToken)), (r) => r.body.status === 'online');
    return { hostId: host.id, agent };
  }

  const createParams = (name: string) => ({
    vmId: randomUUID(),
    name,
    imageFileName: 'ubuntu-24.04.vhdx',
    generation: 2 as const,
    vcpu: 2,
    memoryMiB: 2048,
    diskGiB: 20,
    start: true,
  });

  async function vmsNamed(hostId: string, name: string): Promise<unknown[]> {
    const response = await t.http.get(`/api/v1/admin/hosts/${hostId}/inventory`).set(bearer(t.admin.accessToken));
    return response.status === 200 ? response.body.vms.filter((vm: { name: string }) => vm.name === name) : [];
  }

  it('runs an action on the host, relaying progress, and the inventory shows its effect', async () => {
    const { hostId } = await onlineHost();
    const progress: number[] = [];
    const output = (await t.app.get(HostJobsService).run(hostId, 'vm.create', createParams('web-1'), {
      jobId: randomUUID(),
      onProgress: ({ percent }) => progress.push(percent),
    })) as { vm: { name: string; state: string } };
    expect(output.vm).toMatchObject({ name: 'web-1', state: 'running' });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    await eventually(() => vmsNamed(hostId, 'web-1'), (vms) => vms.length === 1);
    expect((await t.http.get(`/api/v1/admin/hosts/${hostId}`).set(bearer(t.admin.accessToken)).expect(200)).body.vmCount).toBe(1);
    const { body: list } = await t.http.get('/api/v1/admin/hosts').set(bearer(t.admin.accessToken)).expect(200);
    expect(list.items.find((host: { id: string }) => host.id === hostId).vmCount).toBe(1);

    // A VM made outside the VM API is nobody's record, so it does not hold the host back (vms.e2e covers managed ones).
    await t.http.delete(`/api/v1/admin/hosts/${hostId}`).set(bearer(t.admin.accessToken)).expect(204);
  });

  it('keeps a job queued while its host is offline and runs it when the agent returns', async () => {
    const { hostId, agent } = await onlineHost(0);
    await agent.kill('SIGTERM');
    await eventually(() => t.http.get(`/api/v1/admin/hosts/${hostId}`).set(bearer(t.admin.accessToken)), (r) => r.body.status === 'offline');
    let settled = false;
    const run = t.app.get(HostJobsService).run(hostId, 'vm.create', createParams('patient'), { jobId: randomUUID() });
    void run.finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(settled).toBe(false);
    agents.push(startAgent({ serverUrl: t.url, dataDir: agent.dataDir, args: ['--sim-action-delay-ms', '0'] }));
    expect(((await run) as { vm: { name: string } }).vm.name).toBe('patient');
  });

  it('fails at once with the agent’s error code when the failure is permanent', async () => {
    const { hostId } = await onlineHost();
    const run = t.app.get(HostJobsService).run(hostId, 'vm.power', { vmId: randomUUID(), name: 'ghost', action: 'start' }, { jobId: randomUUID() });
    await expect(run).rejects.toEqual(expect.objectContaining({ code: 'NOT_FOUND' }));
    await expect(run).rejects.toBeInstanceOf(HostJobError);
  });

  it('retries a retryable failure and then succeeds', async () => {
    const { hostId, agent } = await onlineHost(0);
    setSimFaults(agent.dataDir, { fail: { 'vm.create': { count: 2, code: 'HYPERVISOR_ERROR', retryable: true } } });
    const output = (await t.app.get(HostJobsService).run(hostId, 'vm.create', createParams('retried'), { jobId: randomUUID() })) as { vm: { name: string } };
    expect(output.vm.name).toBe('retried');
  });

  it('finishes a job exactly once when the agent dies mid-job and comes back', async () => {
    const { hostId, agent } = await onlineHost(300);
    setSimFaults(agent.dataDir, { crash: { 'vm.create': true } });
    const jobs = t.app.get(HostJobsService);
    const run = jobs.run(hostId, 'vm.create', createParams('phoenix'), { jobId: randomUUID() });
    expect(await agent.exited()).toBe(137);
    const restarted = startAgent({ serverUrl: t.url, dataDir: agent.dataDir, args: ['--sim-action-delay-ms', '300'] });
    agents.push(restarted);
    expect(((await run) as { vm: { name: string } }).vm.name).toBe('phoenix');
    expect(await eventually(() => vmsNamed(hostId, 'phoenix'), (vms) => vms.length > 0)).toHaveLength(1);
  });

  it('finishes a job exactly once when the server restarts mid-job', async () => {
    const { hostId } = await onlineHost(1_500);
    const jobId = randomUUID();
    const params = createParams('survivor');
    const run = t.app.get(HostJobsService).run(hostId, 'vm.create', params, { jobId });
    run.catch(() => undefined); // this server goes away; its caller with it
    await new Promise((resolve) => setTimeout(resolve, 700)); // the agent is now mid-create
    await t.close({ keepData: true });

    t = await startTestApp(t.env);
    await eventually(() => t.http.get(`/api/v1/admin/hosts/${hostId}`).set(bearer(t.admin.accessToken)), (r) => r.body.status === 'online');
    const jobs = t.app.get(HostJobsService);
    const finished = await eventually(() => jobs.find(hostId, jobId), (job) => Boolean(job?.finishedOn), 30_000);
    expect(finished?.returnvalue).toMatchObject({ vm: { name: 'survivor' } });
    expect(await eventually(() => vmsNamed(hostId, 'survivor'), (vms) => vms.length > 0)).toHaveLength(1);
    // Running the same job id again runs nothing new: the remembered result answers.
    expect(await jobs.run(hostId, 'vm.create', params, { jobId })).toMatchObject({ vm: { name: 'survivor' } });
  });
});
