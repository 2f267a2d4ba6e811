import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';
import { AdminRole, Scope } from '../contracts/auth';

@Schema({ collection: 'admins', timestamps: true })
export class AdminRecord {
  @Prop({ required: true, unique: true }) email: string;
  @Prop({ required: true }) passwordHash: string;
  @Prop({ type: String, required: true, enum: ['admin'], default: 'admin' }) role: AdminRole;
  createdAt: Date;
}
export type AdminDocument = HydratedDocument<AdminRecord>;
export const AdminSchema = SchemaFactory.createForClass(AdminRecord);

/** Whose credential a token is: enough to resolve the principal again on every use. */
@Schema({ _id: false })
export class TokenOwner {
  @Prop({ type: String, required: true, enum: ['admin', 'tenant'] }) scope: Scope;
  @Prop({ type: Types.ObjectId, required: true }) userId: Types.ObjectId;
  @Prop({ type: Types.ObjectId }) tenantId?: Types.ObjectId;
}
const TokenOwnerSchema = SchemaFactory.createForClass(TokenOwner);

/**
 * Rotating refresh tokens. `parentKey` is unique: rotating a token inserts its one child, so a
 * second use of the same token hits a duplicate key, atomically on FerretDB as on MongoDB.
 */
@Schema({ collection: 'refresh_tokens', timestamps: { createdAt: true, updatedAt: false } })
export class RefreshTokenRecord {
  @Prop({ required: true, unique: true }) tokenHash: string;
  @Prop({ required: true, unique: true }) parentKey: string;
  @Prop({ required: true, index: true }) familyId: string;
  @Prop({ type: TokenOwnerSchema, required: true }) owner: TokenOwner;
  @Prop({ required: true }) expiresAt: Date;
  @Prop({ type: Date, default: null }) revokedAt: Date | null;
}
export type RefreshTokenDocument = HydratedDocument<RefreshTokenRecord>;
export const RefreshTokenSchema = SchemaFactory.createForClass(RefreshTokenRecord);
RefreshTokenSchema.index({ 'owner.userId': 1 });
RefreshTokenSchema.index({ 'owner.tenantId': 1 });

@Schema({ collection: 'api_tokens', timestamps: { createdAt: true, updatedAt: false } })
export class ApiTokenRecord {
  @Prop({ required: true }) name: string;
  @Prop({ required: true }) prefix: string;
  @Prop({ required: true, unique: true }) tokenHash: string;
  @Prop({ type: TokenOwnerSchema, required: true }) owner: TokenOwner;
  @Prop({ type: Date, default: null }) expiresAt: Date | null;
  @Prop({ type: Date, default: null }) lastUsedAt: Date | null;
  createdAt: Date;
}
export type ApiTokenDocument = HydratedDocument<ApiTokenRecord>;
export const ApiTokenSchema = SchemaFactory.createForClass(ApiTokenRecord);
ApiTokenSchema.index({ 'owner.userId': 1 });
ApiTokenSchema.index({ 'owner.tenantId': 1 });
