import { Connection, Types } from 'mongoose';
import { QuotaLimits } from '../../src/contracts/tenants';

const NONE: QuotaLimits = { vcpu: 0, memoryMiB: 0, storageGiB: 0, vms: 0 };

/**
 * Writes the ledger entry a finished VM create leaves behind, so tests can give a tenant usage before
 * VMs exist as an API.
 */
export async function recordUsage(connection: Connection, tenantId: string, committed: QuotaLimits, held: QuotaLimits = NONE): Promise<void> {
  await connection.collection('quota_ledger').insertOne({
    tenantId: new Types.ObjectId(tenantId),
    seq: 1,
    committed,
    held,
    reason: 'vm.create',
    createdAt: new Date(),
  });
}
