import { reconnectDelay } from './backoff';

describe(reconnectDelay.name, () => {
  it('grows exponentially from the base and never passes the cap', () => {
    const highest = (attempt: number) => reconnectDelay(attempt, 500, 30_000, () => 1);
    expect([0, 1, 2, 3, 10, 100].map(highest)).toEqual([500, 1_000, 2_000, 4_000, 30_000, 30_000]);
  });

  it('spreads retries between the base and the ceiling', () => {
    expect(reconnectDelay(3, 500, 30_000, () => 0)).toBe(500);
    expect(reconnectDelay(3, 500, 30_000, () => 0.5)).toBe(2_250);
  });
});
