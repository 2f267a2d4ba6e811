import { Module } from '@nestjs/common';
import { AgentGatewayModule } from '../agent-gateway/agent-gateway.module';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { VmsModule } from '../vms/vms.module';
import { ConsoleAgentRelay } from './console-agent-relay.service';
import { ConsoleBus } from './console-bus';
import { AdminConsoleController, ConsoleController } from './console.controller';
import { ConsoleGateway } from './console.gateway';
import { ConsoleAccessService } from './console-access.service';
import { ConsoleSessionsService } from './console-sessions.service';
import { ConsoleTicketsService } from './console-tickets.service';

@Module({
  imports: [AgentGatewayModule, AuditModule, AuthModule, VmsModule],
  controllers: [ConsoleController, AdminConsoleController],
  providers: [ConsoleBus, ConsoleTicketsService, ConsoleAccessService, ConsoleSessionsService, ConsoleAgentRelay, ConsoleGateway],
  exports: [ConsoleAccessService],
})
export class ConsoleModule {}
