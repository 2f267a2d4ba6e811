import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, effect, inject, input, linkedSignal, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTabsModule } from '@angular/material/tabs';
import { Title } from '@angular/platform-browser';
import { Router, RouterLink } from '@angular/router';
import { FINISHED_TASK_STATUSES, type Task } from '@contracts/tasks';
import type { Vm, VmPowerAction, VmTask } from '@contracts/vms';
import { firstValueFrom } from 'rxjs';
import { apiErrorMessage } from '../../../core/api-error';
import { LiveEvents } from '../../../core/live-events';
import { Session } from '../../../core/session';
import { confirm } from '../../../shared/confirm-dialog';
import { LoadState } from '../../../shared/load-state';
import { StateChip } from '../../../shared/state-chip';
import { TaskList } from '../../../shared/task-list';
import { VmApi } from './vm-api';
import { VmCloneDialog } from './vm-clone-dialog';
import { VmConsole } from './vm-console';
import { VmEditDialog } from './vm-edit-dialog';
import { VmOverview } from './vm-overview';
import { VmPowerActions } from './vm-power-actions';
import { VmTaskProgress } from './vm-task-progress';
import { valueOf } from '../../../shared/resource-value';

/** One VM, kept live: its actions, the progress of its current task, its tasks and its serial console. */
@Component({
  selector: 'app-vm-detail-page',
  imports: [MatButtonModule, MatIconModule, MatTabsModule, RouterLink, LoadState, StateChip, TaskList, VmConsole, VmOverview, VmPowerActions, VmTaskProgress],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <a mat-button routerLink="/vms" class="back"><mat-icon>arrow_back</mat-icon>Virtual machines</a>
      <app-load-state [loading]="vm.isLoading()" [error]="vm.error()" (retry)="vm.reload()">
        @if (valueOf(vm); as vm) {
          <header class="page-header">
            <h1>{{ vm.name }}</h1>
            <app-state-chip [state]="vm.state" />
          </header>
          @if (deleted()) {
            <p class="error-text" role="alert">This VM has been deleted.</p>
          } @else {
            <div class="actions">
              <app-vm-power-actions [vm]="vm" [disabled]="locked()" (power)="power($event)" />
              <span class="spacer"></span>
              <button mat-stroked-button [disabled]="locked()" (click)="edit()"><mat-icon>tune</mat-icon>Edit</button>
              <button mat-stroked-button [disabled]="locked() || vm.state !== 'off'" (click)="clone()"><mat-icon>content_copy</mat-icon>Clone</button>
              <button mat-stroked-button class="danger" [disabled]="readOnly() || pending() || vm.state === 'deleting'" (click)="remove()"><mat-icon>delete</mat-icon>Delete</button>
            </div>
            @if (readOnly()) {
              <p class="muted">Your role is read-only: you can see this VM but not change it.</p>
            } @else if (vm.state !== 'off' && vm.state !== 'deleting') {
              <p class="muted hint">Turn the VM off to clone it.</p>
            }
          }
          <app-vm-task-progress [task]="task()" />
          <mat-tab-group animationDuration="0ms">
            <mat-tab label="Overview"><app-vm-overview [vm]="vm" /></mat-tab>
            <mat-tab label="Tasks">
              <ng-template matTabContent><app-task-list endpoint="/api/v1/tasks" [targetId]="vm.id" /></ng-template>
            </mat-tab>
            <mat-tab label="Console">
              <ng-template matTabContent><app-vm-console [vmId]="vm.id" /></ng-template>
            </mat-tab>
          </mat-tab-group>
        }
      </app-load-state>
    </section>
  `,
  styles: `
    .page-header h1 {
      flex: 0 1 auto;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      align-items: center;
      margin-bottom: 8px;
    }
    .spacer {
      flex: 1;
    }
    .danger:not(:disabled) {
      color: var(--mat-sys-error);
    }
    .hint {
      margin: 0 0 8px;
    }
  `,
})
export class VmDetailPage {
  protected readonly valueOf = valueOf;
  /** From the route (`/vms/:id`). */
  readonly id = input.required<string>();

  private readonly api = inject(VmApi);
  private readonly dialog = inject(MatDialog);
  private readonly router = inject(Router);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly readOnly = inject(Session).readOnly;

  protected readonly vm = httpResource<Vm>(() => `/api/v1/vms/${this.id()}`);
  private readonly lastTask = httpResource<Task>(() => {
    const taskId = valueOf(this.vm)?.lastTaskId;
    return taskId ? `/api/v1/tasks/${taskId}` : undefined;
  });
  /** The VM's latest task: the one it names, then whatever its live events bring. */
  protected readonly task = linkedSignal<{ vmId: string; named: Task | undefined }, Task | null>({
    source: () => ({ vmId: this.id(), named: valueOf(this.lastTask) }),
    // While a newly named task loads, keep showing the one known for the same VM.
    computation: ({ vmId, named }, previous) => named ?? (previous?.source.vmId === vmId ? previous.value : null),
  });
  /** Deleted while shown (by another session); resets when the page shows another VM. */
  protected readonly deleted = linkedSignal({ source: this.id, computation: () => false });
  /** A request of this page on its way. */
  protected readonly pending = signal(false);
  private readonly taskRunning = computed(() => {
    const task = this.task();
    return !!task && !FINISHED_TASK_STATUSES.includes(task.status);
  });
  /** Actions wait while a request is on its way or a task works on the VM (the server would answer VM_BUSY). */
  protected readonly locked = computed(() => this.readOnly() || this.pending() || this.taskRunning());

  constructor() {
    const events = inject(LiveEvents);
    const destroyRef = inject(DestroyRef);
    events
      .of<Vm>('vm.updated')
      .pipe(takeUntilDestroyed(destroyRef))
      .subscribe((vm) => {
        if (vm.id === this.id()) this.vm.set(vm);
      });
    events
      .of<Vm>('vm.deleted')
      .pipe(takeUntilDestroyed(destroyRef))
      .subscribe((vm) => {
        if (vm.id === this.id()) this.deleted.set(true);
      });
    events
      .of<Task>('task.created', 'task.updated')
      .pipe(takeUntilDestroyed(destroyRef))
      .subscribe((task) => {
        if (task.target.id === this.id()) this.task.set(task);
      });
    const title = inject(Title);
    effect(() => {
      const name = valueOf(this.vm)?.name;
      if (name) title.setTitle(`${name} · OpenHVX`);
    });
  }

  protected power(action: VmPowerAction): Promise<void> {
    return this.run(() => this.api.power(this.id(), action));
  }

  protected async edit(): Promise<void> {
    const accepted = await firstValueFrom(this.dialog.open<VmEditDialog, Vm, VmTask>(VmEditDialog, { data: valueOf(this.vm), width: '440px' }).afterClosed());
    if (accepted) this.accept(accepted);
  }

  protected async clone(): Promise<void> {
    const accepted = await firstValueFrom(this.dialog.open<VmCloneDialog, Vm, VmTask>(VmCloneDialog, { data: valueOf(this.vm), width: '440px' }).afterClosed());
    if (!accepted) return;
    const copy = accepted.vm;
    this.snackBar
      .open(`Cloning to ${copy.name}…`, 'Open', { duration: 8_000 })
      .onAction()
      .subscribe(() => void this.router.navigate(['/vms', copy.id]));
  }

  protected async remove(): Promise<void> {
    const vm = valueOf(this.vm);
    if (!vm) return;
    const confirmed = await confirm(this.dialog, {
      title: `Delete ${vm.name}?`,
      message: 'The VM is stopped if it runs, then removed with its disks. This cannot be undone.',
      confirmLabel: 'Delete VM',
      typeToConfirm: vm.name,
    });
    if (!confirmed) return;
    this.pending.set(true);
    try {
      await this.api.remove(vm.id);
      this.snackBar.open(`Deleting ${vm.name}…`, 'Dismiss', { duration: 5_000 });
      await this.router.navigate(['/vms']);
    } catch (error) {
      this.snackBar.open(apiErrorMessage(error), 'Dismiss', { duration: 8_000 });
    } finally {
      this.pending.set(false);
    }
  }

  private async run(request: () => Promise<VmTask>): Promise<void> {
    this.pending.set(true);
    try {
      this.accept(await request());
    } catch (error) {
      this.snackBar.open(apiErrorMessage(error), 'Dismiss', { duration: 8_000 });
    } finally {
      this.pending.set(false);
    }
  }

  private accept({ vm, task }: VmTask): void {
    this.vm.set(vm);
    this.task.set(task);
  }
}
