import type { QuotaResource, QuotaViolation } from '@contracts/quotas';
import { formatMiB } from '../../core/labels';

export const QUOTA_RESOURCE_LABELS: Readonly<Record<QuotaResource, string>> = {
  vcpu: 'vCPU',
  memoryMiB: 'Memory',
  storageGiB: 'Storage',
  vms: 'VMs',
};

/** An amount of one resource with its unit: `4 GiB` of memory, `80 GiB` of storage, `2` vCPU. */
export function formatQuotaAmount(resource: QuotaResource, value: number): string {
  if (resource === 'memoryMiB') return formatMiB(value);
  if (resource === 'storageGiB') return `${value} GiB`;
  return String(value);
}

/** `vCPU: 6 requested, 2 of 4 used`. */
export function describeViolation(violation: QuotaViolation): string {
  const amount = (value: number) => formatQuotaAmount(violation.resource, value);
  return `${QUOTA_RESOURCE_LABELS[violation.resource]}: ${amount(violation.requested)} requested, ${amount(violation.used)} of ${amount(violation.limit)} used`;
}
