import { Injectable } from '@nestjs/common';
import type { JobOutcome } from './agent-session';

/** What a hook learns about a job on a host queue; the job id is the task id of the work it belongs to. */
export interface HostJobRef {
  hostId: string;
  jobId: string;
  action: string;
  params: unknown;
}

/**
 * Modules that enqueue host jobs and must act on their outcome (commit a quota hold, update a VM)
 * register here. The hooks run inside the BullMQ processor, before the job is marked done: a server
 * that dies in between leaves the job stalled, BullMQ hands it out again, the agent answers from its
 * remembered result and `onSettled` runs again — so it must be idempotent.
 */
export interface HostJobHooks {
  /** Whether these hooks care about the job. */
  handles(job: HostJobRef): boolean;
  onStarted(job: HostJobRef): Promise<void>;
  onProgress(job: HostJobRef, percent: number, message?: string): void;
  onSettled(job: HostJobRef, outcome: JobOutcome): Promise<void>;
}

@Injectable()
export class HostJobHooksRegistry {
  private readonly hooks: HostJobHooks[] = [];

  register(hooks: HostJobHooks): void {
    this.hooks.push(hooks);
  }

  for(job: HostJobRef): HostJobHooks | undefined {
    return this.hooks.find((hooks) => hooks.handles(job));
  }
}
