import { QuotaHistoryPoint, QuotaUsage } from '../contracts/quotas';

export const MAX_HISTORY_POINTS = 500;

/**
 * Usage is a step function, so a chart needs the state after each change: every change while there
 * are fewer than `maxPoints`. Past that the range is cut into equal buckets and each keeps the state
 * it ended with. The first point is the state at `from` (what the latest change before it left).
 */
export async function downsampleHistory(
  initial: QuotaUsage,
  from: Date,
  to: Date,
  states: AsyncIterable<{ at: Date } & QuotaUsage>,
  maxPoints = MAX_HISTORY_POINTS,
): Promise<QuotaHistoryPoint[]> {
  const bucketCount = maxPoints - 1;
  const bucketMs = (to.getTime() - from.getTime()) / bucketCount;
  const bucketOf = (at: Date) => Math.min(bucketCount - 1, Math.floor((at.getTime() - from.getTime()) / bucketMs));
  const every: ({ at: Date } & QuotaUsage)[] = [];
  let lastOfBucket: Map<number, { at: Date } & QuotaUsage> | null = null;
  for await (const state of states) {
    if (lastOfBucket) {
      lastOfBucket.set(bucketOf(state.at), state);
      continue;
    }
    every.push(state);
    if (every.length > bucketCount) lastOfBucket = new Map(every.map((s) => [bucketOf(s.at), s]));
  }
  const steps = lastOfBucket ? [...lastOfBucket.entries()].sort(([a], [b]) => a - b).map(([, state]) => state) : every;
  return [{ at: from, ...initial }, ...steps].map((state) => ({ at: state.at.toISOString(), committed: state.committed, held: state.held }));
}
