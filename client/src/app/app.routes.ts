import { Routes } from '@angular/router';
import { LoginPage } from './features/auth/login-page';
import { areaGuard } from './core/area.guard';

export const routes: Routes = [
  { path: 'admin/login', component: LoginPage, data: { area: 'admin' }, title: 'Administrator sign-in · OpenHVX' },
  { path: 'login', component: LoginPage, data: { area: 'tenant' }, title: 'Sign in · OpenHVX' },
  { path: 'admin', canActivate: [areaGuard('admin')], loadChildren: () => import('./features/admin/admin.routes').then((m) => m.ADMIN_ROUTES) },
  { path: '', canActivate: [areaGuard('tenant')], loadChildren: () => import('./features/tenant/tenant.routes').then((m) => m.TENANT_ROUTES) },
];
