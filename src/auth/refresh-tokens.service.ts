import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { randomUUID } from 'node:crypto';
import { Model, Types } from 'mongoose';
import { AppException } from '../common/errors/app-exception';
import { isDuplicateKeyError } from '../common/errors/duplicate-key';
import { ErrorCode } from '../contracts/error-code';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RefreshTokenRecord } from './auth.schemas';
import { fromTokenOwner, PrincipalRef, toTokenOwner } from './principal-ref';
import { hashTokenSecret, newTokenSecret } from './token-secret';

export interface UsableRefreshToken {
  id: string;
  familyId: string;
  ref: PrincipalRef;
}

const invalid = () => new AppException(HttpStatus.UNAUTHORIZED, ErrorCode.InvalidRefreshToken, 'Refresh token is invalid, expired or revoked');

/**
 * Refresh tokens rotate on every use and belong to a family started at login. Presenting a token
 * that was already rotated means it leaked: the whole family is revoked.
 */
@Injectable()
export class RefreshTokensService {
  constructor(
    @InjectModel(RefreshTokenRecord.name) private readonly tokens: Model<RefreshTokenRecord>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Starts a new family (a login), and drops the owner's expired tokens so the collection stays small. */
  async issue(ref: PrincipalRef): Promise<string> {
    await this.tokens.deleteMany({ 'owner.userId': new Types.ObjectId(ref.userId), expiresAt: { $lt: new Date() } });
    const familyId = randomUUID();
    return this.insert(ref, familyId, `root:${familyId}`);
  }

  /** The live token behind a secret, or 401 when it is unknown, expired or revoked. */
  async findUsable(secret: string): Promise<UsableRefreshToken> {
    const token = await this.tokens.findOne({ tokenHash: hashTokenSecret(secret) });
    if (!token || token.revokedAt || token.expiresAt.getTime() <= Date.now()) throw invalid();
    // A revocation may have raced with this token's creation; any revoked sibling revokes the family.
    if (await this.tokens.exists({ familyId: token.familyId, revokedAt: { $ne: null } })) throw invalid();
    return { id: token.id as string, familyId: token.familyId, ref: fromTokenOwner(token.owner) };
  }

  /** Consumes a token and returns its successor; a token that was already consumed revokes its family. */
  async rotate(current: UsableRefreshToken): Promise<string> {
    try {
      return await this.insert(current.ref, current.familyId, current.id);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      await this.revokeFamily(current.familyId);
      throw new AppException(HttpStatus.UNAUTHORIZED, ErrorCode.RefreshTokenReused, 'Refresh token was already used; all sessions from that login were revoked');
    }
  }

  /** Ends the session the token belongs to. Unknown tokens are refused; already revoked ones are fine. */
  async revoke(secret: string): Promise<void> {
    const token = await this.tokens.findOne({ tokenHash: hashTokenSecret(secret) });
    if (!token) throw invalid();
    await this.revokeFamily(token.familyId);
  }

  async removeOwnedBy(filter: { userId?: string; tenantId?: string }): Promise<void> {
    if (filter.userId) await this.tokens.deleteMany({ 'owner.userId': new Types.ObjectId(filter.userId) });
    if (filter.tenantId) await this.tokens.deleteMany({ 'owner.tenantId': new Types.ObjectId(filter.tenantId) });
  }

  private async insert(ref: PrincipalRef, familyId: string, parentKey: string): Promise<string> {
    const secret = newTokenSecret();
    await this.tokens.create({
      tokenHash: hashTokenSecret(secret),
      parentKey,
      familyId,
      owner: toTokenOwner(ref),
      expiresAt: new Date(Date.now() + this.config.auth.refreshTokenTtlSeconds * 1000),
    });
    return secret;
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.tokens.updateMany({ familyId, revokedAt: null }, { $set: { revokedAt: new Date() } });
  }
}
