import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDate, IsInt, IsOptional, Max, Min } from 'class-validator';
import { toDate } from '../common/http/iso-date';
import {
  Quota,
  QUOTA_RESOURCES,
  QuotaAmounts,
  QuotaCheckResult,
  QuotaHistory,
  QuotaHistoryPoint,
  QuotaLimits,
  QuotaReservation,
  QuotaResource,
  QuotaUsage,
  QuotaViolation,
} from '../contracts/quotas';

export class QuotaLimitsDto implements QuotaLimits {
  /** Virtual CPUs across all the tenant's VMs. */
  @IsInt() @Min(0) @Max(1_000_000) vcpu: number;
  /** Memory in MiB across all VMs. */
  @IsInt() @Min(0) @Max(1_000_000_000) memoryMiB: number;
  /** Disk storage in GiB across all VMs. */
  @IsInt() @Min(0) @Max(1_000_000_000) storageGiB: number;
  /** Number of VMs. */
  @IsInt() @Min(0) @Max(1_000_000) vms: number;
}

export class QuotaAmountsDto implements QuotaAmounts {
  vcpu: number;
  memoryMiB: number;
  storageGiB: number;
  vms: number;
}

export class QuotaUsageDto implements QuotaUsage {
  /** What the tenant's existing resources use. */
  committed: QuotaAmountsDto;
  /** Reserved by requests still running (their growing parts), not yet committed or released. */
  held: QuotaAmountsDto;
}

export class QuotaDto implements Quota {
  limits: QuotaLimitsDto;
  /** New requests fit while committed + held + requested stays within the limits. */
  usage: QuotaUsageDto;
}

/** The size of a request: what a new VM (or the growth of one) would take. */
export class QuotaCheckDto implements QuotaAmounts {
  @IsInt() @Min(0) @Max(1_000_000) vcpu: number;
  /** MiB */
  @IsInt() @Min(0) @Max(1_000_000_000) memoryMiB: number;
  /** GiB */
  @IsInt() @Min(0) @Max(1_000_000_000) storageGiB: number;
  @IsInt() @Min(0) @Max(1_000_000) vms: number;
}

export class QuotaViolationDto implements QuotaViolation {
  @ApiProperty({ enum: QUOTA_RESOURCES }) resource: QuotaResource;
  limit: number;
  /** Committed plus held. */
  used: number;
  requested: number;
}

export class QuotaCheckResultDto implements QuotaCheckResult {
  fits: boolean;
  /** Each resource the request would take past its limit. */
  violations: QuotaViolationDto[];
}

export class QuotaReservationDto implements QuotaReservation {
  id: string;
  /** What it is for, e.g. `vm.create`. */
  kind: string;
  /** The task doing the work (`GET /api/v1/tasks/{id}`). */
  @ApiProperty({ type: String, nullable: true }) taskId: string | null;
  /** The change it stands for; negative parts shrink something and are given back on commit. */
  amounts: QuotaAmountsDto;
  description: string;
  /** ISO 8601 */
  createdAt: string;
  /** ISO 8601 */
  expiresAt: string;
}

export class QuotaReservationListDto {
  items: QuotaReservationDto[];
  total: number;
}

export class QuotaHistoryQueryDto {
  /** ISO 8601 start (default: 24 hours before `to`). */
  @IsOptional()
  @Transform(toDate)
  @IsDate({ message: 'from must be an ISO 8601 date-time' })
  from?: Date;

  /** ISO 8601 end (default: now). */
  @IsOptional()
  @Transform(toDate)
  @IsDate({ message: 'to must be an ISO 8601 date-time' })
  to?: Date;
}

export class QuotaHistoryPointDto implements QuotaHistoryPoint {
  /** ISO 8601; usage stays as shown until the next point. */
  at: string;
  committed: QuotaAmountsDto;
  held: QuotaAmountsDto;
}

export class QuotaHistoryDto implements QuotaHistory {
  /** Oldest first; the first is the state at `from`. At most 500. */
  points: QuotaHistoryPointDto[];
}
