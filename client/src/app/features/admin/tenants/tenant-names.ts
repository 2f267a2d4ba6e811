import { httpResource } from '@angular/common/http';
import { computed, Signal } from '@angular/core';
import type { Page, Tenant } from '@contracts/tenants';

/**
 * The tenants by id, for lists that show whose something is (the API gives ids only). Reads the first
 * 200 tenants, the most one page may hold; an unknown id shows as the id itself. Reads nothing while
 * `wanted` is false (a list that hides its tenant column).
 */
export function tenantNames(wanted: () => boolean = () => true): Signal<ReadonlyMap<string, Tenant>> {
  const tenants = httpResource<Page<Tenant>>(() => (wanted() ? { url: '/api/v1/admin/tenants', params: { limit: 200 } } : undefined));
  return computed(() => new Map((tenants.hasValue() ? tenants.value().items : []).map((tenant) => [tenant.id, tenant])));
}
