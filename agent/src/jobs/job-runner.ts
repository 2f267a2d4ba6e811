import { AgentMessage, JobError, ServerMessage } from '../../../src/contracts/agent-protocol';
import { DriverError, HostDriver, isAgentAction, parseActionParams } from '../drivers/host-driver';
import { JobResult, JobResultStore } from './job-result-store';

type JobRun = Extract<ServerMessage, { type: 'job.run' }>;

/**
 * Runs `job.run` requests on the driver: at most `concurrency` at once, each within its timeout, and
 * to completion at most once per job id (a repeated id joins the running job or gets the remembered
 * final result).
 */
export class JobRunner {
  private readonly running = new Set<string>();
  private readonly waiting: Array<() => void> = [];
  private active = 0;
  private readonly stopping = new AbortController();

  constructor(
    private readonly driver: HostDriver,
    private readonly store: JobResultStore,
    private readonly concurrency: number,
    /** Sends to the server when connected; results are stored first, so a closed socket loses nothing. */
    private readonly send: (message: AgentMessage) => void,
    private readonly onFinished: () => void = () => undefined,
  ) {}

  handle(run: JobRun): void {
    const remembered = this.store.get(run.jobId);
    if (remembered) return this.send(resultMessage(run.jobId, remembered));
    if (this.running.has(run.jobId)) return; // its result is sent when it finishes
    this.running.add(run.jobId);
    void this.execute(run);
  }

  /** Aborts running jobs; their results are not stored, so the server's retry runs them again. */
  stop(): void {
    this.stopping.abort(new Error('agent stopping'));
  }

  private async execute(run: JobRun): Promise<void> {
    await this.slot();
    const timeout = AbortSignal.timeout(run.timeoutMs);
    const signal = AbortSignal.any([timeout, this.stopping.signal]);
    try {
      const result = await this.attempt(run, signal);
      if (this.stopping.signal.aborted) return;
      // A retryable failure is not the job's final answer: the server's retry must run it again.
      if (result.ok || !result.error.retryable) this.store.put(run.jobId, result);
      this.send(resultMessage(run.jobId, result));
      this.onFinished();
    } finally {
      this.running.delete(run.jobId);
      this.release();
    }
  }

  private async attempt(run: JobRun, signal: AbortSignal): Promise<JobResult> {
    if (!isAgentAction(run.action)) return failure('UNKNOWN_ACTION', `unknown action '${run.action}'`, false);
    const action = run.action;
    const progress = (percent: number, message?: string) => {
      if (!signal.aborted) this.send({ type: 'job.progress', jobId: run.jobId, percent: Math.max(0, Math.min(100, percent)), message });
    };
    try {
      const params = parseActionParams(action, run.params);
      const output = await raceAbort(this.driver.run(action, params, { jobId: run.jobId, signal, progress }), signal);
      return { ok: true, output: output ?? {} };
    } catch (error) {
      if (signal.aborted && !this.stopping.signal.aborted) return failure('TIMEOUT', `${action} did not finish within ${run.timeoutMs} ms`, true);
      if (error instanceof DriverError) return failure(error.code, error.message, error.retryable);
      return failure('INTERNAL', error instanceof Error ? error.message : String(error), false);
    }
  }

  private async slot(): Promise<void> {
    if (this.active < this.concurrency) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Hands the slot straight to the next waiting job, if any. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

/** The driver may ignore the signal; the job still ends when it fires. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function failure(code: JobError['code'], message: string, retryable: boolean): JobResult {
  return { ok: false, error: { code, message, retryable } };
}

function resultMessage(jobId: string, result: JobResult): AgentMessage {
  return result.ok ? { type: 'job.result', jobId, ok: true, output: result.output } : { type: 'job.result', jobId, ok: false, error: result.error };
}
