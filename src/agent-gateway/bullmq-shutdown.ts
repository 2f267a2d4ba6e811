import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { BULLMQ_CONNECTION } from './bullmq-connection';
import { HostJobsService } from './host-jobs.service';
import { HostWorkersService } from './host-workers.service';

/** Closes BullMQ in order: workers and queues first, then the connection they share. */
@Injectable()
export class BullmqShutdown implements OnApplicationShutdown {
  constructor(
    private readonly workers: HostWorkersService,
    private readonly jobs: HostJobsService,
    @Inject(BULLMQ_CONNECTION) private readonly connection: Redis,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.workers.closeAll(), this.jobs.closeAll()]);
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}
