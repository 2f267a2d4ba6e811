import { Routes } from '@angular/router';
import { NavItem, Shell } from '../../core/shell';
import { NotFoundPage } from '../../shared/not-found-page';
import { TenantDashboardPage } from './dashboard/tenant-dashboard-page';
import { TenantTasksPage } from './tasks/tenant-tasks-page';

const NAV: NavItem[] = [
  { label: 'Dashboard', icon: 'dashboard', link: '/' },
  { label: 'Tasks', icon: 'task_alt', link: '/tasks' },
];

export const TENANT_ROUTES: Routes = [
  {
    path: '',
    component: Shell,
    data: { items: NAV, subtitle: '' },
    children: [
      { path: '', pathMatch: 'full', component: TenantDashboardPage, title: 'Dashboard · OpenHVX' },
      { path: 'tasks', component: TenantTasksPage, title: 'Tasks · OpenHVX' },
      { path: '**', component: NotFoundPage, title: 'Not found · OpenHVX' },
    ],
  },
];
