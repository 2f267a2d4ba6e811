import { DatePipe } from '@angular/common';
import { HttpClient, httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import type { Task } from '@contracts/tasks';
import type { Tenant } from '@contracts/tenants';
import { filter, firstValueFrom } from 'rxjs';
import { apiErrorMessage } from '../../../core/api-error';
import { taskTitle } from '../../../core/labels';
import { LiveEvents } from '../../../core/live-events';
import { LoadState } from '../../../shared/load-state';
import { StateChip } from '../../../shared/state-chip';
import { valueOf } from '../../../shared/resource-value';

/** One task, live: its steps, progress and outcome; a task that has not started yet can be cancelled. */
@Component({
  selector: 'app-admin-task-page',
  imports: [MatCardModule, MatButtonModule, MatIconModule, MatProgressBarModule, RouterLink, DatePipe, LoadState, StateChip],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <a routerLink="/admin/tasks" class="back"><mat-icon>arrow_back</mat-icon>Tasks</a>
      <app-load-state [loading]="task.isLoading() && !task.hasValue()" [error]="task.error()" (retry)="task.reload()">
        @if (valueOf(task); as task) {
          <header class="page-header">
            <h1>{{ title() }}</h1>
            <app-state-chip [state]="task.status" />
            @if (task.status === 'queued') {
              <button mat-stroked-button [disabled]="cancelling()" (click)="cancel(task)">Cancel task</button>
            }
          </header>
          @if (error(); as message) {
            <p class="error-text" role="alert">{{ message }}</p>
          }
          <mat-card appearance="outlined">
            <mat-card-content>
              @if (task.status === 'running') {
                <mat-progress-bar mode="determinate" [value]="task.progress" [attr.aria-label]="title() + ' progress'" />
              }
              <dl>
                <dt>Tenant</dt>
                <dd><a [routerLink]="['/admin/tenants', task.tenantId]">{{ valueOf(tenant)?.name ?? task.tenantId }}</a></dd>
                <dt>Requested by</dt>
                <dd>{{ task.requestedBy.email ?? (task.requestedBy.type === 'admin' ? 'an administrator' : 'a user') }}</dd>
                <dt>Created</dt>
                <dd>{{ task.createdAt | date: 'medium' }}</dd>
                <dt>Started</dt>
                <dd>{{ task.startedAt ? (task.startedAt | date: 'medium') : '—' }}</dd>
                <dt>Finished</dt>
                <dd>{{ task.finishedAt ? (task.finishedAt | date: 'medium') : '—' }}</dd>
                @if (task.error; as failure) {
                  <dt>Error</dt>
                  <dd class="error-text">{{ failure.message }} <span class="mono">({{ failure.code }})</span></dd>
                }
              </dl>
              <h2>Steps</h2>
              <ol>
                @for (step of task.steps; track $index) {
                  <li><span class="muted">{{ step.at | date: 'mediumTime' }}</span> {{ step.message }}</li>
                } @empty {
                  <li class="muted">No step yet.</li>
                }
              </ol>
            </mat-card-content>
          </mat-card>
        }
      </app-load-state>
    </section>
  `,
  styles: `
    dl {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 6px 16px;
    }
    dt {
      color: var(--mat-sys-on-surface-variant);
    }
    dd {
      margin: 0;
    }
    h2 {
      font: var(--mat-sys-title-medium);
    }
  `,
})
export class AdminTaskPage {
  /** From the route. */
  readonly id = input.required<string>();

  protected readonly valueOf = valueOf;
  private readonly http = inject(HttpClient);
  protected readonly task = httpResource<Task>(() => `/api/v1/admin/tasks/${this.id()}`);
  protected readonly tenant = httpResource<Tenant>(() => (this.task.hasValue() ? `/api/v1/admin/tenants/${this.task.value().tenantId}` : undefined));
  protected readonly title = computed(() => (this.task.hasValue() ? taskTitle(this.task.value()) : 'Task'));
  protected readonly cancelling = signal(false);
  protected readonly error = signal<string | null>(null);

  constructor() {
    inject(LiveEvents)
      .of<Task>('task.updated')
      .pipe(
        filter((task) => task.id === this.id()),
        takeUntilDestroyed(),
      )
      .subscribe((task) => this.task.set(task));
  }

  protected async cancel(task: Task): Promise<void> {
    this.cancelling.set(true);
    this.error.set(null);
    try {
      this.task.set(await firstValueFrom(this.http.post<Task>(`/api/v1/admin/tasks/${task.id}/cancel`, {})));
    } catch (error) {
      this.error.set(apiErrorMessage(error));
    } finally {
      this.cancelling.set(false);
    }
  }
}
