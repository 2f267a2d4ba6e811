import { findFreePort } from '../../scripts/local-services/find-free-port';
import { bearer, TenantActor } from '../support/actors';
import { AgentProcess } from '../support/agent-process';
import { startTestApp, TestApp } from '../support/test-app';
import { createImage, finishedTask, smallVm, startOnlineHost, tenantWithLimits } from '../support/vm-world';

type Amounts = { vcpu: number; memoryMiB: number; storageGiB: number; vms: number };
const RESOURCES = ['vcpu', 'memoryMiB', 'storageGiB', 'vms'] as const;

/**
 * DESIGN.md §4.2's promise under load: 200 parallel creates, then 200 parallel resizes, at a tenant
 * whose limits allow 20 VMs. No interleaving may take usage past a limit, and usage ends equal to
 * what the live VMs hold.
 */
describe('quota under concurrent VM requests', () => {
  let t: TestApp;
  let agent: AgentProcess;
  let tenant: TenantActor;
  const limits: Amounts = { vcpu: 20, memoryMiB: 20 * 1024, storageGiB: 20 * 10 + 15, vms: 20 };

  beforeAll(async () => {
    t = await startTestApp({ PORT: String(await findFreePort()) });
    ({ agent } = await startOnlineHost(t, { actionDelayMs: 5 }));
    tenant = await tenantWithLimits(t, limits);
  });
  afterAll(async () => {
    await agent.kill('SIGKILL');
    await t.close();
  });

  /** Every ledger entry's totals: usage as it was after each change, in order. */
  async function ledgerTotals(): Promise<Amounts[]> {
    const entries = await t.connection.collection('quota_ledger').find({}).sort({ seq: 1 }).toArray();
    return entries.map((entry) => {
      const sum = {} as Amounts;
      for (const resource of RESOURCES) sum[resource] = entry.committed[resource] + entry.held[resource];
      return sum;
    });
  }

  async function liveVms(): Promise<{ id: string; vcpu: number; memoryMiB: number; diskGiB: number; state: string }[]> {
    return (await t.http.get('/api/v1/vms?limit=200').set(bearer(tenant.accessToken)).expect(200)).body.items;
  }

  async function usage(): Promise<{ committed: Amounts; held: Amounts }> {
    return (await t.http.get('/api/v1/quota').set(bearer(tenant.accessToken)).expect(200)).body.usage;
  }

  it('never lets 200 parallel creates and resizes push usage past a limit', async () => {
    const image = await createImage(t);
    const creates = await Promise.all(
      Array.from({ length: 200 }, (_, i) => t.http.post('/api/v1/vms').set(bearer(tenant.accessToken)).send(smallVm(image.id, `burst-${i}`))),
    );
    const accepted = creates.filter((r) => r.status === 202);
    const refused = creates.filter((r) => r.status !== 202);
    expect(accepted.length).toBe(20);
    expect(new Set(refused.map((r) => `${r.status} ${r.body.code}`))).toEqual(new Set(['422 QUOTA_EXCEEDED']));
    const createTasks = await Promise.all(accepted.map((r) => finishedTask(t, tenant.accessToken, r.body.task.id, 60_000)));
    expect(createTasks.every((task) => task.status === 'succeeded')).toBe(true);

    const vms = await liveVms();
    expect(vms).toHaveLength(20);
    const resizes = await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        const vm = vms[i % vms.length];
        return t.http.patch(`/api/v1/vms/${vm.id}`).set(bearer(tenant.accessToken)).send({ diskGiB: vm.diskGiB + 1 + Math.floor(i / vms.length) });
      }),
    );
    const outcomes = new Set(resizes.map((r) => (r.status === 202 ? '202' : `${r.status} ${r.body.code}`)));
    for (const outcome of outcomes) expect(['202', '409 VM_BUSY', '422 QUOTA_EXCEEDED']).toContain(outcome);
    const resizeTasks = await Promise.all(resizes.filter((r) => r.status === 202).map((r) => finishedTask(t, tenant.accessToken, r.body.task.id, 60_000)));
    expect(resizeTasks.length).toBeGreaterThan(0);
    expect(resizeTasks.every((task) => task.status === 'succeeded')).toBe(true);

    for (const totals of await ledgerTotals()) {
      for (const resource of RESOURCES) expect(totals[resource]).toBeLessThanOrEqual(limits[resource]);
    }
    const final = await liveVms();
    const held = { vcpu: 0, memoryMiB: 0, storageGiB: 0, vms: 0 };
    expect(await usage()).toEqual({
      committed: {
        vcpu: final.reduce((sum, vm) => sum + vm.vcpu, 0),
        memoryMiB: final.reduce((sum, vm) => sum + vm.memoryMiB, 0),
        storageGiB: final.reduce((sum, vm) => sum + vm.diskGiB, 0),
        vms: final.length,
      },
      held,
    });
    expect(final.every((vm) => vm.state === 'running')).toBe(true);
  }, 240_000);
});
