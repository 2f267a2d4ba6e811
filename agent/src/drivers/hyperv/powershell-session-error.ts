import { ScriptErrorInfo } from './host-loop-protocol';

/** Why a request got no answer from its script. */
export type SessionFailure =
  /** The script did not answer in time; the session was killed (and restarts on the next request). */
  | 'timeout'
  /** The caller's signal fired; a request already sent was stopped by killing the session. */
  | 'aborted'
  /** PowerShell died while the request ran. */
  | 'exited'
  /** PowerShell could not be started, or did not report ready (Hyper-V module missing...). */
  | 'start-failed'
  /** The loop wrote a marked line that is not a valid answer to the request: a bug, not a host problem. */
  | 'protocol'
  /** The session was stopped (agent shutdown). */
  | 'stopped'
  /** The request itself cannot be sent (a script name outside the allow-list, params that are not JSON). */
  | 'invalid-request';

/** Keeps error messages within what a job error can carry, with the latest output (the useful part). */
export function tail(text: string, max = 2_000): string {
  const trimmed = text.trim();
  return trimmed.length <= max ? trimmed : `…${trimmed.slice(trimmed.length - max)}`;
}

/** The session could not get an answer from the script. */
export class PowerShellSessionError extends Error {
  override name = 'PowerShellSessionError';

  constructor(
    readonly reason: SessionFailure,
    message: string,
    /** What PowerShell wrote to stderr meanwhile. */
    readonly stderr = '',
  ) {
    super(stderr.trim() ? `${message} (stderr: ${tail(stderr)})` : message);
  }
}

/** The script ran and failed: `{ ok: false, error }` from the loop. */
export class PowerShellScriptError extends Error {
  override name = 'PowerShellScriptError';

  constructor(
    readonly script: string,
    readonly info: ScriptErrorInfo,
    readonly stderr = '',
  ) {
    super(`${script}: ${info.message}`);
  }
}
