import { Types } from 'mongoose';
import { setTimeout as sleep } from 'node:timers/promises';
import { startQuotaReplicas, QuotaReplicas } from '../../test/support/quota-ledger';
import { QUOTA_RESOURCES, QuotaAmounts, QuotaLimits } from '../contracts/quotas';
import { QuotasService } from './quotas.service';

const ZERO: QuotaAmounts = { vcpu: 0, memoryMiB: 0, storageGiB: 0, vms: 0 };

/** Four replicas, each with its own connection and in-process queue, racing on one FerretDB. */
describe(`${QuotasService.name} under concurrency`, () => {
  let q: QuotaReplicas;
  const replica = (i: number) => q.replicas[i % q.replicas.length];

  beforeAll(async () => {
    q = await startQuotaReplicas(4);
  });
  afterAll(() => q.close());

  async function newTenant(limits: QuotaLimits): Promise<string> {
    const tenantId = new Types.ObjectId().toHexString();
    await q.replicas[0].initTenant(tenantId, limits);
    return tenantId;
  }

  function ledgerOf(tenantId: string) {
    return q.connection.collection('quota_ledger').find({ tenantId: new Types.ObjectId(tenantId) }).sort({ seq: 1 }).toArray();
  }

  async function expectEveryEntryWithin(tenantId: string, limits: QuotaLimits): Promise<void> {
    const entries = await ledgerOf(tenantId);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    const over = entries.filter((e) => QUOTA_RESOURCES.some((r) => e.committed[r] + e.held[r] > limits[r]));
    expect(over).toEqual([]);
  }

  it('lets exactly as many of 200 parallel holds through as the limits allow', async () => {
    const limits = { vcpu: 40, memoryMiB: 40_960, storageGiB: 400, vms: 20 };
    const tenantId = await newTenant(limits);
    const vm = { vcpu: 2, memoryMiB: 2048, storageGiB: 20, vms: 1 };

    const started = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => replica(i).hold(tenantId, vm, { reservationId: `parallel-${i}`, kind: 'vm.create', description: `VM ${i}` })),
    );
    const elapsed = performance.now() - started;
    console.log(`200 parallel holds on 4 replicas (FerretDB): ${elapsed.toFixed(0)} ms`);

    const held = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.id] : []));
    const refusals = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { code: string }).code] : []));
    expect(held).toHaveLength(20);
    expect(refusals).toEqual(Array(180).fill('QUOTA_EXCEEDED'));
    await expectEveryEntryWithin(tenantId, limits);
    expect(await ledgerOf(tenantId)).toHaveLength(20);
    expect(await replica(1).getUsage(tenantId)).toEqual({ committed: ZERO, held: limits });
    expect((await replica(2).listHeld(tenantId)).map((r) => r.id).sort()).toEqual([...held].sort());
  });

  it('settles a reservation exactly once when commits and releases race on every replica', async () => {
    const vm = { vcpu: 1, memoryMiB: 1024, storageGiB: 10, vms: 1 };
    const tenantId = await newTenant({ vcpu: 100, memoryMiB: 102_400, storageGiB: 1000, vms: 100 });
    let committed = 0;
    for (let round = 0; round < 12; round++) {
      const id = `race-${round}`;
      await replica(round).hold(tenantId, vm, { reservationId: id, kind: 'vm.create', description: 'race' });
      const [c1, r1, c2, r2] = await Promise.all([replica(0).commit(id), replica(1).release(id), replica(2).commit(id), replica(3).release(id)]);

      const settles = await q.connection.collection('quota_ledger').find({ opKey: `${id}:settle` }).toArray();
      expect(settles).toHaveLength(1);
      const won = settles[0].op as 'commit' | 'release';
      if (won === 'commit') {
        committed += 1;
        expect([c1, c2].sort()).toEqual(['already-committed', 'committed']);
        expect([r1, r2]).toEqual(['committed', 'committed']);
      } else {
        expect([r1, r2].sort()).toEqual(['already-released', 'released']);
        expect([c1, c2]).toEqual(['released', 'released']);
      }
      expect((await replica(round + 1).getReservation(id))?.status).toBe(won === 'commit' ? 'committed' : 'released');
    }
    const usage = await replica(0).getUsage(tenantId);
    expect(usage).toEqual({ committed: { vcpu: committed, memoryMiB: committed * 1024, storageGiB: committed * 10, vms: committed }, held: ZERO });
    expect(await replica(0).listHeld(tenantId)).toEqual([]);
  });

  it('keeps the totals equal to what was committed under a random mix of holds, settles and deletes', async () => {
    const seed = Date.now() % 100_000;
    const random = mulberry32(seed);
    const pick = (n: number) => Math.floor(random() * n);
    const limits = { vcpu: 24, memoryMiB: 24_576, storageGiB: 240, vms: 12 };
    const tenantId = await newTenant(limits);
    const expected = { ...ZERO };
    const count = (delta: QuotaAmounts, sign: 1 | -1) => QUOTA_RESOURCES.forEach((r) => (expected[r] += sign * delta[r]));

    async function lifecycle(i: number): Promise<void> {
      const id = `mix-${i}`;
      const size = { vcpu: 1 + pick(4), memoryMiB: 512 * (1 + pick(8)), storageGiB: 10 * (1 + pick(5)), vms: 1 };
      await sleep(pick(20));
      try {
        await replica(pick(4)).hold(tenantId, size, { reservationId: id, kind: 'vm.create', description: 'mix' });
      } catch (error) {
        expect((error as { code: string }).code).toBe('QUOTA_EXCEEDED');
        return;
      }
      await sleep(pick(30));
      // Sometimes a duplicate settle races the first one, from another replica.
      const settles = [random() < 0.6 ? replica(pick(4)).commit(id) : replica(pick(4)).release(id)];
      if (random() < 0.4) settles.push(random() < 0.5 ? replica(pick(4)).commit(id) : replica(pick(4)).release(id));
      const outcomes: string[] = await Promise.all(settles);
      if (!outcomes.some((o) => o === 'committed' || o === 'already-committed')) return;
      count(size, 1);
      if (random() < 0.5) {
        await sleep(pick(30));
        const minus = { vcpu: -size.vcpu, memoryMiB: -size.memoryMiB, storageGiB: -size.storageGiB, vms: -1 };
        const charges = [replica(pick(4)).charge(tenantId, minus, { reservationId: `${id}:delete`, kind: 'vm.delete', description: 'mix' })];
        if (random() < 0.3) charges.push(replica(pick(4)).charge(tenantId, minus, { reservationId: `${id}:delete`, kind: 'vm.delete', description: 'mix' }));
        await Promise.all(charges);
        count(size, -1);
      }
    }

    await Promise.all(Array.from({ length: 120 }, (_, i) => lifecycle(i)));

    expect({ seed, usage: await replica(0).getUsage(tenantId) }).toEqual({ seed, usage: { committed: expected, held: ZERO } });
    await expectEveryEntryWithin(tenantId, limits);
    const settleCounts = await q.connection
      .collection('quota_ledger')
      .aggregate([{ $match: { tenantId: new Types.ObjectId(tenantId) } }, { $group: { _id: '$opKey', n: { $sum: 1 } } }, { $match: { n: { $gt: 1 } } }])
      .toArray();
    expect(settleCounts).toEqual([]);
    expect(await replica(3).listHeld(tenantId)).toEqual([]);
  });
});

/** A small seeded PRNG, so a failing interleaving can be replayed from the seed in the failure message. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
