import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';

@Schema({ _id: false })
export class QuotaAmounts {
  @Prop({ required: true, min: 0 }) vcpu: number;
  @Prop({ required: true, min: 0 }) memoryMiB: number;
  @Prop({ required: true, min: 0 }) storageGiB: number;
  @Prop({ required: true, min: 0 }) vms: number;
}
const QuotaAmountsSchema = SchemaFactory.createForClass(QuotaAmounts);

/** A tenant's limits; the document exists exactly as long as the tenant does. */
@Schema({ collection: 'quota_limits', timestamps: true })
export class QuotaLimitsRecord {
  @Prop({ type: Types.ObjectId, required: true, unique: true }) tenantId: Types.ObjectId;
  @Prop({ type: QuotaAmountsSchema, required: true }) limits: QuotaAmounts;
}
export type QuotaLimitsDocument = HydratedDocument<QuotaLimitsRecord>;
export const QuotaLimitsSchema = SchemaFactory.createForClass(QuotaLimitsRecord);

/**
 * Append-only usage ledger (DESIGN.md §4.2): each entry carries the tenant's running totals, and
 * the unique (tenantId, seq) index is what makes concurrent changes safe on FerretDB too.
 */
@Schema({ collection: 'quota_ledger', timestamps: { createdAt: true, updatedAt: false } })
export class QuotaLedgerEntry {
  @Prop({ type: Types.ObjectId, required: true }) tenantId: Types.ObjectId;
  @Prop({ required: true, min: 1 }) seq: number;
  @Prop({ type: QuotaAmountsSchema, required: true }) committed: QuotaAmounts;
  @Prop({ type: QuotaAmountsSchema, required: true }) held: QuotaAmounts;
  @Prop({ required: true }) reason: string;
}
export const QuotaLedgerSchema = SchemaFactory.createForClass(QuotaLedgerEntry);
QuotaLedgerSchema.index({ tenantId: 1, seq: -1 }, { unique: true });
