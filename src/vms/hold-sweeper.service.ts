import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HostJobsService } from '../agent-gateway/host-jobs.service';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { QuotasService } from '../quotas/quotas.service';
import { TasksService } from '../tasks/tasks.service';
import { VmWorkflowsService } from './vm-workflows.service';

const BATCH = 100;

/**
 * Settles quota holds that outlived their TTL. A hold expires when its job never got going (host
 * offline, or the server died between recording and queueing) or when its outcome was never applied
 * (the server died after the agent answered). The job's state in BullMQ says which:
 * active → the job lives, keep holding; waiting → take it off the queue and fail the task;
 * finished → apply the outcome now; missing → nothing will ever run, fail the task.
 */
@Injectable()
export class HoldSweeperService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HoldSweeperService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly quotas: QuotasService,
    private readonly tasks: TasksService,
    private readonly hostJobs: HostJobsService,
    private readonly workflows: VmWorkflowsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweepOnce(), this.config.vms.holdSweepIntervalSeconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass over the expired holds; overlapping passes are skipped. */
  sweepOnce(): Promise<void> {
    this.running ??= this.sweep()
      .catch((error: Error) => this.logger.warn(`Expired hold sweep failed: ${error.message}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweep(): Promise<void> {
    for (const hold of await this.quotas.findExpiredHolds(new Date(), BATCH)) {
      const task = hold.taskId ? await this.tasks.find(hold.taskId) : null;
      if (!task) {
        await this.quotas.release(hold.id);
        continue;
      }
      const hostId = task.hostId?.toHexString();
      const job = hostId ? await this.hostJobs.stateOf(hostId, task.id as string) : { state: 'missing' as const };
      switch (job.state) {
        case 'active':
          await this.quotas.extend(hold.id, this.config.quotas.holdTtlSeconds);
          break;
        case 'waiting':
          if (await this.hostJobs.cancel(hostId!, task.id as string)) {
            await this.workflows.settleFailure(task, { code: 'HOST_UNAVAILABLE', message: 'The host did not take the job up before the quota hold expired' });
          } else {
            await this.quotas.extend(hold.id, this.config.quotas.holdTtlSeconds);
          }
          break;
        case 'completed':
          await this.workflows.settle({ hostId: hostId!, jobId: task.id as string, action: task.kind, params: job.params }, { ok: true, output: job.output });
          break;
        case 'failed':
          await this.workflows.settleFailure(task, { code: job.error.code, message: job.error.message });
          break;
        case 'missing':
          await this.workflows.settleFailure(task, { code: 'JOB_LOST', message: 'The job for this task was never queued (the server stopped while accepting it)' });
          break;
      }
    }
  }
}
