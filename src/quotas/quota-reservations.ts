import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types, UpdateQuery } from 'mongoose';
import { isDuplicateKeyError } from '../common/errors/duplicate-key';
import { QuotaAmounts, QuotaReservationStatus } from '../contracts/quotas';
import { pickAmounts } from './quota-amounts';
import { LedgerEntry, openKey, QuotaLedger, settleKey } from './quota-ledger';
import { QuotaReservationRecord } from './quota.schemas';

/** A reservation as the ledger has it (via the read model). */
export interface Reservation {
  id: string;
  tenantId: string;
  status: QuotaReservationStatus;
  kind: string;
  taskId: string | null;
  /** The change it stands for; negative parts shrink something. */
  amounts: QuotaAmounts;
  description: string;
  createdAt: Date;
  /** When a hold lapses; null for charges. */
  expiresAt: Date | null;
  settledAt: Date | null;
}

type StoredReservation = QuotaReservationRecord;

/** Unprojected entries handled per repair pass; a backlog beyond that waits for the next pass. */
const REPAIR_BATCH = 500;
const REPAIR_MAX_BATCHES = 20;

/**
 * The quota_reservations read model: written after the ledger by repeatable upserts, repaired from the
 * ledger when it lags (a crash between the append and the projection, or a lost update on FerretDB,
 * whose updates rewrite whole documents). A status only ever moves from held to committed or released.
 */
@Injectable()
export class QuotaReservations {
  constructor(
    @InjectModel(QuotaReservationRecord.name) private readonly records: Model<QuotaReservationRecord>,
    private readonly ledger: QuotaLedger,
  ) {}

  /** Makes the read model reflect one ledger entry; safe to repeat and to run concurrently with any other projection. */
  async project(entry: LedgerEntry): Promise<void> {
    const described = { tenantId: entry.tenantId, amounts: pickAmounts(entry.delta), kind: entry.kind, taskId: entry.taskId, description: entry.description };
    if (entry.op === 'hold' || entry.op === 'charge') {
      const settledAt = entry.op === 'charge' ? entry.createdAt : null;
      const status: QuotaReservationStatus = entry.op === 'charge' ? 'committed' : 'held';
      await this.upsert(entry.reservationId, { $setOnInsert: { ...described, status, createdAt: entry.createdAt, expiresAt: entry.expiresAt, settledAt } });
    } else {
      const status: QuotaReservationStatus = entry.op === 'commit' ? 'committed' : 'released';
      await this.upsert(entry.reservationId, { $set: { status, settledAt: entry.createdAt }, $setOnInsert: { ...described, createdAt: entry.createdAt, expiresAt: null } });
    }
    if (!entry.projected) await this.ledger.markProjected(entry._id);
  }

  /** The reservation, checked against the ledger unless it is already settled (settled is final). */
  async get(reservationId: string): Promise<Reservation | null> {
    const record = await this.records.findById(reservationId).lean<StoredReservation>();
    if (record && record.status !== 'held') return toReservation(record);
    const entries = await this.ledger.findOps([openKey(reservationId), settleKey(reservationId)]);
    const missing = record ? entries.filter((entry) => entry.opKey === settleKey(reservationId)) : entries;
    if (missing.length === 0) return record ? toReservation(record) : null;
    for (const entry of missing) await this.project(entry);
    const repaired = await this.records.findById(reservationId).lean<StoredReservation>();
    return repaired ? toReservation(repaired) : null;
  }

  /** A tenant's unsettled holds, oldest first. */
  async listHeld(tenantId: string): Promise<Reservation[]> {
    await this.repair(tenantId);
    const held = await this.records.find({ tenantId: new Types.ObjectId(tenantId), status: 'held' }).sort({ createdAt: 1 }).lean<StoredReservation[]>();
    return this.withoutSettled(held);
  }

  /** Unsettled holds whose time ran out at `now`, the longest expired first. */
  async findExpired(now: Date, limit: number): Promise<Reservation[]> {
    await this.repair();
    const held = await this.records.find({ status: 'held', expiresAt: { $lte: now } }).sort({ expiresAt: 1 }).limit(limit).lean<StoredReservation[]>();
    return this.withoutSettled(held);
  }

  /** Moves a hold's expiry; a settled reservation is answered as it is. */
  async extend(reservationId: string, expiresAt: Date): Promise<Reservation | null> {
    const reservation = await this.get(reservationId);
    if (!reservation || reservation.status !== 'held') return reservation;
    await this.records.updateOne({ _id: reservationId, status: 'held' }, { $set: { expiresAt } });
    return { ...reservation, expiresAt };
  }

  async removeTenant(tenantId: string): Promise<void> {
    await this.records.deleteMany({ tenantId: new Types.ObjectId(tenantId) });
  }

  /** Projects what the ledger has and the read model lacks (after a crash between the two writes). */
  private async repair(tenantId?: string): Promise<void> {
    for (let batch = 0; batch < REPAIR_MAX_BATCHES; batch++) {
      const entries = await this.ledger.unprojected(REPAIR_BATCH, tenantId);
      for (const entry of entries) await this.project(entry);
      if (entries.length < REPAIR_BATCH) return;
    }
  }

  /** Drops (and repairs) the listed holds the ledger already settled. */
  private async withoutSettled(held: StoredReservation[]): Promise<Reservation[]> {
    if (held.length === 0) return [];
    const settles = await this.ledger.findOps(held.map((record) => settleKey(record._id)));
    for (const entry of settles) await this.project(entry);
    const settled = new Set(settles.map((entry) => entry.reservationId));
    return held.filter((record) => !settled.has(record._id)).map(toReservation);
  }

  /** FerretDB answers a duplicate key when two upserts of one new document race; the second then updates it. */
  private async upsert(reservationId: string, update: UpdateQuery<QuotaReservationRecord>): Promise<void> {
    try {
      await this.records.updateOne({ _id: reservationId }, update, { upsert: true });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      await this.records.updateOne({ _id: reservationId }, update);
    }
  }
}

export function toReservation(record: StoredReservation): Reservation {
  return {
    id: record._id,
    tenantId: record.tenantId.toHexString(),
    status: record.status,
    kind: record.kind,
    taskId: record.taskId ?? null,
    amounts: pickAmounts(record.amounts),
    description: record.description ?? '',
    createdAt: record.createdAt,
    expiresAt: record.expiresAt ?? null,
    settledAt: record.settledAt ?? null,
  };
}
