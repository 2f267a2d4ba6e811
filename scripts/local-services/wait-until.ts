export interface WaitUntilOptions {
  timeoutMs: number;
  intervalMs?: number;
  signal?: AbortSignal;
  /** Returns a reason to give up early (e.g. "the process exited"), or undefined to keep waiting. */
  giveUpIf?: () => string | undefined;
}

/**
 * Polls `check` until it returns true. Throws (with `what` in the message) on timeout, on
 * `giveUpIf`, or when `signal` is aborted. Each `check` must bound its own duration.
 */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  { timeoutMs, intervalMs = 200, signal, giveUpIf }: WaitUntilOptions,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    const reason = giveUpIf?.();
    if (reason) throw new Error(`${what}: ${reason}`);
    if (await check().catch(() => false)) return;
    if (Date.now() >= deadline) throw new Error(`${what}: not ready after ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
