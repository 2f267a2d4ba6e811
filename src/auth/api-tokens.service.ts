import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { Principal } from '../common/auth/principal';
import { AppException } from '../common/errors/app-exception';
import { ErrorCode } from '../contracts/error-code';
import { ApiTokenDocument, ApiTokenRecord } from './auth.schemas';
import { ApiTokenDto, CreateApiTokenDto, CreatedApiTokenDto } from './auth.dto';
import { fromTokenOwner, PrincipalRef, toTokenOwner } from './principal-ref';
import { hashTokenSecret, newTokenSecret } from './token-secret';

/** API tokens start with this, so the auth guard tells them from JWTs without trying both. */
export const API_TOKEN_PREFIX = 'ohx_';
const SHOWN_PREFIX_LENGTH = 12;
/** Writing lastUsedAt on every request would turn reads into writes; minute precision is plenty. */
const LAST_USED_PRECISION_MS = 60_000;

@Injectable()
export class ApiTokensService {
  constructor(@InjectModel(ApiTokenRecord.name) private readonly tokens: Model<ApiTokenRecord>) {}

  async create(owner: Principal, input: CreateApiTokenDto): Promise<CreatedApiTokenDto> {
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
    if (expiresAt && expiresAt.getTime() <= Date.now()) {
      throw new AppException(HttpStatus.BAD_REQUEST, ErrorCode.ValidationFailed, 'expiresAt must be in the future', [
        { field: 'expiresAt', errors: ['expiresAt must be in the future'] },
      ]);
    }
    const token = newTokenSecret(API_TOKEN_PREFIX);
    const record = await this.tokens.create({
      name: input.name,
      prefix: token.slice(0, SHOWN_PREFIX_LENGTH),
      tokenHash: hashTokenSecret(token),
      owner: toTokenOwner(refOf(owner)),
      expiresAt,
    });
    return { ...mapApiToken(record), token };
  }

  async list(owner: Principal): Promise<ApiTokenDto[]> {
    const tokens = await this.tokens.find(ownedBy(owner)).sort({ createdAt: -1 });
    return tokens.map(mapApiToken);
  }

  async revoke(owner: Principal, id: string): Promise<void> {
    const { deletedCount } = await this.tokens.deleteOne({ _id: id, ...ownedBy(owner) });
    if (deletedCount === 0) throw AppException.notFound('API token');
  }

  /** The principal reference behind a live token, or null (unknown, revoked or expired). */
  async authenticate(token: string): Promise<PrincipalRef | null> {
    const record = await this.tokens.findOne({ tokenHash: hashTokenSecret(token) });
    const now = Date.now();
    if (!record || (record.expiresAt && record.expiresAt.getTime() <= now)) return null;
    if (!record.lastUsedAt || now - record.lastUsedAt.getTime() > LAST_USED_PRECISION_MS) {
      await this.tokens.updateOne({ _id: record._id }, { $set: { lastUsedAt: new Date(now) } });
    }
    return fromTokenOwner(record.owner);
  }

  async removeOwnedBy(filter: { userId?: string; tenantId?: string }): Promise<void> {
    if (filter.userId) await this.tokens.deleteMany({ 'owner.userId': new Types.ObjectId(filter.userId) });
    if (filter.tenantId) await this.tokens.deleteMany({ 'owner.tenantId': new Types.ObjectId(filter.tenantId) });
  }
}

function refOf(principal: Principal): PrincipalRef {
  return { scope: principal.scope, userId: principal.id, tenantId: principal.tenant?.id };
}

function ownedBy(principal: Principal) {
  return { 'owner.scope': principal.scope, 'owner.userId': new Types.ObjectId(principal.id) };
}

function mapApiToken(token: ApiTokenDocument): ApiTokenDto {
  return {
    id: token.id as string,
    name: token.name,
    prefix: token.prefix,
    expiresAt: token.expiresAt?.toISOString() ?? null,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    createdAt: token.createdAt.toISOString(),
  };
}
