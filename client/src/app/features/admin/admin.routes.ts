import { Routes } from '@angular/router';
import { NavItem, Shell } from '../../core/shell';
import { NotFoundPage } from '../../shared/not-found-page';
import { AdminDashboardPage } from './dashboard/admin-dashboard-page';
import { AdminTasksPage } from './tasks/admin-tasks-page';

const NAV: NavItem[] = [
  { label: 'Dashboard', icon: 'dashboard', link: '/admin' },
  { label: 'Tasks', icon: 'task_alt', link: '/admin/tasks' },
];

export const ADMIN_ROUTES: Routes = [
  {
    path: '',
    component: Shell,
    data: { items: NAV, subtitle: 'Administration' },
    children: [
      { path: '', pathMatch: 'full', component: AdminDashboardPage, title: 'Dashboard · OpenHVX admin' },
      { path: 'tasks', component: AdminTasksPage, title: 'Tasks · OpenHVX admin' },
      { path: '**', component: NotFoundPage, title: 'Not found · OpenHVX' },
    ],
  },
];
