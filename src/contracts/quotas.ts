/** How much of each quota-limited resource: limits, usage, requests and reservations share this shape. */
export interface QuotaAmounts {
  vcpu: number;
  memoryMiB: number;
  storageGiB: number;
  vms: number;
}

export type QuotaResource = keyof QuotaAmounts;
export const QUOTA_RESOURCES: readonly QuotaResource[] = ['vcpu', 'memoryMiB', 'storageGiB', 'vms'];

/** A tenant's ceiling per resource. */
export type QuotaLimits = QuotaAmounts;

export interface QuotaUsage {
  /** What the tenant's existing resources use. */
  committed: QuotaAmounts;
  /** What requests still running have reserved (their growing parts only) and not yet committed or released. */
  held: QuotaAmounts;
}

export interface Quota {
  limits: QuotaLimits;
  usage: QuotaUsage;
}

/** One resource a request would push past its limit. */
export interface QuotaViolation {
  resource: QuotaResource;
  limit: number;
  /** Committed plus held. */
  used: number;
  requested: number;
}

export interface QuotaCheckResult {
  fits: boolean;
  violations: QuotaViolation[];
}

export type QuotaReservationStatus = 'held' | 'committed' | 'released';

/** A hold that is neither committed nor released yet. */
export interface QuotaReservation {
  id: string;
  /** What it is for, e.g. `vm.create`. */
  kind: string;
  /** The task doing the work (`/api/v1/tasks/:id`), when there is one. */
  taskId: string | null;
  /** The change it stands for; negative parts shrink something and are given back on commit. */
  amounts: QuotaAmounts;
  description: string;
  /** ISO 8601 */
  createdAt: string;
  /** ISO 8601; an expired hold is settled by the sweeper. */
  expiresAt: string;
}

export interface QuotaHistoryPoint {
  /** ISO 8601; usage stays as shown until the next point. */
  at: string;
  committed: QuotaAmounts;
  held: QuotaAmounts;
}

export interface QuotaHistory {
  points: QuotaHistoryPoint[];
}
