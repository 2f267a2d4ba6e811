import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AgentGatewayModule } from '../agent-gateway/agent-gateway.module';
import { EventsModule } from '../events/events.module';
import { HostsModule } from '../hosts/hosts.module';
import { ImagesModule } from '../images/images.module';
import { QuotasModule } from '../quotas/quotas.module';
import { TasksModule } from '../tasks/tasks.module';
import { TenantsModule } from '../tenants/tenants.module';
import { HoldSweeperService } from './hold-sweeper.service';
import { UnmanagedVmsController } from './unmanaged-vms.controller';
import { VmLockRecord, VmLockSchema, VmRecord, VmSchema } from './vm.schemas';
import { VmInventoryService } from './vm-inventory.service';
import { VmPlacementService } from './vm-placement.service';
import { VmRecordsService } from './vm-records.service';
import { VmWorkflowsService } from './vm-workflows.service';
import { AdminVmsController, VmsController } from './vms.controller';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: VmRecord.name, schema: VmSchema },
      { name: VmLockRecord.name, schema: VmLockSchema },
    ]),
    AgentGatewayModule,
    EventsModule,
    HostsModule,
    ImagesModule,
    QuotasModule,
    TasksModule,
    TenantsModule,
  ],
  controllers: [VmsController, AdminVmsController, UnmanagedVmsController],
  providers: [VmRecordsService, VmPlacementService, VmWorkflowsService, VmInventoryService, HoldSweeperService],
  exports: [VmRecordsService],
})
export class VmsModule {}
