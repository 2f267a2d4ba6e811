import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';
import { IMAGE_GENERATIONS, IMAGE_OS, IMAGE_VISIBILITIES, ImageGeneration, ImageOs, ImageVisibility } from '../contracts/images';

@Schema({ collection: 'images', timestamps: true })
export class ImageRecord {
  @Prop({ required: true, unique: true }) name: string;
  @Prop({ type: String, required: true, enum: IMAGE_OS }) os: ImageOs;
  @Prop({ type: Number, required: true, enum: IMAGE_GENERATIONS }) generation: ImageGeneration;
  @Prop({ required: true }) fileName: string;
  @Prop({ required: true }) minDiskGiB: number;
  @Prop({ type: String, default: null }) defaultUser: string | null;
  @Prop({ required: true }) cloudInit: boolean;
  @Prop({ type: String, required: true, enum: IMAGE_VISIBILITIES }) visibility: ImageVisibility;
  /** Who may use it when `visibility` is `tenants`; empty otherwise. */
  @Prop({ type: [Types.ObjectId], default: [], index: true }) tenantIds: Types.ObjectId[];
  createdAt: Date;
  updatedAt: Date;
}
export type ImageDocument = HydratedDocument<ImageRecord>;
export const ImageSchema = SchemaFactory.createForClass(ImageRecord);
