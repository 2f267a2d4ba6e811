import { Types } from 'mongoose';
import { Scope } from '../contracts/auth';
import { TokenOwner } from './auth.schemas';

/** The stable identity a credential stands for; the full principal is looked up on each use. */
export interface PrincipalRef {
  scope: Scope;
  userId: string;
  tenantId?: string;
}

export function toTokenOwner(ref: PrincipalRef): TokenOwner {
  return {
    scope: ref.scope,
    userId: new Types.ObjectId(ref.userId),
    ...(ref.tenantId ? { tenantId: new Types.ObjectId(ref.tenantId) } : {}),
  };
}

export function fromTokenOwner(owner: TokenOwner): PrincipalRef {
  return { scope: owner.scope, userId: owner.userId.toHexString(), tenantId: owner.tenantId?.toHexString() };
}
