import { AdminRole, Scope, TenantRole } from '../../contracts/auth';

/** Who is calling, resolved fresh from the database on every request. */
export interface Principal {
  id: string;
  email: string;
  scope: Scope;
  role: AdminRole | TenantRole;
  tenant?: { id: string; slug: string; name: string };
}

export interface TenantPrincipal extends Principal {
  scope: 'tenant';
  role: TenantRole;
  tenant: { id: string; slug: string; name: string };
}
