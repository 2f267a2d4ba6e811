import { Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module';
import { DemoSeedService } from './demo-seed.service';

@Module({ imports: [TenantsModule], providers: [DemoSeedService], exports: [DemoSeedService] })
export class DemoModule {}
