import { HttpStatus } from '@nestjs/common';
import { AppException } from '../common/errors/app-exception';
import { ErrorCode } from '../contracts/error-code';
import { QUOTA_RESOURCES, QuotaAmounts, QuotaLimits, QuotaResource, QuotaUsage, QuotaViolation } from '../contracts/quotas';

export const NO_AMOUNTS: Readonly<QuotaAmounts> = Object.freeze({ vcpu: 0, memoryMiB: 0, storageGiB: 0, vms: 0 });

/** How each resource reads in an error message: label and unit. */
const WORDING: Record<QuotaResource, [string, string]> = {
  vcpu: ['vCPU', ''],
  memoryMiB: ['memory', ' MiB'],
  storageGiB: ['storage', ' GiB'],
  vms: ['VM', ''],
};

function mapAmounts(fn: (resource: QuotaResource) => number): QuotaAmounts {
  return { vcpu: fn('vcpu'), memoryMiB: fn('memoryMiB'), storageGiB: fn('storageGiB'), vms: fn('vms') };
}

/** Just the four amounts, whatever else the source carries (stored sub-documents, DTO instances). */
export function pickAmounts(source: QuotaAmounts): QuotaAmounts {
  return mapAmounts((r) => source[r]);
}

export function addAmounts(a: QuotaAmounts, b: QuotaAmounts): QuotaAmounts {
  return mapAmounts((r) => a[r] + b[r]);
}

export function subtractAmounts(a: QuotaAmounts, b: QuotaAmounts): QuotaAmounts {
  return mapAmounts((r) => a[r] - b[r]);
}

/** The growing parts of a change: what a hold has to reserve. */
export function growingPart(delta: QuotaAmounts): QuotaAmounts {
  return mapAmounts((r) => Math.max(0, delta[r]));
}

export function floorAtZero(amounts: QuotaAmounts): QuotaAmounts {
  return mapAmounts((r) => Math.max(0, amounts[r]));
}

export function isAllZero(amounts: QuotaAmounts): boolean {
  return QUOTA_RESOURCES.every((r) => amounts[r] === 0);
}

/** Each resource the request grows past its limit, counting committed and held usage. */
export function findViolations(limits: QuotaLimits, usage: QuotaUsage, request: QuotaAmounts): QuotaViolation[] {
  return QUOTA_RESOURCES.flatMap((resource) => {
    const requested = request[resource];
    const used = usage.committed[resource] + usage.held[resource];
    return requested > 0 && used + requested > limits[resource] ? [{ resource, limit: limits[resource], used, requested }] : [];
  });
}

/** 422 QUOTA_EXCEEDED naming every exceeded resource, e.g. "vCPU limit 16 reached: 14 used, 4 requested". */
export function quotaExceeded(violations: QuotaViolation[]): AppException {
  const reasons = violations.map(({ resource, limit, used, requested }) => {
    const [label, unit] = WORDING[resource];
    return `${label} limit ${limit}${unit} reached: ${used}${unit} used, ${requested}${unit} requested`;
  });
  return new AppException(HttpStatus.UNPROCESSABLE_ENTITY, ErrorCode.QuotaExceeded, `Quota exceeded: ${reasons.join('; ')}`, { violations });
}

/** Callers pass whole numbers; anything else would corrupt the running totals for good. */
export function assertWholeAmounts(amounts: QuotaAmounts): void {
  const bad = QUOTA_RESOURCES.filter((r) => !Number.isSafeInteger(amounts?.[r]));
  if (bad.length > 0) {
    throw new AppException(HttpStatus.BAD_REQUEST, ErrorCode.BadRequest, `Quota amounts must be whole numbers: ${bad.join(', ')}`);
  }
}
