import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { QuotasModule } from '../quotas/quotas.module';
import { TenantSchema, TenantRecord, TenantUserRecord, TenantUserSchema } from './tenant.schemas';
import { AdminTenantUsersController, TenantUsersController } from './tenant-users.controller';
import { TenantUsersService } from './tenant-users.service';
import { TenantsController } from './tenants.controller';
import { TenantsService } from './tenants.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: TenantRecord.name, schema: TenantSchema },
      { name: TenantUserRecord.name, schema: TenantUserSchema },
    ]),
    QuotasModule,
  ],
  controllers: [TenantsController, AdminTenantUsersController, TenantUsersController],
  providers: [TenantsService, TenantUsersService],
  exports: [TenantsService, TenantUsersService],
})
export class TenantsModule {}
