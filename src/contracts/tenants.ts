import { TenantRole } from './auth';
import { QuotaLimits } from './quotas';

export type { QuotaLimits } from './quotas';

export type TenantStatus = 'active' | 'suspended';
export const TENANT_STATUSES: readonly TenantStatus[] = ['active', 'suspended'];

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  status: TenantStatus;
  limits: QuotaLimits;
  createdAt: string;
}

/** `POST /api/v1/admin/tenants`: the tenant starts with the default quota. */
export interface CreateTenantRequest {
  /** Lowercase letters, digits and dashes, 2–40 characters; used at login. */
  slug: string;
  name: string;
}

/** `PATCH /api/v1/admin/tenants/:id`: suspending locks every user of the tenant out at once. */
export interface UpdateTenantRequest {
  name?: string;
  status?: TenantStatus;
}

export interface TenantUser {
  id: string;
  email: string;
  role: TenantRole;
  createdAt: string;
}

/** `POST /api/v1/users` (and the admin's `POST /api/v1/admin/tenants/:id/users`). */
export interface CreateTenantUserRequest {
  email: string;
  /** At least 12 characters. */
  password: string;
  role: TenantRole;
}

export interface Page<T> {
  items: T[];
  total: number;
}
