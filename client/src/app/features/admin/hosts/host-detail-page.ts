import { DatePipe } from '@angular/common';
import { HttpClient, HttpErrorResponse, httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSlideToggleChange, MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Title } from '@angular/platform-browser';
import { Router, RouterLink } from '@angular/router';
import { ErrorCode } from '@contracts/error-code';
import type { Enrollment, Host, HostInventory, UpdateHostRequest } from '@contracts/hosts';
import { firstValueFrom } from 'rxjs';
import { apiErrorBody, apiErrorMessage } from '../../../core/api-error';
import { formatMiB } from '../../../core/labels';
import { LiveEvents } from '../../../core/live-events';
import { confirm } from '../../../shared/confirm-dialog';
import { LoadState } from '../../../shared/load-state';
import { StateChip } from '../../../shared/state-chip';
import { AdminVmTable } from '../vms/admin-vm-table';
import { EnrollmentCommand } from './enrollment-command';
import { HostCapacity } from './host-capacity';
import { HostInventoryView } from './host-inventory-view';
import { hostRefresh } from './host-refresh';
import { valueOf } from '../../../shared/resource-value';

/** One host: what its agent reports, maintenance mode, a fresh enrollment, removal; its inventory and managed VMs. */
@Component({
  selector: 'app-host-detail-page',
  imports: [
    MatCardModule,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    MatSlideToggleModule,
    RouterLink,
    DatePipe,
    LoadState,
    StateChip,
    AdminVmTable,
    EnrollmentCommand,
    HostCapacity,
    HostInventoryView,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <a routerLink="/admin/hosts" class="back"><mat-icon>arrow_back</mat-icon>Hosts</a>
      <app-load-state [loading]="host.isLoading() && !host.hasValue()" [error]="host.error()" (retry)="host.reload()">
        @if (valueOf(host); as host) {
          <header class="page-header">
            <h1>{{ host.name }}</h1>
            <app-state-chip [state]="host.status" />
            <mat-slide-toggle [checked]="host.maintenance" [disabled]="busy()" (change)="setMaintenance(host, $event)">Maintenance</mat-slide-toggle>
            <button mat-stroked-button [disabled]="busy()" (click)="reissue(host)"><mat-icon>key</mat-icon>New enrollment token</button>
            <button mat-stroked-button class="danger" [disabled]="busy()" (click)="remove(host)"><mat-icon>delete</mat-icon>Remove</button>
          </header>
          @if (busy()) {
            <mat-progress-bar mode="indeterminate" aria-label="Working" />
          }
          @if (actionError(); as message) {
            <p class="error-text" role="alert">{{ message }}</p>
          }
          @if (host.maintenance) {
            <p class="muted">In maintenance: the host keeps its VMs but receives no new ones.</p>
          }
          <div class="sections">
            @if (enrollment(); as enrollment) {
              <mat-card appearance="outlined">
                <mat-card-header><h2 mat-card-title>Enrollment</h2></mat-card-header>
                <mat-card-content><app-enrollment-command [enrollment]="enrollment" /></mat-card-content>
              </mat-card>
            }
            <div class="card-grid">
              <mat-card appearance="outlined">
                <mat-card-header><h2 mat-card-title>Facts</h2></mat-card-header>
                <mat-card-content>
                  <dl>
                    <dt>Hostname</dt>
                    <dd>{{ host.facts?.hostname ?? '—' }}</dd>
                    <dt>Operating system</dt>
                    <dd>{{ host.facts?.os ?? '—' }}</dd>
                    <dt>Hyper-V</dt>
                    <dd>{{ host.facts?.hypervVersion ?? '—' }}</dd>
                    <dt>Processors</dt>
                    <dd>{{ host.facts ? host.facts.cpuCores + ' cores' : '—' }}</dd>
                    <dt>Memory</dt>
                    <dd>{{ host.facts ? mib(host.facts.memoryMiB) : '—' }}</dd>
                    <dt>Agent</dt>
                    <dd>{{ host.agentVersion ? host.agentVersion + ' (' + host.driver + ' driver)' : 'Not enrolled' }}</dd>
                    <dt>Last heartbeat</dt>
                    <dd>{{ host.lastHeartbeatAt ? (host.lastHeartbeatAt | date: 'medium') : 'Never' }}</dd>
                    <dt>Registered</dt>
                    <dd>{{ host.createdAt | date: 'medium' }}</dd>
                  </dl>
                </mat-card-content>
              </mat-card>
              <app-host-capacity [host]="host" [inventory]="valueOf(inventory) ?? null" />
            </div>
            @if (valueOf(inventory); as inventory) {
              <app-host-inventory-view [inventory]="inventory" />
            } @else if (inventoryMissing()) {
              <p class="muted">The host has not reported an inventory yet.</p>
            } @else if (inventory.error(); as failure) {
              <p class="error-text" role="alert">Inventory: {{ message(failure) }}</p>
            }
            <mat-card appearance="outlined">
              <mat-card-header><h2 mat-card-title>Managed VMs</h2></mat-card-header>
              <mat-card-content>
                <app-admin-vm-table [hostId]="host.id" [showHost]="false" [pageSize]="10" [label]="'Managed VMs on ' + host.name" />
              </mat-card-content>
            </mat-card>
          </div>
        }
      </app-load-state>
    </section>
  `,
  styles: `
    .card-grid {
      margin-bottom: 0;
    }
    dl {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 6px 16px;
      margin: 0;
    }
    dt {
      color: var(--mat-sys-on-surface-variant);
    }
    dd {
      margin: 0;
    }
    .danger {
      color: var(--mat-sys-error);
    }
  `,
})
export class HostDetailPage {
  /** From the route. */
  readonly id = input.required<string>();

  protected readonly valueOf = valueOf;
  private readonly http = inject(HttpClient);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);
  protected readonly host = httpResource<Host>(() => `/api/v1/admin/hosts/${this.id()}`);
  protected readonly inventory = httpResource<HostInventory>(() => `/api/v1/admin/hosts/${this.id()}/inventory`);
  /** 404 until the agent's first report. */
  protected readonly inventoryMissing = computed(() => {
    const error = this.inventory.error();
    return error instanceof HttpErrorResponse && error.status === 404;
  });
  protected readonly enrollment = signal<Enrollment | null>(null);
  protected readonly busy = signal(false);
  protected readonly actionError = signal<string | null>(null);
  protected readonly mib = formatMiB;
  protected readonly message = apiErrorMessage;

  constructor() {
    const title = inject(Title);
    effect(() => {
      const host = valueOf(this.host);
      if (host) title.setTitle(`${host.name} · OpenHVX admin`);
    });
    hostRefresh(inject(LiveEvents))
      .pipe(takeUntilDestroyed())
      .subscribe(() => {
        this.host.reload();
        this.inventory.reload();
      });
  }

  protected async setMaintenance(host: Host, change: MatSlideToggleChange): Promise<void> {
    const body: UpdateHostRequest = { maintenance: change.checked };
    const done = await this.run(async () => {
      this.host.set(await firstValueFrom(this.http.patch<Host>(`/api/v1/admin/hosts/${host.id}`, body)));
      this.snackBar.open(change.checked ? `${host.name} is in maintenance` : `${host.name} takes new VMs again`, undefined, { duration: 3_000 });
    });
    // Refused: put the toggle back where the host is.
    if (!done) change.source.checked = host.maintenance;
  }

  protected async reissue(host: Host): Promise<void> {
    if (host.status !== 'pending') {
      const confirmed = await confirm(this.dialog, {
        title: `New enrollment token for ${host.name}?`,
        message: 'Enrolling with it replaces the agent credential the host has now; earlier unused tokens stop working.',
        confirmLabel: 'Issue token',
      });
      if (!confirmed) return;
    }
    await this.run(async () => this.enrollment.set(await firstValueFrom(this.http.post<Enrollment>(`/api/v1/admin/hosts/${host.id}/enrollment`, {}))));
  }

  protected async remove(host: Host): Promise<void> {
    const confirmed = await confirm(this.dialog, {
      title: `Remove ${host.name}?`,
      message: "Its agent's credential is revoked and its connection closed. The VMs on it are not touched.",
      confirmLabel: 'Remove',
    });
    if (!confirmed) return;
    try {
      this.busy.set(true);
      this.actionError.set(null);
      await this.delete(host, false);
    } catch (error) {
      if (apiErrorBody(error)?.code !== ErrorCode.HostHasVms) return this.actionError.set(apiErrorMessage(error));
      const force = await confirm(this.dialog, {
        title: `Remove ${host.name} anyway?`,
        message: `${apiErrorMessage(error)}. Removing it anyway leaves those VMs without a host that OpenHVX can reach.`,
        confirmLabel: 'Remove anyway',
        typeToConfirm: host.name,
      });
      if (force) await this.run(() => this.delete(host, true));
    } finally {
      this.busy.set(false);
    }
  }

  private async delete(host: Host, force: boolean): Promise<void> {
    await firstValueFrom(this.http.delete(`/api/v1/admin/hosts/${host.id}`, force ? { params: { force: true } } : {}));
    this.snackBar.open(`Host ${host.name} removed`, undefined, { duration: 3_000 });
    await this.router.navigateByUrl('/admin/hosts');
  }

  /** Whether the action went through; a refusal shows the server's message. */
  private async run(action: () => Promise<void>): Promise<boolean> {
    this.busy.set(true);
    this.actionError.set(null);
    try {
      await action();
      return true;
    } catch (error) {
      this.actionError.set(apiErrorMessage(error));
      return false;
    } finally {
      this.busy.set(false);
    }
  }
}
