import { randomBytes } from 'node:crypto';
import type TestAgent from 'supertest/lib/agent';
import { TenantRole } from '../../src/contracts/auth';
import { ADMIN_EMAIL, ADMIN_PASSWORD, USER_PASSWORD } from './test-app';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

export interface TenantActor extends TokenPair {
  tenantId: string;
  slug: string;
  userId: string;
  email: string;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export function uniqueSlug(prefix = 't'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export async function loginAdmin(http: TestAgent): Promise<TokenPair> {
  const response = await http.post('/api/v1/auth/admin/login').send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }).expect(200);
  return response.body as TokenPair;
}

export async function createTenant(http: TestAgent, adminToken: string, slug = uniqueSlug()): Promise<{ id: string; slug: string }> {
  const response = await http.post('/api/v1/admin/tenants').set(bearer(adminToken)).send({ slug, name: `Tenant ${slug}` }).expect(201);
  return response.body as { id: string; slug: string };
}

export async function addUser(http: TestAgent, adminToken: string, tenantId: string, role: TenantRole, email?: string): Promise<{ id: string; email: string }> {
  const response = await http
    .post(`/api/v1/admin/tenants/${tenantId}/users`)
    .set(bearer(adminToken))
    .send({ email: email ?? `${role}-${randomBytes(3).toString('hex')}@example.com`, password: USER_PASSWORD, role })
    .expect(201);
  return response.body as { id: string; email: string };
}

export async function loginTenant(http: TestAgent, slug: string, email: string, password = USER_PASSWORD): Promise<TokenPair> {
  const response = await http.post('/api/v1/auth/tenant/login').send({ tenant: slug, email, password }).expect(200);
  return response.body as TokenPair;
}

/** A new tenant with one user of the given role, logged in. */
export async function tenantActor(http: TestAgent, adminToken: string, role: TenantRole = 'owner'): Promise<TenantActor> {
  const tenant = await createTenant(http, adminToken);
  const user = await addUser(http, adminToken, tenant.id, role);
  const tokens = await loginTenant(http, tenant.slug, user.email);
  return { ...tokens, tenantId: tenant.id, slug: tenant.slug, userId: user.id, email: user.email };
}

/** Another user with the given role in an existing tenant, logged in. */
export async function memberOf(http: TestAgent, adminToken: string, tenant: { tenantId: string; slug: string }, role: TenantRole): Promise<TenantActor> {
  const user = await addUser(http, adminToken, tenant.tenantId, role);
  const tokens = await loginTenant(http, tenant.slug, user.email);
  return { ...tokens, tenantId: tenant.tenantId, slug: tenant.slug, userId: user.id, email: user.email };
}
