import { inject } from '@angular/core';
import { ResolveFn } from '@angular/router';
import { NavItem } from '../../core/shell';
import { Session } from '../../core/session';

/** The tenant area's navigation; resolved so that owner-only items can read the session. */
export const tenantNav: ResolveFn<NavItem[]> = () => {
  const session = inject(Session);
  return [
    { label: 'Dashboard', icon: 'dashboard', link: '/' },
    { label: 'VMs', icon: 'dns', link: '/vms' },
    { label: 'Tasks', icon: 'task_alt', link: '/tasks' },
    { label: 'API tokens', icon: 'key', link: '/api-tokens' },
    { label: 'Users', icon: 'group', link: '/users', visible: () => session.me()?.role === 'owner' },
  ];
};

/** The tenant's name beside the product name. */
export const tenantSubtitle: ResolveFn<string> = () => inject(Session).me()?.tenant?.name ?? '';
