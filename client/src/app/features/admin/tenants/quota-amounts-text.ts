import type { QuotaAmounts } from '@contracts/quotas';
import { formatMiB } from '../../../core/labels';

/** `+2 vCPU · +4 GiB · +20 GiB disk · +1 VM`, leaving out the parts that are 0. */
export function quotaAmountsText(amounts: QuotaAmounts): string {
  const sign = (value: number) => (value > 0 ? '+' : '−');
  const parts = [
    amounts.vcpu && `${sign(amounts.vcpu)}${Math.abs(amounts.vcpu)} vCPU`,
    amounts.memoryMiB && `${sign(amounts.memoryMiB)}${formatMiB(Math.abs(amounts.memoryMiB))} memory`,
    amounts.storageGiB && `${sign(amounts.storageGiB)}${Math.abs(amounts.storageGiB)} GiB storage`,
    amounts.vms && `${sign(amounts.vms)}${Math.abs(amounts.vms)} VM${Math.abs(amounts.vms) === 1 ? '' : 's'}`,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : 'nothing';
}
