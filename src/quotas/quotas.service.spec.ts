import { Types } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { recordUsage, startQuotaReplicas, QuotaReplicas } from '../../test/support/quota-ledger';
import { AppException } from '../common/errors/app-exception';
import { QuotaAmounts, QuotaLimits } from '../contracts/quotas';
import { QuotasService } from './quotas.service';

const ZERO: QuotaAmounts = { vcpu: 0, memoryMiB: 0, storageGiB: 0, vms: 0 };
const VM: QuotaAmounts = { vcpu: 2, memoryMiB: 2048, storageGiB: 20, vms: 1 };
const ROOMY: QuotaLimits = { vcpu: 32, memoryMiB: 65_536, storageGiB: 1000, vms: 20 };

describe(QuotasService.name, () => {
  let q: QuotaReplicas;
  let quotas: QuotasService;
  const id = (prefix = 'r') => `${prefix}-${randomBytes(4).toString('hex')}`;
  const hold = (tenantId: string, delta: QuotaAmounts, reservationId = id(), extra: { force?: boolean; ttlSeconds?: number } = {}) =>
    quotas.hold(tenantId, delta, { reservationId, kind: 'vm.create', taskId: reservationId, description: 'Create VM', ...extra });
  const charge = (tenantId: string, delta: QuotaAmounts, reservationId = id(), force = false) =>
    quotas.charge(tenantId, delta, { reservationId, kind: delta.vms < 0 ? 'vm.delete' : 'vm.adopt', description: 'Charge', force });
  const ledger = () => q.connection.collection('quota_ledger');
  const readModel = () => q.connection.collection<{ _id: string; status: string }>('quota_reservations');

  beforeAll(async () => {
    q = await startQuotaReplicas(2, { OPENHVX_QUOTA_HOLD_TTL: '120' });
    quotas = q.replicas[0];
  });
  afterAll(() => q.close());

  async function newTenant(limits: QuotaLimits = ROOMY): Promise<string> {
    const tenantId = new Types.ObjectId().toHexString();
    await quotas.initTenant(tenantId, limits);
    return tenantId;
  }

  async function refusal(promise: Promise<unknown>): Promise<AppException> {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppException);
    return error as AppException;
  }

  it('holds the growing parts, commits the whole change, and releases without a trace', async () => {
    const tenantId = await newTenant();
    const created = await hold(tenantId, VM);
    expect(created).toMatchObject({ tenantId, status: 'held', kind: 'vm.create', amounts: VM, taskId: created.id, settledAt: null });
    expect(created.expiresAt!.getTime() - created.createdAt.getTime()).toBeCloseTo(120_000, -3);
    expect(await quotas.getUsage(tenantId)).toEqual({ committed: ZERO, held: VM });
    expect(await quotas.commit(created.id)).toBe('committed');
    expect(await quotas.getUsage(tenantId)).toEqual({ committed: VM, held: ZERO });

    const resize = await hold(tenantId, { vcpu: -1, memoryMiB: 1024, storageGiB: 0, vms: 0 });
    expect(await quotas.getUsage(tenantId)).toEqual({ committed: VM, held: { vcpu: 0, memoryMiB: 1024, storageGiB: 0, vms: 0 } });
    expect(await quotas.commit(resize.id)).toBe('committed');
    expect(await quotas.getUsage(tenantId)).toEqual({ committed: { vcpu: 1, memoryMiB: 3072, storageGiB: 20, vms: 1 }, held: ZERO });

    const failed = await hold(tenantId, VM);
    expect(await quotas.release(failed.id)).toBe('released');
    expect(await quotas.getUsage(tenantId)).toEqual({ committed: { vcpu: 1, memoryMiB: 3072, storageGiB: 20, vms: 1 }, held: ZERO });
    expect((await quotas.getReservation(failed.id))?.status).toBe('released');
  });

  it('answers the first reservation when a hold is repeated with its id, sequentially or in parallel', async () => {
    const tenantId = await newTenant();
    const first = await hold(tenantId, VM, 'same-hold');
    const again = await hold(tenantId, { ...VM, vcpu: 8 }, 'same-hold');
    expect(again).toMatchObject({ id: 'same-hold', amounts: VM, status: 'held', createdAt: first.createdAt });
    const racing = await Promise.all(q.replicas.flatMap((replica) => [1, 2, 3].map(() => replica.hold(tenantId, VM, { reservationId: 'raced-hold', kind: 'vm.create', description: 'x' }))));
    expect(new Set(racing.map((r) => r.createdAt.getTime())).size).toBe(1);
    expect(await quotas.getUsage(tenantId)).toEqual({ committed: ZERO, held: { vcpu: 4, memoryMiB: 4096, storageGiB: 40, vms: 2 } });
    expect(await ledger().countDocuments({ tenantId: new Types.ObjectId(tenantId) })).toBe(2);
  });

  it('answers a repeated hold even when the limits are full, its own amounts included', async () => {
    const tenantId = await newTenant(VM);
    await hold(tenantId, VM, 'fills-it');
    await expect(hold(tenantId, VM, 'fills-it')).resolves.toMatchObject({ id: 'fills-it', status: 'held' });
  });

  it('refuses a hold past any limit, naming each exceeded resource, and holds nothing', async () => {
    const tenantId = await newTenant({ vcpu: 4, memoryMiB: 4096, storageGiB: 100, vms: 5 });
    await hold(tenantId, VM);
    const error = await refusal(hold(tenantId, { vcpu: 4, memoryMiB: 2048, storageGiB: 100, vms: 1 }));
    expect(error.getStatus()).toBe(422);
    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.message).toBe('Quota exceeded: vCPU limit 4 reached: 2 used, 4 requested; storage limit 100 GiB reached: 20 GiB used, 100 GiB requested');
    expect(error.details).toEqual({
      violations: [
        { resource: 'vcpu', limit: 4, used: 2, requested: 4 },
        { resource: 'storageGiB', limit: 100, used: 20, requested: 100 },
      ],
    });
    expect(await quotas.getUsage(tenantId)).toEqual({ committed: ZERO, held: VM });
    expect(await quotas.listHeld(tenantId)).toHaveLength(1);
  });

  it('skips the limit check when forced (admin adoption)', async () => {
    const tenantId = await newTenant(ZERO);
    await expect(hold(tenantId, VM, id(), { force: true })).resolves.toMatchObject({ status: 'held' });
    await expect(charge(tenantId, VM, id(), true)).resolves.toMatchObject({ status: 'committed', expiresAt: null });
    await refusal(charge(tenantId, VM));
    expect(await quotas.getUsage(tenantId)).toEqual({ committed: VM, held: VM });
  });

  it('charges adoptions and deletes once per id, and a charge cannot be settled again', async () => {
    const tenantId = await newTenant();
    const adopted = await charge(tenantId, VM, 'adopt-1');
    expect(adopted).toMatchObject({ status: 'committed', kind: 'vm.adopt', settledAt: adopted.createdAt });
    await charge(tenantId, VM, 'adopt-1');
    expect(await quotas.getUsage(tenantId)).toEqual({ committed: VM, held: ZERO });
    expect(await quotas.commit('adopt-1')).toBe('already-committed');
    expect(await quotas.release('adopt-1')).toBe('committed');

    const minus = { vcpu: -2, memoryMiB: -2048, storageGiB: -20, vms: -1 };
    await Promise.all([charge(tenantId, minus, 'delete-1'), q.replicas[1].charge(tenantId, minus, { reservationId: 'delete-1', kind: 'vm.delete', description: 'x' })]);
    expect(await quotas.getUsage(tenantId)).toEqual({ committed: ZERO, held: ZERO });
    expect(await quotas.hasUsage(tenantId)).toBe(false);
  });

  it('keeps usage over a lowered limit, refuses growth of that resource, and still lets things shrink', async () => {
    const tenantId = await newTenant();
    await charge(tenantId, { vcpu: 8, memoryMiB: 8192, storageGiB: 80, vms: 4 });
    await quotas.setLimits(tenantId, { vcpu: 4, memoryMiB: 65_536, storageGiB: 1000, vms: 2 });
    expect(await quotas.getQuota(tenantId)).toEqual({
      limits: { vcpu: 4, memoryMiB: 65_536, storageGiB: 1000, vms: 2 },
      usage: { committed: { vcpu: 8, memoryMiB: 8192, storageGiB: 80, vms: 4 }, held: ZERO },
    });
    expect(await quotas.check(tenantId, VM)).toEqual({
      fits: false,
      violations: [
        { resource: 'vcpu', limit: 4, used: 8, requested: 2 },
        { resource: 'vms', limit: 2, used: 4, requested: 1 },
      ],
    });
    expect((await refusal(hold(tenantId, VM))).code).toBe('QUOTA_EXCEEDED');
    const moreDisk = await hold(tenantId, { vcpu: 0, memoryMiB: 0, storageGiB: 50, vms: 0 });
    const shrink = await hold(tenantId, { vcpu: -2, memoryMiB: -1024, storageGiB: 0, vms: 0 });
    await Promise.all([quotas.commit(moreDisk.id), quotas.commit(shrink.id)]);
    await charge(tenantId, { vcpu: -2, memoryMiB: -2048, storageGiB: -20, vms: -1 });
    expect(await quotas.getUsage(tenantId)).toEqual({ committed: { vcpu: 4, memoryMiB: 5120, storageGiB: 110, vms: 3 }, held: ZERO });
  });

  it('checks a request against committed and held usage without changing either', async () => {
    const tenantId = await newTenant({ vcpu: 4, memoryMiB: 8192, storageGiB: 100, vms: 3 });
    await hold(tenantId, VM);
    expect(await quotas.check(tenantId, VM)).toEqual({ fits: true, violations: [] });
    expect(await quotas.check(tenantId, { ...VM, vcpu: 3 })).toEqual({ fits: false, violations: [{ resource: 'vcpu', limit: 4, used: 2, requested: 3 }] });
    expect(await quotas.getUsage(tenantId)).toEqual({ committed: ZERO, held: VM });
  });

  it('answers not-found for unknown reservations and refuses one tenant reusing another tenant\'s id', async () => {
    expect(await quotas.commit('never-held')).toBe('not-found');
    expect(await quotas.release('never-held')).toBe('not-found');
    expect(await quotas.getReservation('never-held')).toBeNull();
    expect((await refusal(quotas.extend('never-held', 60))).getStatus()).toBe(404);

    const [a, b] = [await newTenant(), await newTenant()];
    await hold(a, VM, 'shared-id');
    expect((await refusal(hold(b, VM, 'shared-id'))).getStatus()).toBe(409);
    expect(await quotas.getUsage(b)).toEqual({ committed: ZERO, held: ZERO });
  });

  it('refuses bad amounts, ids and TTLs and an unknown tenant with clear errors', async () => {
    const tenantId = await newTenant();
    expect((await refusal(hold(tenantId, { ...VM, vcpu: 1.5 }))).message).toMatch(/whole numbers: vcpu/);
    expect((await refusal(hold(tenantId, VM, ''))).getStatus()).toBe(400);
    expect((await refusal(hold(tenantId, VM, id(), { ttlSeconds: 0 }))).getStatus()).toBe(400);
    expect((await refusal(hold(new Types.ObjectId().toHexString(), VM))).getStatus()).toBe(404);
  });

  it('lists expired holds for the sweeper until they are extended or settled', async () => {
    const tenantId = await newTenant();
    const short = await hold(tenantId, VM, id('short'), { ttlSeconds: 1 });
    const long = await hold(tenantId, VM, id('long'));
    const later = new Date(Date.now() + 5_000);
    expect((await quotas.findExpiredHolds(later, 1000)).map((r) => r.id)).toContain(short.id);
    expect((await quotas.findExpiredHolds(later, 1000)).map((r) => r.id)).not.toContain(long.id);

    const extended = await q.replicas[1].extend(short.id, 600);
    expect(extended.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 590_000);
    expect((await quotas.findExpiredHolds(later, 1000)).map((r) => r.id)).not.toContain(short.id);

    const expiring = await hold(tenantId, VM, id('expiring'), { ttlSeconds: 1 });
    expect(await quotas.commit(expiring.id)).toBe('committed');
    expect((await quotas.findExpiredHolds(later, 1000)).map((r) => r.id)).not.toContain(expiring.id);
    expect(await quotas.extend(expiring.id, 600)).toMatchObject({ status: 'committed' });
  });

  it('rebuilds the read model from the ledger after a crash or a lost update', async () => {
    const tenantId = await newTenant();
    const lost = await hold(tenantId, VM, id('lost'));
    await readModel().deleteOne({ _id: lost.id });
    await ledger().updateOne({ opKey: `${lost.id}:open` }, { $set: { projected: false } });
    expect((await q.replicas[1].listHeld(tenantId)).map((r) => r.id)).toEqual([lost.id]);

    const reverted = await hold(tenantId, VM, id('reverted'));
    await quotas.commit(reverted.id);
    await readModel().updateOne({ _id: reverted.id }, { $set: { status: 'held', settledAt: null } });
    expect((await quotas.listHeld(tenantId)).map((r) => r.id)).toEqual([lost.id]);
    expect((await readModel().findOne({ _id: reverted.id }))?.status).toBe('committed');

    const unseen = await hold(tenantId, VM, id('unseen'));
    await readModel().deleteOne({ _id: unseen.id });
    expect(await quotas.getReservation(unseen.id)).toMatchObject({ id: unseen.id, status: 'held', amounts: VM });
    expect(await quotas.release(unseen.id)).toBe('released');

    await recordUsage(q.connection, tenantId, ZERO, VM);
    expect(await quotas.listHeld(tenantId)).toHaveLength(2);
  });

  it('forgets a removed tenant entirely', async () => {
    const tenantId = await newTenant();
    await hold(tenantId, VM);
    expect(await quotas.hasUsage(tenantId)).toBe(true);
    await quotas.removeTenant(tenantId);
    const tenant = new Types.ObjectId(tenantId);
    expect(await ledger().countDocuments({ tenantId: tenant })).toBe(0);
    expect(await readModel().countDocuments({ tenantId: tenant })).toBe(0);
    expect((await refusal(quotas.getLimits(tenantId))).getStatus()).toBe(404);
  });

  describe('history', () => {
    const HOUR = 3_600_000;
    const t0 = new Date('2030-01-01T00:00:00.000Z');
    const at = (hours: number) => new Date(t0.getTime() + hours * HOUR);
    const amounts = (n: number): QuotaAmounts => ({ vcpu: n, memoryMiB: n * 1024, storageGiB: n * 10, vms: n });

    /** Ledger entries written at chosen times: the committed total `n`, nothing held. */
    async function writeSteps(tenantId: string, steps: { hours: number; n: number }[]): Promise<void> {
      await ledger().insertMany(
        steps.map(({ hours, n }, i) => ({
          tenantId: new Types.ObjectId(tenantId),
          seq: i + 1,
          opKey: `${tenantId}-${i}:open`,
          op: 'charge',
          reservationId: `${tenantId}-${i}`,
          delta: amounts(1),
          kind: 'test',
          description: '',
          taskId: null,
          expiresAt: null,
          forced: true,
          projected: true,
          committed: amounts(n),
          held: ZERO,
          createdAt: at(hours),
        })),
      );
    }

    it('starts from the state before the range and shows every change in it', async () => {
      const tenantId = await newTenant();
      await writeSteps(tenantId, [
        { hours: -5, n: 1 },
        { hours: -2, n: 2 },
        { hours: 1, n: 3 },
        { hours: 2, n: 4 },
        { hours: 4, n: 5 },
      ]);
      expect(await quotas.history(tenantId, at(0), at(3))).toEqual({
        points: [
          { at: at(0).toISOString(), committed: amounts(2), held: ZERO },
          { at: at(1).toISOString(), committed: amounts(3), held: ZERO },
          { at: at(2).toISOString(), committed: amounts(4), held: ZERO },
        ],
      });
      expect((await quotas.history(tenantId, at(-10), at(-9))).points).toEqual([{ at: at(-10).toISOString(), committed: ZERO, held: ZERO }]);
    });

    it('keeps at most 500 points over a busy range, each the state a stretch of time ended with', async () => {
      const tenantId = await newTenant();
      const steps = Array.from({ length: 2000 }, (_, i) => ({ hours: (i + 1) * (24 / 2000), n: i + 1 }));
      await writeSteps(tenantId, steps);
      const { points } = await quotas.history(tenantId, at(0), at(24));
      expect(points.length).toBeGreaterThan(400);
      expect(points.length).toBeLessThanOrEqual(500);
      expect(points[0]).toEqual({ at: at(0).toISOString(), committed: ZERO, held: ZERO });
      expect(points.at(-1)).toEqual({ at: at(24).toISOString(), committed: amounts(2000), held: ZERO });
      const totals = points.map((p) => p.committed.vcpu);
      expect(totals).toEqual([...totals].sort((x, y) => x - y));
      for (const point of points.slice(1)) {
        expect(at((point.committed.vcpu * 24) / 2000).toISOString()).toBe(point.at);
      }
    });

    it('covers the last 24 hours by default and refuses a range that ends before it starts', async () => {
      const tenantId = await newTenant();
      await hold(tenantId, VM);
      const { points } = await quotas.history(tenantId);
      expect(Date.now() - Date.parse(points[0].at)).toBeGreaterThanOrEqual(86_400_000);
      expect(Date.now() - Date.parse(points[0].at)).toBeLessThan(86_400_000 + 10_000);
      expect(points.at(-1)).toMatchObject({ committed: ZERO, held: VM });
      expect((await refusal(quotas.history(tenantId, at(2), at(1)))).getStatus()).toBe(400);
      expect((await refusal(quotas.history(tenantId, at(1), at(1)))).getStatus()).toBe(400);
    });
  });
});
