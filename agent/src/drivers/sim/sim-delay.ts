import { DriverError } from '../host-driver';

/** The error an aborted action rejects with: the agent's own DriverError if it aborted with one, else TIMEOUT. */
export function abortError(signal: AbortSignal): DriverError {
  const reason: unknown = signal.reason;
  if (reason instanceof DriverError) return reason;
  const why = reason instanceof Error ? reason.message : String(reason ?? 'aborted');
  // Retryable: the sim rolls an aborted action back entirely, so running it again is safe.
  return new DriverError('TIMEOUT', `action aborted before it completed: ${why}`, true);
}

/**
 * Waits `ms` unless `signal` aborts first. With `ms` 0 it only checks the signal and never schedules a
 * timer, so benchmarks with thousands of actions are not paced by the event loop's timer phase.
 */
export function simDelay(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(abortError(signal));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
