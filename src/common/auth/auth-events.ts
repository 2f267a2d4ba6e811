/** Events other modules react to; payloads carry ids only. */
export const TENANT_DELETED = 'tenant.deleted';
export const TENANT_USER_DELETED = 'tenant-user.deleted';

export interface TenantDeletedEvent {
  tenantId: string;
}

export interface TenantUserDeletedEvent {
  tenantId: string;
  userId: string;
}
