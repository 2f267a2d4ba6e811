import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model } from 'mongoose';
import { TENANT_DELETED, TenantDeletedEvent } from '../common/auth/auth-events';
import { AppException } from '../common/errors/app-exception';
import { isDuplicateKeyError } from '../common/errors/duplicate-key';
import { literalPattern, PaginationQueryDto } from '../common/http/pagination.dto';
import { ErrorCode } from '../contracts/error-code';
import { QuotaLimits } from '../contracts/tenants';
import { QuotasService } from '../quotas/quotas.service';
import { TenantRecord, TenantDocument } from './tenant.schemas';
import { CreateTenantDto, TenantDto, TenantPageDto, UpdateTenantDto } from './tenant.dto';
import { TenantUsersService } from './tenant-users.service';

@Injectable()
export class TenantsService {
  constructor(
    @InjectModel(TenantRecord.name) private readonly tenants: Model<TenantRecord>,
    private readonly users: TenantUsersService,
    private readonly quotas: QuotasService,
    private readonly events: EventEmitter2,
  ) {}

  async create(input: CreateTenantDto, limits?: QuotaLimits): Promise<TenantDto> {
    let tenant: TenantDocument;
    try {
      tenant = await this.tenants.create({ slug: input.slug, name: input.name, status: 'active' });
    } catch (error) {
      if (isDuplicateKeyError(error)) throw AppException.conflict(`Tenant slug '${input.slug}' is already taken`);
      throw error;
    }
    try {
      return mapTenant(tenant, await this.quotas.initTenant(tenant.id, limits));
    } catch (error) {
      await this.tenants.deleteOne({ _id: tenant._id });
      throw error;
    }
  }

  async list(query: PaginationQueryDto): Promise<TenantPageDto> {
    const filter: FilterQuery<TenantRecord> = query.q ? { $or: [{ slug: literalPattern(query.q) }, { name: literalPattern(query.q) }] } : {};
    const [records, total] = await Promise.all([
      this.tenants.find(filter).sort({ slug: 1 }).skip(query.offset).limit(query.limit),
      this.tenants.countDocuments(filter),
    ]);
    const limits = await this.quotas.getLimitsOf(records.map((r) => r.id as string));
    return { items: records.map((r) => mapTenant(r, limits.get(r.id)!)), total };
  }

  async get(id: string): Promise<TenantDto> {
    const tenant = await this.findOrFail(id);
    return mapTenant(tenant, await this.quotas.getLimits(id));
  }

  async findBySlug(slug: string): Promise<TenantDocument | null> {
    return this.tenants.findOne({ slug });
  }

  async findById(id: string): Promise<TenantDocument | null> {
    return this.tenants.findById(id);
  }

  async update(id: string, input: UpdateTenantDto): Promise<TenantDto> {
    const tenant = await this.tenants.findByIdAndUpdate(id, { $set: input }, { new: true });
    if (!tenant) throw AppException.notFound('Tenant');
    return mapTenant(tenant, await this.quotas.getLimits(id));
  }

  /** Users and limits go with the tenant; anything that consumes quota must be removed first. */
  async remove(id: string): Promise<void> {
    await this.findOrFail(id);
    if (await this.quotas.hasUsage(id)) {
      throw AppException.conflict('Tenant still owns resources (VMs, disks or pending reservations): remove them first', ErrorCode.TenantHasResources);
    }
    await this.tenants.deleteOne({ _id: id });
    await Promise.all([this.users.removeAllOf(id), this.quotas.removeTenant(id)]);
    await this.events.emitAsync(TENANT_DELETED, { tenantId: id } satisfies TenantDeletedEvent);
  }

  async findOrFail(id: string): Promise<TenantDocument> {
    const tenant = await this.tenants.findById(id);
    if (!tenant) throw AppException.notFound('Tenant');
    return tenant;
  }
}

function mapTenant(tenant: TenantDocument, limits: QuotaLimits): TenantDto {
  return {
    id: tenant.id as string,
    slug: tenant.slug,
    name: tenant.name,
    status: tenant.status,
    limits,
    createdAt: tenant.createdAt.toISOString(),
  };
}
