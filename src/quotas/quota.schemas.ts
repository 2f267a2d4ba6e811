import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';
import { QuotaReservationStatus } from '../contracts/quotas';

/** Limits and running totals: never negative. */
@Schema({ _id: false })
export class QuotaAmountsRecord {
  @Prop({ required: true, min: 0 }) vcpu: number;
  @Prop({ required: true, min: 0 }) memoryMiB: number;
  @Prop({ required: true, min: 0 }) storageGiB: number;
  @Prop({ required: true, min: 0 }) vms: number;
}
const QuotaAmountsSchema = SchemaFactory.createForClass(QuotaAmountsRecord);

/** A change: negative parts shrink something (a smaller VM, a deleted one). */
@Schema({ _id: false })
export class QuotaDeltaRecord {
  @Prop({ required: true }) vcpu: number;
  @Prop({ required: true }) memoryMiB: number;
  @Prop({ required: true }) storageGiB: number;
  @Prop({ required: true }) vms: number;
}
const QuotaDeltaSchema = SchemaFactory.createForClass(QuotaDeltaRecord);

/** A tenant's limits; the document exists exactly as long as the tenant does. */
@Schema({ collection: 'quota_limits', timestamps: true })
export class QuotaLimitsRecord {
  @Prop({ type: Types.ObjectId, required: true, unique: true }) tenantId: Types.ObjectId;
  @Prop({ type: QuotaAmountsSchema, required: true }) limits: QuotaAmountsRecord;
}
export type QuotaLimitsDocument = HydratedDocument<QuotaLimitsRecord>;
export const QuotaLimitsSchema = SchemaFactory.createForClass(QuotaLimitsRecord);

/** hold/charge open a reservation, commit/release settle a held one. */
export const LEDGER_OPS = ['hold', 'charge', 'commit', 'release'] as const;
export type LedgerOp = (typeof LEDGER_OPS)[number];

/**
 * Append-only usage ledger (DESIGN.md §4.2), the source of truth for usage. Each entry carries the
 * tenant's running totals after it. Two unique indexes make every change safe without transactions
 * (FerretDB has none, and its findAndModify is not atomic): (tenantId, seq), so of two writers that
 * read the same latest entry only one appends after it; and opKey, so each reservation opens once
 * and settles once, whichever of commit, release or a repeat gets there first.
 */
@Schema({ collection: 'quota_ledger', timestamps: { createdAt: true, updatedAt: false }, versionKey: false })
export class QuotaLedgerEntry {
  @Prop({ type: Types.ObjectId, required: true }) tenantId: Types.ObjectId;
  /** 1, 2, 3… per tenant, without gaps. */
  @Prop({ required: true, min: 1 }) seq: number;
  @Prop({ type: QuotaAmountsSchema, required: true }) committed: QuotaAmountsRecord;
  @Prop({ type: QuotaAmountsSchema, required: true }) held: QuotaAmountsRecord;
  /** `<reservationId>:open` for hold and charge, `<reservationId>:settle` for commit and release. */
  @Prop({ required: true }) opKey: string;
  @Prop({ type: String, required: true, enum: LEDGER_OPS }) op: LedgerOp;
  @Prop({ required: true }) reservationId: string;
  /** The whole change the reservation stands for (not this entry's effect on the totals). */
  @Prop({ type: QuotaDeltaSchema, required: true }) delta: QuotaDeltaRecord;
  @Prop({ required: true }) kind: string;
  @Prop({ type: String, default: '' }) description: string;
  @Prop({ type: String, default: null }) taskId: string | null;
  /** When a hold lapses (holds only). */
  @Prop({ type: Date, default: null }) expiresAt: Date | null;
  /** Appended without the limit check (an admin adopting a VM). */
  @Prop({ default: false }) forced: boolean;
  /**
   * Whether quota_reservations reflects this entry yet. False from the append until the projection
   * is written, and for good if the process died in between: whoever lists reservations projects
   * such entries first, so the read model never loses a hold.
   */
  @Prop({ default: false }) projected: boolean;
  createdAt: Date;
}
export const QuotaLedgerSchema = SchemaFactory.createForClass(QuotaLedgerEntry);
QuotaLedgerSchema.index({ tenantId: 1, seq: -1 }, { unique: true });
QuotaLedgerSchema.index({ opKey: 1 }, { unique: true });
QuotaLedgerSchema.index({ tenantId: 1, createdAt: 1 });
QuotaLedgerSchema.index({ projected: 1 });

export const RESERVATION_STATUSES: readonly QuotaReservationStatus[] = ['held', 'committed', 'released'];

/**
 * Read model of the reservations in the ledger, for listing and sweeping. Written only after the
 * ledger, by upserts that are safe to repeat; the ledger wins whenever the two disagree.
 */
@Schema({ collection: 'quota_reservations', versionKey: false })
export class QuotaReservationRecord {
  /** The reservation id the caller chose (usually its task id). */
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ type: Types.ObjectId, required: true }) tenantId: Types.ObjectId;
  @Prop({ type: String, required: true, enum: RESERVATION_STATUSES }) status: QuotaReservationStatus;
  @Prop({ type: QuotaDeltaSchema, required: true }) amounts: QuotaDeltaRecord;
  @Prop({ required: true }) kind: string;
  @Prop({ type: String, default: null }) taskId: string | null;
  @Prop({ type: String, default: '' }) description: string;
  @Prop({ type: Date, required: true }) createdAt: Date;
  @Prop({ type: Date, default: null }) expiresAt: Date | null;
  @Prop({ type: Date, default: null }) settledAt: Date | null;
}
export const QuotaReservationSchema = SchemaFactory.createForClass(QuotaReservationRecord);
QuotaReservationSchema.index({ tenantId: 1, status: 1, createdAt: 1 });
QuotaReservationSchema.index({ status: 1, expiresAt: 1 });
