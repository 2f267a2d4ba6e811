import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { HostsModule } from '../hosts/hosts.module';
import { TenantsModule } from '../tenants/tenants.module';
import { ImageRecord, ImageSchema } from './image.schemas';
import { AdminImagesController, ImagesController } from './images.controller';
import { ImagesService } from './images.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: ImageRecord.name, schema: ImageSchema }]), HostsModule, TenantsModule],
  controllers: [AdminImagesController, ImagesController],
  providers: [ImagesService],
  exports: [ImagesService],
})
export class ImagesModule {}
