import { DatePipe } from '@angular/common';
import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatPaginatorModule } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import type { Page } from '@contracts/tenants';
import { Task, TASK_STATUSES, TaskStatus } from '@contracts/tasks';
import { LiveEvents } from '../core/live-events';
import { taskTitle } from '../core/labels';
import { LoadState } from './load-state';
import { StateChip } from './state-chip';
import { Paging } from './paging';

/**
 * Tasks, newest first, kept live: a task event reloads the page shown. `endpoint` is `/api/v1/tasks`
 * for a tenant or `/api/v1/admin/tasks` for an administrator.
 */
@Component({
  selector: 'app-task-list',
  imports: [MatTableModule, MatPaginatorModule, MatProgressBarModule, MatFormFieldModule, MatSelectModule, DatePipe, LoadState, StateChip],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (filters()) {
      <mat-form-field class="status-filter">
        <mat-label>Status</mat-label>
        <mat-select [value]="status()" (valueChange)="status.set($event); paging.offset.set(0)">
          <mat-option [value]="null">Any</mat-option>
          @for (option of statuses; track option) {
            <mat-option [value]="option">{{ option }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
    }
    <app-load-state [loading]="tasks.isLoading()" [error]="tasks.error()" [empty]="page()?.total === 0" emptyText="No tasks yet." (retry)="tasks.reload()">
      <table mat-table [dataSource]="page()?.items ?? []" aria-label="Tasks">
        <ng-container matColumnDef="task">
          <th mat-header-cell *matHeaderCellDef>Task</th>
          <td mat-cell *matCellDef="let task">{{ title(task) }}</td>
        </ng-container>
        <ng-container matColumnDef="status">
          <th mat-header-cell *matHeaderCellDef>Status</th>
          <td mat-cell *matCellDef="let task"><app-state-chip [state]="task.status" /></td>
        </ng-container>
        <ng-container matColumnDef="progress">
          <th mat-header-cell *matHeaderCellDef>Progress</th>
          <td mat-cell *matCellDef="let task" class="progress">
            @if (task.status === 'running') {
              <mat-progress-bar mode="determinate" [value]="task.progress" [attr.aria-label]="title(task) + ' progress'" />
            }
            <span class="muted">{{ task.error?.message ?? task.steps.at(-1)?.message ?? '' }}</span>
          </td>
        </ng-container>
        <ng-container matColumnDef="requestedBy">
          <th mat-header-cell *matHeaderCellDef>By</th>
          <td mat-cell *matCellDef="let task">{{ task.requestedBy.email ?? (task.requestedBy.type === 'admin' ? 'an administrator' : '') }}</td>
        </ng-container>
        <ng-container matColumnDef="createdAt">
          <th mat-header-cell *matHeaderCellDef>Created</th>
          <td mat-cell *matCellDef="let task">{{ task.createdAt | date: 'medium' }}</td>
        </ng-container>
        <tr mat-header-row *matHeaderRowDef="columns"></tr>
        <tr mat-row *matRowDef="let row; columns: columns"></tr>
      </table>
      @if (paged()) {
        <mat-paginator [length]="page()?.total ?? 0" [pageSize]="paging.limit()" [pageIndex]="paging.pageIndex()" [pageSizeOptions]="[10, 25, 50]" (page)="paging.turn($event)" />
      }
    </app-load-state>
  `,
  styles: `
    .progress {
      min-width: 200px;
    }
    .status-filter {
      width: 200px;
    }
  `,
})
export class TaskList {
  readonly endpoint = input.required<string>();
  /** Only the tasks of one VM. */
  readonly targetId = input<string>();
  readonly pageSize = input(25);
  readonly paged = input(true);
  readonly filters = input(true);

  protected readonly statuses = TASK_STATUSES;
  protected readonly columns = ['task', 'status', 'progress', 'requestedBy', 'createdAt'];
  protected readonly status = signal<TaskStatus | null>(null);
  protected readonly paging = new Paging(25);
  protected readonly tasks = httpResource<Page<Task>>(() => ({
    url: this.endpoint(),
    params: {
      limit: this.paged() ? this.paging.limit() : this.pageSize(),
      offset: this.paging.offset(),
      ...(this.status() ? { status: this.status()! } : {}),
      ...(this.targetId() ? { targetId: this.targetId()! } : {}),
    },
  }));
  /** The page loaded last; undefined while none is (reading a failed resource's value throws). */
  protected readonly page = computed(() => (this.tasks.hasValue() ? this.tasks.value() : undefined));
  protected readonly title = taskTitle;

  constructor() {
    inject(LiveEvents)
      .of<Task>('task.created', 'task.updated')
      .pipe(takeUntilDestroyed(inject(DestroyRef)))
      .subscribe((task) => {
        const page = this.page();
        const shown = page?.items.findIndex((item) => item.id === task.id) ?? -1;
        // Patch a task shown in place (progress moves often); anything else may change the page: reload it.
        if (page && shown >= 0) this.tasks.set({ ...page, items: page.items.map((item, i) => (i === shown ? task : item)) });
        else this.tasks.reload();
      });
  }

}

