import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { QuotaLimits } from '../contracts/tenants';
import { AppException } from '../common/errors/app-exception';
import { QuotaAmounts, QuotaLedgerEntry, QuotaLimitsRecord } from './quota.schemas';

/** What a new tenant may use until an operator says otherwise: room for a couple of small VMs. */
export const DEFAULT_TENANT_LIMITS: QuotaLimits = Object.freeze({ vcpu: 8, memoryMiB: 16_384, storageGiB: 200, vms: 5 });

const ZERO: QuotaLimits = Object.freeze({ vcpu: 0, memoryMiB: 0, storageGiB: 0, vms: 0 });

@Injectable()
export class QuotasService {
  constructor(
    @InjectModel(QuotaLimitsRecord.name) private readonly limitsModel: Model<QuotaLimitsRecord>,
    @InjectModel(QuotaLedgerEntry.name) private readonly ledgerModel: Model<QuotaLedgerEntry>,
  ) {}

  async initTenant(tenantId: string, limits: QuotaLimits = DEFAULT_TENANT_LIMITS): Promise<QuotaLimits> {
    await this.limitsModel.create({ tenantId: new Types.ObjectId(tenantId), limits });
    return { ...limits };
  }

  async getLimits(tenantId: string): Promise<QuotaLimits> {
    const record = await this.limitsModel.findOne({ tenantId: new Types.ObjectId(tenantId) }).lean();
    if (!record) throw AppException.notFound('Tenant');
    return pickAmounts(record.limits);
  }

  /** Limits of many tenants at once, for list pages; tenants without a record get zeros. */
  async getLimitsOf(tenantIds: string[]): Promise<Map<string, QuotaLimits>> {
    const records = await this.limitsModel.find({ tenantId: { $in: tenantIds.map((id) => new Types.ObjectId(id)) } }).lean();
    const byTenant = new Map(records.map((r) => [r.tenantId.toHexString(), pickAmounts(r.limits)]));
    return new Map(tenantIds.map((id) => [id, byTenant.get(id) ?? { ...ZERO }]));
  }

  /** Lowering a limit below current usage is allowed: existing resources stay, new requests are refused. */
  async setLimits(tenantId: string, limits: QuotaLimits): Promise<QuotaLimits> {
    const updated = await this.limitsModel
      .findOneAndUpdate({ tenantId: new Types.ObjectId(tenantId) }, { $set: { limits: pickAmounts(limits) } }, { new: true })
      .lean();
    if (!updated) throw AppException.notFound('Tenant');
    return pickAmounts(updated.limits);
  }

  /** Committed plus held usage, from the latest ledger entry (all zero before the first change). */
  async getUsage(tenantId: string): Promise<QuotaLimits> {
    const latest = await this.ledgerModel.findOne({ tenantId: new Types.ObjectId(tenantId) }).sort({ seq: -1 }).lean();
    if (!latest) return { ...ZERO };
    return sumAmounts(latest.committed, latest.held);
  }

  async hasUsage(tenantId: string): Promise<boolean> {
    return Object.values(await this.getUsage(tenantId)).some((amount) => amount > 0);
  }

  async removeTenant(tenantId: string): Promise<void> {
    const id = new Types.ObjectId(tenantId);
    await Promise.all([this.limitsModel.deleteOne({ tenantId: id }), this.ledgerModel.deleteMany({ tenantId: id })]);
  }
}

function pickAmounts(amounts: QuotaAmounts): QuotaLimits {
  return { vcpu: amounts.vcpu, memoryMiB: amounts.memoryMiB, storageGiB: amounts.storageGiB, vms: amounts.vms };
}

function sumAmounts(a: QuotaAmounts, b: QuotaAmounts): QuotaLimits {
  return { vcpu: a.vcpu + b.vcpu, memoryMiB: a.memoryMiB + b.memoryMiB, storageGiB: a.storageGiB + b.storageGiB, vms: a.vms + b.vms };
}
