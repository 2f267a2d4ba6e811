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

/** `POST /api/v1/api-tokens`. */
export interface CreateApiTokenRequest {
  name: string;
  /** ISO 8601 date in the future; omit for a token that does not expire. */
  expiresAt?: string;
}

/** An API token as lists show it (never the secret). */
export interface ApiToken {
  id: string;
  name: string;
  /** The first characters of the token, to recognise it in lists. */
  prefix: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

/** The answer to creating a token: the only time the secret is shown. */
export interface CreatedApiToken extends ApiToken {
  token: string;
}
