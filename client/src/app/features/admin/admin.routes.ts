import { Routes } from '@angular/router';
import { NavItem, Shell } from '../../core/shell';
import { NotFoundPage } from '../../shared/not-found-page';
import { AuditPage } from './audit/audit-page';
import { AdminDashboardPage } from './dashboard/admin-dashboard-page';
import { HostDetailPage } from './hosts/host-detail-page';
import { HostListPage } from './hosts/host-list-page';
import { ImageListPage } from './images/image-list-page';
import { AdminTaskPage } from './tasks/admin-task-page';
import { AdminTasksPage } from './tasks/admin-tasks-page';
import { TenantDetailPage } from './tenants/tenant-detail-page';
import { TenantListPage } from './tenants/tenant-list-page';
import { UnmanagedVmListPage } from './unmanaged-vms/unmanaged-vm-list-page';
import { AdminVmListPage } from './vms/admin-vm-list-page';

const NAV: NavItem[] = [
  { label: 'Dashboard', icon: 'dashboard', link: '/admin' },
  { label: 'Tenants', icon: 'apartment', link: '/admin/tenants' },
  { label: 'Hosts', icon: 'dns', link: '/admin/hosts' },
  { label: 'VMs', icon: 'computer', link: '/admin/vms' },
  { label: 'Unmanaged VMs', icon: 'device_unknown', link: '/admin/unmanaged-vms' },
  { label: 'Images', icon: 'album', link: '/admin/images' },
  { label: 'Tasks', icon: 'task_alt', link: '/admin/tasks' },
  { label: 'Audit log', icon: 'policy', link: '/admin/audit' },
];

export const ADMIN_ROUTES: Routes = [
  {
    path: '',
    component: Shell,
    data: { items: NAV, subtitle: 'Administration' },
    children: [
      { path: '', pathMatch: 'full', component: AdminDashboardPage, title: 'Dashboard · OpenHVX admin' },
      { path: 'tenants', component: TenantListPage, title: 'Tenants · OpenHVX admin' },
      // The page replaces this with the tenant's name once it has loaded.
      { path: 'tenants/:id', component: TenantDetailPage, title: 'Tenant · OpenHVX admin' },
      { path: 'hosts', component: HostListPage, title: 'Hosts · OpenHVX admin' },
      { path: 'hosts/:id', component: HostDetailPage, title: 'Host · OpenHVX admin' },
      { path: 'vms', component: AdminVmListPage, title: 'VMs · OpenHVX admin' },
      { path: 'unmanaged-vms', component: UnmanagedVmListPage, title: 'Unmanaged VMs · OpenHVX admin' },
      { path: 'images', component: ImageListPage, title: 'Images · OpenHVX admin' },
      { path: 'tasks', component: AdminTasksPage, title: 'Tasks · OpenHVX admin' },
      { path: 'tasks/:id', component: AdminTaskPage, title: 'Task · OpenHVX admin' },
      { path: 'audit', component: AuditPage, title: 'Audit log · OpenHVX admin' },
      { path: '**', component: NotFoundPage, title: 'Not found · OpenHVX' },
    ],
  },
];
