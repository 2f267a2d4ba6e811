import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { Task } from '@contracts/tasks';
import { taskTitle } from '../../../core/labels';

/** The VM's current task while it runs, with its latest step; a failure stays shown until the next task. */
@Component({
  selector: 'app-vm-task-progress',
  imports: [MatProgressBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (task(); as task) {
      @if (task.status === 'queued' || task.status === 'running') {
        <div class="progress" role="status">
          <div class="line">
            <span>{{ title() }}: {{ task.status === 'queued' ? 'waiting to start' : task.progress + '%' }}</span>
            <span class="muted">{{ task.steps.at(-1)?.message ?? '' }}</span>
          </div>
          <mat-progress-bar [mode]="task.status === 'queued' ? 'indeterminate' : 'determinate'" [value]="task.progress" [attr.aria-label]="title() + ' progress'" />
        </div>
      } @else if (task.status === 'failed') {
        <p class="error-text" role="alert">{{ title() }} failed: {{ task.error?.message ?? 'unknown error' }}</p>
      }
    }
  `,
  styles: `
    .progress {
      margin: 8px 0 16px;
    }
    .line {
      display: flex;
      justify-content: space-between;
      gap: 16px;
      flex-wrap: wrap;
      margin-bottom: 4px;
    }
  `,
})
export class VmTaskProgress {
  readonly task = input<Task | null>(null);
  protected readonly title = computed(() => {
    const task = this.task();
    return task ? taskTitle(task) : '';
  });
}
