import { constants } from 'node:os';
import { ActionableError } from './actionable-error';

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Runs a launcher (scripts/start.ts, scripts/test.ts) and exits with the code `main` resolves to.
 *
 * SIGINT/SIGTERM/SIGHUP abort `signal`; `main` then stops what it started, in reverse order (its
 * try/finally blocks). Only the first signal counts: the terminal signals the whole foreground
 * process group and bootstrap.mjs forwards the same signal, so duplicates are normal.
 * ActionableErrors are printed without a stack trace. On an uncaught error we exit at once;
 * ManagedProcess's exit hook then sends SIGTERM to every child still running.
 */
export function launch(main: (signal: AbortSignal) => Promise<number>): void {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  for (const name of SHUTDOWN_SIGNALS) {
    process.on(name, () => {
      if (received) return;
      received = name;
      console.error(`\n${name} received, shutting down…`);
      controller.abort();
    });
  }
  const crash = (error: unknown) => {
    report(error);
    process.exit(1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);

  main(controller.signal).then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (received && isAbort(error)) process.exit(128 + (constants.signals[received] ?? 0));
      crash(error);
    },
  );
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

function report(error: unknown): void {
  if (error instanceof ActionableError) console.error(`\n${error.message}`);
  else console.error(error);
}
