import { Inject, Injectable } from '@nestjs/common';
import { Job, Queue, QueueEvents } from 'bullmq';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ActionParams, AgentAction } from '../contracts/agent-protocol';
import { BULLMQ_CONNECTION, hostQueueName, queuePrefix } from './bullmq-connection';
import { HostJobData, HostJobError } from './host-job';

export interface RunOnHostOptions {
  /** The job id (the task id once tasks exist): running the same id twice runs the action once. */
  jobId: string;
  timeoutMs?: number;
  onProgress?: (progress: { percent: number; message?: string }) => void;
  /** Retries of retryable failures (timeouts, disconnects, transient hypervisor errors). */
  attempts?: number;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;

export type HostJobState =
  | { state: 'waiting' | 'active' | 'missing' }
  | { state: 'completed'; output: unknown; params: unknown }
  | { state: 'failed'; error: HostJobError };

/** The way other modules run an action on a host: queue it on the host's BullMQ queue and await the agent's answer. */
@Injectable()
export class HostJobsService {
  private readonly queues = new Map<string, { queue: Queue<HostJobData>; events: QueueEvents; eventsConnection: Redis; ready: Promise<unknown> }>();

  constructor(
    @Inject(BULLMQ_CONNECTION) private readonly connection: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Queues the action and returns at once; its outcome reaches the HostJobHooks registered for it.
   * Adding a job id that exists already is a no-op in BullMQ, so enqueueing is idempotent.
   */
  async enqueue<A extends AgentAction>(
    hostId: string,
    action: A,
    params: ActionParams<A>,
    options: Omit<RunOnHostOptions, 'onProgress'> & { delayMs?: number },
  ): Promise<void> {
    const { queue, ready } = this.queueOf(hostId);
    await ready;
    await queue.add(action, { action, params, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS }, { ...this.jobOptions(options), delay: options.delayMs });
  }

  /** Removes a job nobody has picked up yet; false when a worker holds it (it runs to its end). */
  async cancel(hostId: string, jobId: string): Promise<boolean> {
    const { queue, ready } = this.queueOf(hostId);
    await ready;
    return (await queue.remove(jobId)) === 1;
  }

  /** Where a job stands: `missing` when it was never queued or has been removed. */
  async stateOf(hostId: string, jobId: string): Promise<HostJobState> {
    const job = await this.find(hostId, jobId);
    if (!job) return { state: 'missing' };
    const state = await job.getState();
    if (state === 'completed') return { state, output: job.returnvalue, params: job.data.params };
    if (state === 'failed') return { state, error: HostJobError.fromFailedReason(job.failedReason) };
    if (state === 'unknown') return { state: 'missing' };
    return { state: state === 'active' ? 'active' : 'waiting' };
  }

  /** Resolves with the action's output or rejects with a HostJobError carrying the agent's error code. */
  async run<A extends AgentAction>(hostId: string, action: A, params: ActionParams<A>, options: RunOnHostOptions): Promise<unknown> {
    const { queue, events, ready } = this.queueOf(hostId);
    await ready;
    const onProgress = ({ jobId, data }: { jobId: string; data: unknown }) => {
      if (jobId === options.jobId && options.onProgress) options.onProgress(data as { percent: number; message?: string });
    };
    events.on('progress', onProgress);
    try {
      const job = await queue.add(
        action,
        { action, params, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS },
        this.jobOptions(options),
      );
      return await job.waitUntilFinished(events);
    } catch (error) {
      throw error instanceof Error && !(error instanceof HostJobError) ? HostJobError.fromFailedReason(error.message) : error;
    } finally {
      events.off('progress', onProgress);
    }
  }

  /** The job's state, for callers that outlived a restart and need to learn how it ended. */
  async find(hostId: string, jobId: string): Promise<Job<HostJobData> | undefined> {
    return this.queueOf(hostId).queue.getJob(jobId);
  }

  private jobOptions(options: Pick<RunOnHostOptions, 'jobId' | 'attempts'>) {
    return {
      jobId: options.jobId,
      attempts: options.attempts ?? 5,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: { age: 24 * 3600 },
      removeOnFail: { age: 7 * 24 * 3600 },
    };
  }

  async closeAll(): Promise<void> {
    const entries = [...this.queues.values()];
    this.queues.clear();
    await Promise.all(entries.flatMap(({ queue, events }) => [queue.close(), events.close()]));
    for (const { eventsConnection } of entries) eventsConnection.disconnect();
  }

  private queueOf(hostId: string) {
    let entry = this.queues.get(hostId);
    if (!entry) {
      const name = hostQueueName(hostId);
      const prefix = queuePrefix(this.config);
      const queue = new Queue<HostJobData>(name, { connection: this.connection, prefix });
      // QueueEvents blocks on its connection, so it gets its own.
      const eventsConnection = this.connection.duplicate();
      const events = new QueueEvents(name, { connection: eventsConnection, prefix });
      entry = { queue, events, eventsConnection, ready: Promise.all([queue.waitUntilReady(), events.waitUntilReady()]) };
      this.queues.set(hostId, entry);
    }
    return entry;
  }
}
