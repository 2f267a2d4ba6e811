import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { AppException } from '../common/errors/app-exception';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ErrorCode } from '../contracts/error-code';
import { Quota, QuotaAmounts, QuotaCheckResult, QuotaHistory, QuotaLimits, QuotaReservation, QuotaUsage } from '../contracts/quotas';
import { addAmounts, assertWholeAmounts, findViolations, floorAtZero, growingPart, isAllZero, NO_AMOUNTS, pickAmounts, quotaExceeded, subtractAmounts } from './quota-amounts';
import { downsampleHistory } from './quota-history';
import { LedgerEntry, openKey, QuotaLedger, settleKey } from './quota-ledger';
import { QuotaReservations, Reservation } from './quota-reservations';
import { QuotaLimitsRecord } from './quota.schemas';
import { QUOTA_CHANGED, QuotaChangedEvent } from './quota-events';

export type { Reservation } from './quota-reservations';

/** What a new tenant may use until an operator says otherwise: room for a couple of small VMs. */
export const DEFAULT_TENANT_LIMITS: QuotaLimits = Object.freeze({ vcpu: 8, memoryMiB: 16_384, storageGiB: 200, vms: 5 });

export interface HoldOptions {
  /** Chosen by the caller (usually the task id); holding again with the same id answers the first reservation. */
  reservationId: string;
  /** What it is for, e.g. `vm.create`. */
  kind: string;
  taskId?: string | null;
  description: string;
  /** Defaults to OPENHVX_QUOTA_HOLD_TTL. */
  ttlSeconds?: number;
  /** Skip the limit check (an admin adopting a VM). */
  force?: boolean;
}

export type ChargeOptions = Omit<HoldOptions, 'ttlSeconds'>;

export type CommitOutcome = 'committed' | 'already-committed' | 'released' | 'not-found';
export type ReleaseOutcome = 'released' | 'already-released' | 'committed' | 'not-found';

const MAX_TTL_SECONDS = 7 * 86_400;
const DAY_MS = 86_400_000;

/**
 * Tenant limits and the reservation ledger (DESIGN.md §4.2). A request holds quota, and its job
 * commits or releases the hold exactly once; changes without a job (deletes, adoptions) are charged
 * directly. No interleaving of these, on any number of replicas, takes usage past a limit.
 */
@Injectable()
export class QuotasService {
  private readonly logger = new Logger(QuotasService.name);

  constructor(
    @InjectModel(QuotaLimitsRecord.name) private readonly limitsModel: Model<QuotaLimitsRecord>,
    private readonly ledger: QuotaLedger,
    private readonly reservations: QuotaReservations,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: EventEmitter2,
  ) {}

  async initTenant(tenantId: string, limits: QuotaLimits = DEFAULT_TENANT_LIMITS): Promise<QuotaLimits> {
    await this.limitsModel.create({ tenantId: new Types.ObjectId(tenantId), limits });
    return { ...limits };
  }

  async getLimits(tenantId: string): Promise<QuotaLimits> {
    const record = await this.limitsModel.findOne({ tenantId: new Types.ObjectId(tenantId) }).lean();
    if (!record) throw AppException.notFound('Tenant');
    return pickAmounts(record.limits);
  }

  /** Limits of many tenants at once, for list pages; tenants without a record get zeros. */
  async getLimitsOf(tenantIds: string[]): Promise<Map<string, QuotaLimits>> {
    const records = await this.limitsModel.find({ tenantId: { $in: tenantIds.map((id) => new Types.ObjectId(id)) } }).lean();
    const byTenant = new Map(records.map((r) => [r.tenantId.toHexString(), pickAmounts(r.limits)]));
    return new Map(tenantIds.map((id) => [id, byTenant.get(id) ?? { ...NO_AMOUNTS }]));
  }

  /** Lowering a limit below current usage is allowed: existing resources stay, new requests are refused. */
  async setLimits(tenantId: string, limits: QuotaLimits): Promise<QuotaLimits> {
    const updated = await this.limitsModel
      .findOneAndUpdate({ tenantId: new Types.ObjectId(tenantId) }, { $set: { limits: pickAmounts(limits) } }, { new: true })
      .lean();
    if (!updated) throw AppException.notFound('Tenant');
    this.events.emit(QUOTA_CHANGED, { tenantId } satisfies QuotaChangedEvent);
    return pickAmounts(updated.limits);
  }

  async getQuota(tenantId: string): Promise<Quota> {
    const [limits, usage] = await Promise.all([this.getLimits(tenantId), this.getUsage(tenantId)]);
    return { limits, usage };
  }

  /** Committed and held usage, from the latest ledger entry (all zero before the first change). */
  async getUsage(tenantId: string): Promise<QuotaUsage> {
    return (await this.ledger.state(tenantId)).usage;
  }

  async hasUsage(tenantId: string): Promise<boolean> {
    const { committed, held } = await this.getUsage(tenantId);
    return !isAllZero(committed) || !isAllZero(held);
  }

  /** Whether a request of this size would be held now (a hint: only `hold` decides). */
  async check(tenantId: string, request: QuotaAmounts): Promise<QuotaCheckResult> {
    assertWholeAmounts(request);
    const [limits, usage] = await Promise.all([this.getLimits(tenantId), this.getUsage(tenantId)]);
    const violations = findViolations(limits, usage, request);
    return { fits: violations.length === 0, violations };
  }

  /**
   * Reserves the growing parts of `delta` until `commit` or `release` (or expiry). Refused with 422
   * QUOTA_EXCEEDED when any of them would take committed + held past its limit, unless `force`.
   */
  async hold(tenantId: string, delta: QuotaAmounts, options: HoldOptions): Promise<Reservation> {
    assertWholeAmounts(delta);
    assertReservationId(options.reservationId);
    const ttlSeconds = options.ttlSeconds ?? this.config.quotas.holdTtlSeconds;
    assertTtl(ttlSeconds);
    const limits = await this.getLimits(tenantId);
    const change = pickAmounts(delta);
    const { entry, appended } = await this.ledger.append(
      tenantId,
      openKey(options.reservationId),
      {
        op: 'hold',
        reservationId: options.reservationId,
        delta: change,
        kind: options.kind,
        description: options.description,
        taskId: options.taskId ?? null,
        expiresAt: new Date(Date.now() + ttlSeconds * 1000),
        forced: options.force ?? false,
      },
      (usage) => {
        if (!options.force) refuseOverLimit(limits, usage, change);
        return { committed: usage.committed, held: addAmounts(usage.held, growingPart(change)) };
      },
    );
    return this.opened(tenantId, entry, appended);
  }

  /** A committed change without a hold: a delete gives back (negative), an adoption takes (checked unless `force`). */
  async charge(tenantId: string, delta: QuotaAmounts, options: ChargeOptions): Promise<Reservation> {
    assertWholeAmounts(delta);
    assertReservationId(options.reservationId);
    const limits = await this.getLimits(tenantId);
    const change = pickAmounts(delta);
    const { entry, appended } = await this.ledger.append(
      tenantId,
      openKey(options.reservationId),
      {
        op: 'charge',
        reservationId: options.reservationId,
        delta: change,
        kind: options.kind,
        description: options.description,
        taskId: options.taskId ?? null,
        expiresAt: null,
        forced: options.force ?? false,
      },
      (usage) => {
        if (!options.force) refuseOverLimit(limits, usage, change);
        return { committed: floorAtZero(addAmounts(usage.committed, change)), held: usage.held };
      },
    );
    return this.opened(tenantId, entry, appended);
  }

  /** Turns a hold into usage (negative parts are given back now). Exactly once, whoever races it. */
  async commit(reservationId: string): Promise<CommitOutcome> {
    const settled = await this.settle(reservationId, 'commit');
    if (!settled) return 'not-found';
    if (settled.status === 'released') return 'released';
    return settled.justNow ? 'committed' : 'already-committed';
  }

  /** Gives a hold back. Exactly once, whoever races it; a committed reservation stays committed. */
  async release(reservationId: string): Promise<ReleaseOutcome> {
    const settled = await this.settle(reservationId, 'release');
    if (!settled) return 'not-found';
    if (settled.status === 'committed') return 'committed';
    return settled.justNow ? 'released' : 'already-released';
  }

  /** Keeps a hold alive for `ttlSeconds` from now (a job still running); settled reservations are answered unchanged. */
  async extend(reservationId: string, ttlSeconds: number): Promise<Reservation> {
    assertTtl(ttlSeconds);
    const reservation = await this.reservations.extend(reservationId, new Date(Date.now() + ttlSeconds * 1000));
    if (!reservation) throw AppException.notFound('Quota reservation');
    return reservation;
  }

  getReservation(reservationId: string): Promise<Reservation | null> {
    return this.reservations.get(reservationId);
  }

  listHeld(tenantId: string): Promise<Reservation[]> {
    return this.reservations.listHeld(tenantId);
  }

  /** For the hold sweeper: unsettled holds past their expiry at `now`, longest expired first. */
  findExpiredHolds(now: Date, limit: number): Promise<Reservation[]> {
    return this.reservations.findExpired(now, limit);
  }

  /** The held reservations as the API shows them (404 for an unknown tenant). */
  async heldReservations(tenantId: string): Promise<{ items: QuotaReservation[]; total: number }> {
    await this.getLimits(tenantId);
    const items = (await this.listHeld(tenantId)).map(toApiReservation);
    return { items, total: items.length };
  }

  /** Committed and held usage over time, at most ~500 points; defaults to the last 24 hours. */
  async history(tenantId: string, from?: Date, to?: Date): Promise<QuotaHistory> {
    const until = to ?? new Date();
    const since = from ?? new Date(until.getTime() - DAY_MS);
    if (since.getTime() >= until.getTime()) {
      throw new AppException(HttpStatus.BAD_REQUEST, ErrorCode.BadRequest, '`from` must be before `to`');
    }
    await this.getLimits(tenantId);
    const initial = await this.ledger.stateAt(tenantId, since);
    return { points: await downsampleHistory(initial, since, until, this.ledger.statesBetween(tenantId, since, until)) };
  }

  async removeTenant(tenantId: string): Promise<void> {
    const id = new Types.ObjectId(tenantId);
    await Promise.all([this.limitsModel.deleteOne({ tenantId: id }), this.ledger.removeTenant(tenantId), this.reservations.removeTenant(tenantId)]);
  }

  /** Appends the settle entry unless the reservation is settled already; null when there is no such reservation. */
  private async settle(reservationId: string, op: 'commit' | 'release'): Promise<{ status: 'committed' | 'released'; justNow: boolean } | null> {
    const reservation = await this.reservations.get(reservationId);
    if (!reservation) return null;
    if (reservation.status !== 'held') return { status: reservation.status, justNow: false };
    const delta = reservation.amounts;
    const { entry, appended } = await this.ledger.append(
      reservation.tenantId,
      settleKey(reservationId),
      { op, reservationId, delta, kind: reservation.kind, description: reservation.description, taskId: reservation.taskId, expiresAt: null, forced: false },
      (usage) => ({
        committed: op === 'commit' ? floorAtZero(addAmounts(usage.committed, delta)) : usage.committed,
        held: floorAtZero(subtractAmounts(usage.held, growingPart(delta))),
      }),
    );
    if (appended) await this.projectQuietly(entry);
    return { status: entry.op === 'commit' ? 'committed' : 'released', justNow: appended };
  }

  /** The reservation a hold or charge opened, or the one an earlier call with the same id opened. */
  private async opened(tenantId: string, entry: LedgerEntry, appended: boolean): Promise<Reservation> {
    if (!entry.tenantId.equals(tenantId)) {
      throw AppException.conflict(`Quota reservation id '${entry.reservationId}' is already used by another tenant`);
    }
    if (appended) {
      await this.projectQuietly(entry);
      return reservationOf(entry);
    }
    return (await this.reservations.get(entry.reservationId)) ?? reservationOf(entry);
  }

  /** The ledger entry is what counts: a failed projection is logged and repaired by the next listing. */
  private async projectQuietly(entry: LedgerEntry): Promise<void> {
    try {
      await this.reservations.project(entry);
    } catch (error) {
      this.logger.warn(`Quota reservation ${entry.reservationId} not projected yet: ${(error as Error).message}`);
    }
  }
}

function refuseOverLimit(limits: QuotaLimits, usage: QuotaUsage, change: QuotaAmounts): void {
  const violations = findViolations(limits, usage, change);
  if (violations.length > 0) throw quotaExceeded(violations);
}

function reservationOf(entry: LedgerEntry): Reservation {
  const settled = entry.op === 'charge';
  return {
    id: entry.reservationId,
    tenantId: entry.tenantId.toHexString(),
    status: settled ? 'committed' : 'held',
    kind: entry.kind,
    taskId: entry.taskId,
    amounts: pickAmounts(entry.delta),
    description: entry.description,
    createdAt: entry.createdAt,
    expiresAt: entry.expiresAt,
    settledAt: settled ? entry.createdAt : null,
  };
}

function toApiReservation(reservation: Reservation): QuotaReservation {
  return {
    id: reservation.id,
    kind: reservation.kind,
    taskId: reservation.taskId,
    amounts: reservation.amounts,
    description: reservation.description,
    createdAt: reservation.createdAt.toISOString(),
    expiresAt: (reservation.expiresAt ?? reservation.createdAt).toISOString(),
  };
}

function assertReservationId(reservationId: string): void {
  if (typeof reservationId !== 'string' || reservationId.length === 0 || reservationId.length > 200) {
    throw new AppException(HttpStatus.BAD_REQUEST, ErrorCode.BadRequest, 'A quota reservation id is a non-empty string of at most 200 characters');
  }
}

function assertTtl(ttlSeconds: number): void {
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
    throw new AppException(HttpStatus.BAD_REQUEST, ErrorCode.BadRequest, `A quota hold lasts 1 to ${MAX_TTL_SECONDS} seconds`);
  }
}
