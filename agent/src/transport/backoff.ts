/**
 * Capped exponential backoff with full jitter (AWS architecture blog's "full jitter"): spreads the
 * reconnects of many agents after a server restart instead of having them arrive in waves.
 */
export function reconnectDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(baseMs + random() * (ceiling - baseMs));
}
