import { Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/app-config';
import { HostsModule } from '../hosts/hosts.module';
import { AgentGateway, AgentUpgradeAuthenticator } from './agent.gateway';
import { AgentSessionsService } from './agent-sessions.service';
import { BULLMQ_CONNECTION, createBullmqConnection } from './bullmq-connection';
import { BullmqShutdown } from './bullmq-shutdown';
import { HostJobHooksRegistry } from './host-job-hooks';
import { HostJobsService } from './host-jobs.service';
import { HostWorkersService } from './host-workers.service';

@Module({
  imports: [HostsModule],
  providers: [
    { provide: BULLMQ_CONNECTION, inject: [APP_CONFIG], useFactory: createBullmqConnection },
    AgentGateway,
    AgentUpgradeAuthenticator,
    AgentSessionsService,
    HostWorkersService,
    HostJobsService,
    HostJobHooksRegistry,
    BullmqShutdown,
  ],
  exports: [HostJobsService, HostJobHooksRegistry, AgentUpgradeAuthenticator, AgentSessionsService],
})
export class AgentGatewayModule {}
