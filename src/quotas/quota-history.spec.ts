import { QuotaUsage } from '../contracts/quotas';
import { downsampleHistory } from './quota-history';

const usage = (n: number): QuotaUsage => ({ committed: { vcpu: n, memoryMiB: 0, storageGiB: 0, vms: 0 }, held: { vcpu: 0, memoryMiB: 0, storageGiB: 0, vms: 0 } });
const from = new Date('2030-01-01T00:00:00Z');
const to = new Date('2030-01-01T01:00:00Z');
const minute = (m: number) => new Date(from.getTime() + m * 60_000);

async function* states(minutes: number[]) {
  for (const [i, m] of minutes.entries()) yield { at: minute(m), ...usage(i + 1) };
}

describe(downsampleHistory.name, () => {
  it('keeps every change, however close, while there are fewer than the maximum', async () => {
    const points = await downsampleHistory(usage(0), from, to, states([1, 1, 1.001]), 4);
    expect(points.map((p) => [p.at, p.committed.vcpu])).toEqual([
      [from.toISOString(), 0],
      [minute(1).toISOString(), 1],
      [minute(1).toISOString(), 2],
      [minute(1.001).toISOString(), 3],
    ]);
  });

  it('past the maximum, keeps the state each equal stretch of the range ended with', async () => {
    // Three buckets of 20 minutes: [0,20) [20,40) [40,60].
    const points = await downsampleHistory(usage(0), from, to, states([1, 5, 25, 30, 35, 59, 60]), 4);
    expect(points.map((p) => [p.at, p.committed.vcpu])).toEqual([
      [from.toISOString(), 0],
      [minute(5).toISOString(), 2],
      [minute(35).toISOString(), 5],
      [minute(60).toISOString(), 7],
    ]);
  });
});
