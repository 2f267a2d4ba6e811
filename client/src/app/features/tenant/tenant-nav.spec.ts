import { TestBed } from '@angular/core/testing';
import type { ActivatedRouteSnapshot, RouterStateSnapshot } from '@angular/router';
import type { TenantRole } from '@contracts/auth';
import { NavItem } from '../../core/shell';
import { FakeLiveEvents } from './testing/fake-live-events';
import { tenantProviders } from './testing/tenant-test-bed';
import { tenantNav, tenantSubtitle } from './tenant-nav';

function visibleNav(role: TenantRole): string[] {
  TestBed.configureTestingModule({ providers: tenantProviders(new FakeLiveEvents(), role) });
  const items = TestBed.runInInjectionContext(() => tenantNav({} as ActivatedRouteSnapshot, {} as RouterStateSnapshot)) as NavItem[];
  return items.filter((item) => item.visible?.() ?? true).map((item) => item.label);
}

describe('tenant navigation', () => {
  it('shows Users to owners only', () => {
    expect(visibleNav('owner')).toEqual(['Dashboard', 'VMs', 'Tasks', 'API tokens', 'Users']);
  });

  it('hides Users from members and viewers', () => {
    expect(visibleNav('viewer')).toEqual(['Dashboard', 'VMs', 'Tasks', 'API tokens']);
  });

  it("names the tenant beside the product's name", () => {
    TestBed.configureTestingModule({ providers: tenantProviders(new FakeLiveEvents()) });
    expect(TestBed.runInInjectionContext(() => tenantSubtitle({} as ActivatedRouteSnapshot, {} as RouterStateSnapshot))).toBe('Acme');
  });
});
