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

export interface TenantUser {
  id: string;
  email: string;
  role: TenantRole;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  total: number;
}
