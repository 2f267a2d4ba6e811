export type Scope = 'admin' | 'tenant';
export type AdminRole = 'admin';
export type TenantRole = 'owner' | 'member' | 'viewer';
export const TENANT_ROLES: readonly TenantRole[] = ['owner', 'member', 'viewer'];

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: 'Bearer';
}

export interface Me {
  id: string;
  email: string;
  scope: Scope;
  role: AdminRole | TenantRole;
  tenant?: { id: string; slug: string; name: string };
}
