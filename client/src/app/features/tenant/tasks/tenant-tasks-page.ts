import { ChangeDetectionStrategy, Component } from '@angular/core';
import { TaskList } from '../../../shared/task-list';

@Component({
  selector: 'app-tenant-tasks-page',
  imports: [TaskList],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <header class="page-header"><h1>Tasks</h1></header>
      <app-task-list endpoint="/api/v1/tasks" />
    </section>
  `,
})
export class TenantTasksPage {}
