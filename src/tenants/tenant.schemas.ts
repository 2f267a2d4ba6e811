import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';
import { TENANT_ROLES, TenantRole } from '../contracts/auth';
import { TENANT_STATUSES, TenantStatus } from '../contracts/tenants';

@Schema({ collection: 'tenants', timestamps: true })
export class TenantRecord {
  @Prop({ required: true, unique: true }) slug: string;
  @Prop({ required: true }) name: string;
  @Prop({ type: String, required: true, enum: TENANT_STATUSES, default: 'active' }) status: TenantStatus;
  createdAt: Date;
  updatedAt: Date;
}
export type TenantDocument = HydratedDocument<TenantRecord>;
export const TenantSchema = SchemaFactory.createForClass(TenantRecord);

@Schema({ collection: 'tenant_users', timestamps: true })
export class TenantUserRecord {
  @Prop({ type: Types.ObjectId, required: true }) tenantId: Types.ObjectId;
  @Prop({ required: true }) email: string;
  @Prop({ required: true }) passwordHash: string;
  @Prop({ type: String, required: true, enum: TENANT_ROLES }) role: TenantRole;
  createdAt: Date;
  updatedAt: Date;
}
export type TenantUserDocument = HydratedDocument<TenantUserRecord>;
export const TenantUserSchema = SchemaFactory.createForClass(TenantUserRecord);
TenantUserSchema.index({ tenantId: 1, email: 1 }, { unique: true });
