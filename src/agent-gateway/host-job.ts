import type { JobErrorCode } from '../contracts/agent-protocol';

/** The payload of a BullMQ job on a host queue. */
export interface HostJobData {
  action: string;
  params: unknown;
  timeoutMs: number;
}

/** BullMQ only keeps a failure's message; the code travels in front of it. */
export function encodeJobFailure(code: JobErrorCode, message: string): string {
  return `${code}: ${message}`;
}

export class HostJobError extends Error {
  override name = 'HostJobError';

  constructor(
    readonly code: JobErrorCode | 'JOB_FAILED',
    message: string,
  ) {
    super(message);
  }

  static fromFailedReason(reason: string): HostJobError {
    const match = /^([A-Z_]+): ([\s\S]*)$/.exec(reason);
    return match ? new HostJobError(match[1] as JobErrorCode, match[2]) : new HostJobError('JOB_FAILED', reason);
  }
}
