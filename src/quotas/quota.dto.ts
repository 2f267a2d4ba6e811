import { IsInt, Max, Min } from 'class-validator';
import { QuotaLimits } from '../contracts/tenants';

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

export class QuotaUsageDto implements QuotaLimits {
  vcpu: number;
  memoryMiB: number;
  storageGiB: number;
  vms: number;
}

export class QuotaDto {
  limits: QuotaLimitsDto;
  /** Committed plus held resources. */
  usage: QuotaUsageDto;
}
