/** A tenant's quota usage or limits changed (a ledger entry was appended, or the limits were set). */
export const QUOTA_CHANGED = 'quota.changed';

export interface QuotaChangedEvent {
  tenantId: string;
}
