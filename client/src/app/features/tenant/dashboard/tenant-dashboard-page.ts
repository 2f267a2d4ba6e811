import { ChangeDetectionStrategy, Component } from '@angular/core';

@Component({
  selector: 'app-tenant-dashboard-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <header class="page-header"><h1>Dashboard</h1></header>
    </section>
  `,
})
export class TenantDashboardPage {}
