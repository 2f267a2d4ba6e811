import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';
import type { HostFacts, Inventory } from '../contracts/agent-protocol';

@Schema({ collection: 'hosts', timestamps: true })
export class HostRecord {
  @Prop({ required: true, unique: true }) name: string;
  @Prop({ required: true, default: false }) maintenance: boolean;
  /** sha256 of the agent's credential; null until enrolled and after revocation. */
  @Prop({ type: String, default: null, index: true }) credentialHash: string | null;
  @Prop({ type: Date, default: null }) enrolledAt: Date | null;
  @Prop({ type: String, default: null }) agentVersion: string | null;
  @Prop({ type: String, default: null }) driver: string | null;
  @Prop({ type: MongooseSchema.Types.Mixed, default: null }) facts: HostFacts | null;
  /** The agent connection currently speaking for this host (one per host, across replicas). */
  @Prop({ type: String, default: null }) sessionId: string | null;
  @Prop({ type: Date, default: null }) lastHeartbeatAt: Date | null;
  createdAt: Date;
}
export type HostDocument = HydratedDocument<HostRecord>;
export const HostSchema = SchemaFactory.createForClass(HostRecord);

/** One-time enrollment tokens; a token is spent by inserting its use, which the unique index makes atomic. */
@Schema({ collection: 'host_enrollment_tokens', timestamps: { createdAt: true, updatedAt: false } })
export class EnrollmentTokenRecord {
  @Prop({ type: Types.ObjectId, required: true, index: true }) hostId: Types.ObjectId;
  @Prop({ required: true, unique: true }) tokenHash: string;
  @Prop({ required: true }) expiresAt: Date;
}
export const EnrollmentTokenSchema = SchemaFactory.createForClass(EnrollmentTokenRecord);

@Schema({ collection: 'host_enrollment_uses', timestamps: { createdAt: true, updatedAt: false } })
export class EnrollmentUseRecord {
  @Prop({ required: true, unique: true }) tokenHash: string;
}
export const EnrollmentUseSchema = SchemaFactory.createForClass(EnrollmentUseRecord);

@Schema({ collection: 'host_inventories' })
export class HostInventoryRecord {
  @Prop({ type: Types.ObjectId, required: true, unique: true }) hostId: Types.ObjectId;
  @Prop({ required: true }) reportedAt: Date;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) inventory: Inventory;
}
export const HostInventorySchema = SchemaFactory.createForClass(HostInventoryRecord);
