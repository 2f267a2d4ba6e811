import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';
import { Scope } from '../contracts/auth';

@Schema({ _id: false })
export class AuditActorRecord {
  @Prop({ type: String, required: true, enum: ['admin', 'tenant'] }) scope: Scope;
  @Prop({ required: true }) id: string;
  @Prop({ required: true }) email: string;
}

@Schema({ _id: false })
export class AuditTargetRecord {
  @Prop({ required: true }) type: string;
  @Prop({ required: true }) id: string;
  @Prop({ required: true }) name: string;
}

/** One thing somebody did that operators may have to account for later. Append-only. */
@Schema({ collection: 'audit_events', timestamps: false })
export class AuditEventRecord {
  @Prop({ required: true }) at: Date;
  @Prop({ required: true }) action: string;
  @Prop({ type: SchemaFactory.createForClass(AuditActorRecord), required: true }) actor: AuditActorRecord;
  @Prop({ type: Types.ObjectId, default: null }) tenantId: Types.ObjectId | null;
  @Prop({ type: SchemaFactory.createForClass(AuditTargetRecord), required: true }) target: AuditTargetRecord;
  /** The client's address as the server saw it (behind a proxy, with OPENHVX_TRUST_PROXY, the forwarded one). */
  @Prop({ type: String, default: null }) ip: string | null;
  @Prop({ type: Object, default: {} }) details: Record<string, unknown>;
}

export type AuditEventDocument = HydratedDocument<AuditEventRecord>;
export const AuditEventSchema = SchemaFactory.createForClass(AuditEventRecord);
AuditEventSchema.index({ at: -1 });
AuditEventSchema.index({ tenantId: 1, at: -1 });
