import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { TENANT_USER_DELETED, TenantUserDeletedEvent } from '../common/auth/auth-events';
import { PasswordHasher } from '../common/auth/password-hasher';
import { AppException } from '../common/errors/app-exception';
import { isDuplicateKeyError } from '../common/errors/duplicate-key';
import { PaginationQueryDto, literalPattern } from '../common/http/pagination.dto';
import { ErrorCode } from '../contracts/error-code';
import { CreateTenantUserDto, TenantUserDto, TenantUserPageDto } from './tenant.dto';
import { TenantDocument, TenantRecord, TenantUserDocument, TenantUserRecord } from './tenant.schemas';

export interface TenantMember {
  user: TenantUserDocument;
  tenant: TenantDocument;
}

/** Users of one tenant. Every method takes the tenant id first: no query here can cross tenants. */
@Injectable()
export class TenantUsersService {
  constructor(
    @InjectModel(TenantUserRecord.name) private readonly users: Model<TenantUserRecord>,
    @InjectModel(TenantRecord.name) private readonly tenants: Model<TenantRecord>,
    private readonly hasher: PasswordHasher,
    private readonly events: EventEmitter2,
  ) {}

  async create(tenantId: string, input: CreateTenantUserDto): Promise<TenantUserDto> {
    await this.tenantOrFail(tenantId);
    try {
      const user = await this.users.create({
        tenantId: new Types.ObjectId(tenantId),
        email: input.email,
        passwordHash: await this.hasher.hash(input.password),
        role: input.role,
      });
      return mapUser(user);
    } catch (error) {
      if (isDuplicateKeyError(error)) throw AppException.conflict(`A user with email '${input.email}' already exists in this tenant`);
      throw error;
    }
  }

  async list(tenantId: string, query: PaginationQueryDto): Promise<TenantUserPageDto> {
    await this.tenantOrFail(tenantId);
    const filter = { tenantId: new Types.ObjectId(tenantId), ...(query.q ? { email: literalPattern(query.q) } : {}) };
    const [users, total] = await Promise.all([
      this.users.find(filter).sort({ email: 1 }).skip(query.offset).limit(query.limit),
      this.users.countDocuments(filter),
    ]);
    return { items: users.map(mapUser), total };
  }

  /** A tenant always keeps at least one owner, so someone can still manage it. */
  async remove(tenantId: string, userId: string): Promise<void> {
    const user = await this.users.findOne({ _id: userId, tenantId: new Types.ObjectId(tenantId) });
    if (!user) throw AppException.notFound('User');
    if (user.role === 'owner') {
      const owners = await this.users.countDocuments({ tenantId: user.tenantId, role: 'owner' });
      if (owners <= 1) throw AppException.conflict('Cannot remove the last owner of a tenant', ErrorCode.LastOwner);
    }
    await this.users.deleteOne({ _id: user._id });
    await this.events.emitAsync(TENANT_USER_DELETED, { tenantId, userId } satisfies TenantUserDeletedEvent);
  }

  async removeAllOf(tenantId: string): Promise<void> {
    await this.users.deleteMany({ tenantId: new Types.ObjectId(tenantId) });
  }

  /** The member behind valid credentials, or null; takes the same time whether or not the account exists. */
  async verifyCredentials(tenantSlug: string, email: string, password: string): Promise<TenantMember | null> {
    const tenant = await this.tenants.findOne({ slug: tenantSlug });
    const user = tenant ? await this.users.findOne({ tenantId: tenant._id, email }) : null;
    if (!tenant || !user) return this.hasher.verifyAgainstDecoy(password).then(() => null);
    return (await this.hasher.verify(user.passwordHash, password)) ? { user, tenant } : null;
  }

  async findMember(tenantId: string, userId: string): Promise<TenantMember | null> {
    if (!Types.ObjectId.isValid(tenantId) || !Types.ObjectId.isValid(userId)) return null;
    const [tenant, user] = await Promise.all([
      this.tenants.findById(tenantId),
      this.users.findOne({ _id: userId, tenantId: new Types.ObjectId(tenantId) }),
    ]);
    return tenant && user ? { user, tenant } : null;
  }

  private async tenantOrFail(tenantId: string): Promise<void> {
    if (!(await this.tenants.exists({ _id: tenantId }))) throw AppException.notFound('Tenant');
  }
}

function mapUser(user: TenantUserDocument): TenantUserDto {
  return { id: user.id as string, email: user.email, role: user.role, createdAt: user.createdAt.toISOString() };
}
