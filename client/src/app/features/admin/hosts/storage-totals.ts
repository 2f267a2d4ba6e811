import type { Host } from '@contracts/hosts';

/** A host's datastores added up, or null before its agent has reported any. */
export function storageTotals(host: Pick<Host, 'capacity'>): { totalGiB: number; freeGiB: number } | null {
  const storage = host.capacity?.storage ?? [];
  if (storage.length === 0) return null;
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    totalGiB: round(storage.reduce((sum, datastore) => sum + datastore.totalGiB, 0)),
    freeGiB: round(storage.reduce((sum, datastore) => sum + datastore.freeGiB, 0)),
  };
}
