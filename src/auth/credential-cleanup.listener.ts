import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { TENANT_DELETED, TENANT_USER_DELETED, TenantDeletedEvent, TenantUserDeletedEvent } from '../common/auth/auth-events';
import { ApiTokensService } from './api-tokens.service';
import { RefreshTokensService } from './refresh-tokens.service';

/** Credentials of deleted users and tenants are already refused at use; this removes the records. */
@Injectable()
export class CredentialCleanupListener {
  constructor(
    private readonly apiTokens: ApiTokensService,
    private readonly refreshTokens: RefreshTokensService,
  ) {}

  @OnEvent(TENANT_DELETED, { promisify: true })
  async onTenantDeleted({ tenantId }: TenantDeletedEvent): Promise<void> {
    await Promise.all([this.apiTokens.removeOwnedBy({ tenantId }), this.refreshTokens.removeOwnedBy({ tenantId })]);
  }

  @OnEvent(TENANT_USER_DELETED, { promisify: true })
  async onUserDeleted({ userId }: TenantUserDeletedEvent): Promise<void> {
    await Promise.all([this.apiTokens.removeOwnedBy({ userId }), this.refreshTokens.removeOwnedBy({ userId })]);
  }
}
