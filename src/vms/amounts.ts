import { QuotaLimits } from '../contracts/tenants';

export const NOTHING: QuotaLimits = Object.freeze({ vcpu: 0, memoryMiB: 0, storageGiB: 0, vms: 0 });

export function addAmounts(a: QuotaLimits, b: QuotaLimits): QuotaLimits {
  return { vcpu: a.vcpu + b.vcpu, memoryMiB: a.memoryMiB + b.memoryMiB, storageGiB: a.storageGiB + b.storageGiB, vms: a.vms + b.vms };
}

export function negate(a: QuotaLimits): QuotaLimits {
  return { vcpu: -a.vcpu, memoryMiB: -a.memoryMiB, storageGiB: -a.storageGiB, vms: -a.vms };
}
