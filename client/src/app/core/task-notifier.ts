import { inject, Injectable } from '@angular/core';
import { MatSnackBar } from '@angular/material/snack-bar';
import { FINISHED_TASK_STATUSES, Task } from '@contracts/tasks';
import { LiveEvents } from './live-events';
import { taskTitle } from './labels';

/** Raises a notification whenever a task of the signed-in user's view finishes. */
@Injectable({ providedIn: 'root' })
export class TaskNotifier {
  private readonly snackBar = inject(MatSnackBar);
  private readonly notified = new Set<string>();

  constructor() {
    inject(LiveEvents)
      .of<Task>('task.updated')
      .subscribe((task) => {
        if (!FINISHED_TASK_STATUSES.includes(task.status) || this.notified.has(task.id)) return;
        this.notified.add(task.id);
        const outcome = task.status === 'failed' ? `failed: ${task.error?.message ?? 'unknown error'}` : task.status;
        this.snackBar.open(`${taskTitle(task)} ${outcome}`, 'Dismiss', { duration: task.status === 'failed' ? 10_000 : 5_000 });
      });
  }
}
