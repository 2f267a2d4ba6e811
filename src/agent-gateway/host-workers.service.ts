import { Inject, Injectable, Logger } from '@nestjs/common';
import { Job, UnrecoverableError, Worker } from 'bullmq';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AgentSession, JobOutcome } from './agent-session';
import { BULLMQ_CONNECTION, hostQueueName, queuePrefix } from './bullmq-connection';
import { encodeJobFailure, HostJobData } from './host-job';
import { HostJobHooksRegistry, HostJobRef } from './host-job-hooks';

/** Jobs a host's worker sends to its agent at once; the agent queues beyond its own limit. */
const WORKER_CONCURRENCY = 8;

/**
 * One BullMQ worker per connected agent, living exactly as long as the agent's session on this
 * replica: while a host is offline nobody consumes its queue, so its jobs wait for it.
 */
@Injectable()
export class HostWorkersService {
  private readonly logger = new Logger(HostWorkersService.name);
  private readonly workers = new Map<string, { worker: Worker<HostJobData>; session: AgentSession }>();

  constructor(
    @Inject(BULLMQ_CONNECTION) private readonly connection: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly hookRegistry: HostJobHooksRegistry,
  ) {}

  async start(session: AgentSession): Promise<void> {
    await this.stop(session.hostId);
    const lockDuration = this.config.hosts.jobLockSeconds * 1000;
    const worker = new Worker<HostJobData>(hostQueueName(session.hostId), (job) => this.process(job, session), {
      connection: this.connection,
      prefix: queuePrefix(this.config),
      concurrency: WORKER_CONCURRENCY,
      lockDuration,
      stalledInterval: lockDuration,
      // A job whose server died is handed out again; the agent answers it from its remembered result.
      maxStalledCount: 5,
    });
    worker.on('error', (error) => this.logger.warn(`Worker for host ${session.hostId}: ${error.message}`));
    this.workers.set(session.hostId, { worker, session });
  }

  /** Stops the host's worker, if `session` (when given) is still the one it serves. */
  async stop(hostId: string, session?: AgentSession): Promise<void> {
    const entry = this.workers.get(hostId);
    if (!entry || (session && entry.session !== session)) return;
    this.workers.delete(hostId);
    await entry.worker.close();
  }

  /** Leaves active jobs locked rather than failing them: another replica or this one after restart picks them up. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.workers.values()].map(({ worker }) => worker.close(true)));
    this.workers.clear();
  }

  private async process(job: Job<HostJobData>, session: AgentSession): Promise<unknown> {
    const { action, params, timeoutMs } = job.data;
    const ref: HostJobRef = { hostId: session.hostId, jobId: job.id!, action, params };
    const hooks = this.hookRegistry.for(ref);
    let outcome: JobOutcome;
    if (session.isOpen) {
      await hooks?.onStarted(ref);
      outcome = await session.runJob(ref.jobId, action, params, timeoutMs, (percent, message) => {
        void job.updateProgress({ percent, message }).catch(() => undefined);
        hooks?.onProgress(ref, percent, message);
      });
    } else {
      outcome = { ok: false, error: { code: 'AGENT_DISCONNECTED', message: 'the agent is not connected', retryable: true } };
    }
    const retriesLeft = job.attemptsMade + 1 < (job.opts.attempts ?? 1);
    if (outcome.ok || !outcome.error.retryable || !retriesLeft) await hooks?.onSettled(ref, outcome);
    if (outcome.ok) return outcome.output;
    const reason = encodeJobFailure(outcome.error.code, outcome.error.message);
    throw outcome.error.retryable ? new Error(reason) : new UnrecoverableError(reason);
  }
}
