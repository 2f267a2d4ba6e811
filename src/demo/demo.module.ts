import { Module } from '@nestjs/common';
import { HostsModule } from '../hosts/hosts.module';
import { ImagesModule } from '../images/images.module';
import { TenantsModule } from '../tenants/tenants.module';
import { DemoSeedService } from './demo-seed.service';

@Module({ imports: [TenantsModule, HostsModule, ImagesModule], providers: [DemoSeedService], exports: [DemoSeedService] })
export class DemoModule {}
