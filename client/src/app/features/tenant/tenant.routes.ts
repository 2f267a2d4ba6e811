import { Routes } from '@angular/router';
import { Shell } from '../../core/shell';
import { NotFoundPage } from '../../shared/not-found-page';
import { ApiTokensPage } from './api-tokens/api-tokens-page';
import { TenantDashboardPage } from './dashboard/tenant-dashboard-page';
import { ownerGuard } from './owner.guard';
import { ProfilePage } from './profile/profile-page';
import { TenantTasksPage } from './tasks/tenant-tasks-page';
import { tenantNav, tenantSubtitle } from './tenant-nav';
import { TenantUsersPage } from './users/tenant-users-page';
import { VmCreatePage } from './vms/vm-create-page';
import { VmListPage } from './vms/vm-list-page';

export const TENANT_ROUTES: Routes = [
  {
    path: '',
    component: Shell,
    data: { profileLink: '/profile' },
    resolve: { items: tenantNav, subtitle: tenantSubtitle },
    children: [
      { path: '', pathMatch: 'full', component: TenantDashboardPage, title: 'Dashboard · OpenHVX' },
      { path: 'vms', component: VmListPage, title: 'VMs · OpenHVX' },
      { path: 'vms/new', component: VmCreatePage, title: 'Create VM · OpenHVX' },
      // The console's terminal (xterm) loads with the VM page only.
      { path: 'vms/:id', loadComponent: () => import('./vms/vm-detail-page').then((m) => m.VmDetailPage), title: 'VM · OpenHVX' },
      { path: 'tasks', component: TenantTasksPage, title: 'Tasks · OpenHVX' },
      { path: 'api-tokens', component: ApiTokensPage, title: 'API tokens · OpenHVX' },
      { path: 'users', component: TenantUsersPage, canActivate: [ownerGuard], title: 'Users · OpenHVX' },
      { path: 'profile', component: ProfilePage, title: 'Profile · OpenHVX' },
      { path: '**', component: NotFoundPage, title: 'Not found · OpenHVX' },
    ],
  },
];
