import { HttpStatus, Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppException } from '../common/errors/app-exception';
import { isDuplicateKeyError } from '../common/errors/duplicate-key';
import { ErrorCode } from '../contracts/error-code';
import { QuotaAmounts, QuotaUsage } from '../contracts/quotas';
import { KeyedMutex } from './keyed-mutex';
import { NO_AMOUNTS, pickAmounts } from './quota-amounts';
import { LedgerOp, QuotaLedgerEntry } from './quota.schemas';
import { QUOTA_CHANGED, QuotaChangedEvent } from './quota-events';

export type LedgerEntry = QuotaLedgerEntry & { _id: Types.ObjectId };

/** The tenant's totals after its latest entry (seq 0 and zeros before the first). */
export interface LedgerState {
  seq: number;
  usage: QuotaUsage;
}

/** What an entry records about its reservation; the ledger adds the tenant, the seq, the opKey and the totals. */
export interface LedgerChange {
  op: LedgerOp;
  reservationId: string;
  delta: QuotaAmounts;
  kind: string;
  description: string;
  taskId: string | null;
  expiresAt: Date | null;
  forced: boolean;
}

/** The totals after a change from the totals before it; throws (QUOTA_EXCEEDED) to refuse the change. */
export type ApplyChange = (usage: QuotaUsage) => QuotaUsage;

export interface AppendResult {
  entry: LedgerEntry;
  /** False when an entry with the same opKey was already there: the operation had happened before. */
  appended: boolean;
}

export const openKey = (reservationId: string) => `${reservationId}:open`;
export const settleKey = (reservationId: string) => `${reservationId}:settle`;

/** Bounds the retries when other replicas keep winning; each lost race means one of them made progress. */
const MAX_ATTEMPTS = 100;
const MAX_BACKOFF_MS = 50;

/**
 * Reads and appends ledger entries. Appends for one tenant queue up in this process (so a replica
 * never races itself) and race other replicas through the unique indexes.
 */
@Injectable()
export class QuotaLedger {
  private readonly tenantQueue = new KeyedMutex();

  constructor(
    @InjectModel(QuotaLedgerEntry.name) private readonly entries: Model<QuotaLedgerEntry>,
    private readonly events: EventEmitter2,
  ) {}

  async state(tenantId: string): Promise<LedgerState> {
    const latest = await this.entries.findOne({ tenantId: new Types.ObjectId(tenantId) }).sort({ seq: -1 }).select({ seq: 1, committed: 1, held: 1 }).lean();
    if (!latest) return { seq: 0, usage: { committed: { ...NO_AMOUNTS }, held: { ...NO_AMOUNTS } } };
    return { seq: latest.seq, usage: { committed: pickAmounts(latest.committed), held: pickAmounts(latest.held) } };
  }

  /** The state as of `at`: the latest entry written at or before it. */
  async stateAt(tenantId: string, at: Date): Promise<QuotaUsage> {
    const entry = await this.entries
      .findOne({ tenantId: new Types.ObjectId(tenantId), createdAt: { $lte: at } })
      .sort({ seq: -1 })
      .select({ committed: 1, held: 1 })
      .lean();
    return entry ? { committed: pickAmounts(entry.committed), held: pickAmounts(entry.held) } : { committed: { ...NO_AMOUNTS }, held: { ...NO_AMOUNTS } };
  }

  /** Running totals of the entries written after `after` up to `until`, oldest first. */
  async *statesBetween(tenantId: string, after: Date, until: Date): AsyncGenerator<{ at: Date } & QuotaUsage> {
    const cursor = this.entries
      .find({ tenantId: new Types.ObjectId(tenantId), createdAt: { $gt: after, $lte: until } })
      .sort({ seq: 1 })
      .select({ createdAt: 1, committed: 1, held: 1 })
      .lean()
      .cursor();
    for await (const entry of cursor) {
      yield { at: entry.createdAt, committed: pickAmounts(entry.committed), held: pickAmounts(entry.held) };
    }
  }

  findOp(opKey: string): Promise<LedgerEntry | null> {
    return this.entries.findOne({ opKey }).lean<LedgerEntry>();
  }

  findOps(opKeys: string[]): Promise<LedgerEntry[]> {
    return this.entries.find({ opKey: { $in: opKeys } }).sort({ seq: 1 }).lean<LedgerEntry[]>();
  }

  /**
   * Appends `change` after the tenant's latest entry, with the totals `apply` computes from that entry's,
   * unless an entry with `opKey` exists already (then answers that one). Re-reads and retries when
   * another writer appended first.
   */
  async append(tenantId: string, opKey: string, change: LedgerChange, apply: ApplyChange): Promise<AppendResult> {
    const result = await this.tenantQueue.runExclusive(tenantId, () => this.appendWithRetries(tenantId, opKey, change, apply));
    if (result.appended) this.events.emit(QUOTA_CHANGED, { tenantId } satisfies QuotaChangedEvent);
    return result;
  }

  private async appendWithRetries(tenantId: string, opKey: string, change: LedgerChange, apply: ApplyChange): Promise<AppendResult> {
    for (let attempt = 1; ; attempt++) {
      const { seq, usage } = await this.state(tenantId);
      let next: QuotaUsage;
      try {
        next = apply(usage);
      } catch (refusal) {
        // A repeat of an operation that already counts in `usage` may look over the limit: it is not.
        const done = await this.findOp(opKey);
        if (done) return { entry: done, appended: false };
        throw refusal;
      }
      try {
        const created = await this.entries.create({ ...change, tenantId: new Types.ObjectId(tenantId), seq: seq + 1, opKey, ...next, projected: false });
        return { entry: created.toObject() as LedgerEntry, appended: true };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // FerretDB does not say which index refused the entry: a re-read tells a repeat from a lost race.
        const done = await this.findOp(opKey);
        if (done) return { entry: done, appended: false };
        if (attempt === MAX_ATTEMPTS) {
          throw new AppException(HttpStatus.SERVICE_UNAVAILABLE, ErrorCode.ServiceUnavailable, 'The quota ledger is too busy right now; try again');
        }
        await sleep(Math.random() * Math.min(MAX_BACKOFF_MS, 2 ** attempt));
      }
    }
  }

  /** Entries not reflected in the read model yet, oldest first (optionally of one tenant). */
  unprojected(limit: number, tenantId?: string): Promise<LedgerEntry[]> {
    const filter = tenantId ? { projected: false, tenantId: new Types.ObjectId(tenantId) } : { projected: false };
    return this.entries.find(filter).sort({ createdAt: 1 }).limit(limit).lean<LedgerEntry[]>();
  }

  async markProjected(entryId: Types.ObjectId): Promise<void> {
    await this.entries.updateOne({ _id: entryId }, { $set: { projected: true } });
  }

  async removeTenant(tenantId: string): Promise<void> {
    await this.entries.deleteMany({ tenantId: new Types.ObjectId(tenantId) });
  }
}
