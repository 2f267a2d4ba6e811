import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AgentEnrollmentController, HostsController } from './hosts.controller';
import { HostsService } from './hosts.service';
import {
  EnrollmentTokenRecord,
  EnrollmentTokenSchema,
  EnrollmentUseRecord,
  EnrollmentUseSchema,
  HostInventoryRecord,
  HostInventorySchema,
  HostRecord,
  HostSchema,
} from './host.schemas';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: HostRecord.name, schema: HostSchema },
      { name: EnrollmentTokenRecord.name, schema: EnrollmentTokenSchema },
      { name: EnrollmentUseRecord.name, schema: EnrollmentUseSchema },
      { name: HostInventoryRecord.name, schema: HostInventorySchema },
    ]),
  ],
  controllers: [HostsController, AgentEnrollmentController],
  providers: [HostsService],
  exports: [HostsService],
})
export class HostsModule {}
