import { DatePipe } from '@angular/common';
import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatPaginatorModule } from '@angular/material/paginator';
import { MatTableModule } from '@angular/material/table';
import { Router, RouterLink } from '@angular/router';
import type { Host, HostPage } from '@contracts/hosts';
import { firstValueFrom } from 'rxjs';
import { formatMiB } from '../../../core/labels';
import { LiveEvents } from '../../../core/live-events';
import { LoadState } from '../../../shared/load-state';
import { StateChip } from '../../../shared/state-chip';
import { hostRefresh } from './host-refresh';
import { NewHostDialog } from './new-host-dialog';
import { storageTotals } from './storage-totals';
import { valueOf } from '../../../shared/resource-value';
import { Paging } from '../../../shared/paging';

/** The Hyper-V hosts, with their status and capacity; a new host is registered here and enrolled with a command. */
@Component({
  selector: 'app-host-list-page',
  imports: [MatTableModule, MatPaginatorModule, MatButtonModule, MatIconModule, RouterLink, DatePipe, LoadState, StateChip],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <header class="page-header">
        <h1>Hosts</h1>
        <button mat-flat-button (click)="create()"><mat-icon>add</mat-icon>New host</button>
      </header>
      <app-load-state [loading]="hosts.isLoading()" [error]="hosts.error()" [empty]="valueOf(hosts)?.total === 0" emptyText="No hosts yet: add one and run its enrollment command." (retry)="hosts.reload()">
        <div class="scroll">
          <table mat-table [dataSource]="valueOf(hosts)?.items ?? []" aria-label="Hosts">
            <ng-container matColumnDef="name">
              <th mat-header-cell *matHeaderCellDef>Name</th>
              <td mat-cell *matCellDef="let host"><a [routerLink]="['/admin/hosts', host.id]">{{ host.name }}</a></td>
            </ng-container>
            <ng-container matColumnDef="status">
              <th mat-header-cell *matHeaderCellDef>Status</th>
              <td mat-cell *matCellDef="let host"><app-state-chip [state]="host.status" /></td>
            </ng-container>
            <ng-container matColumnDef="cpu">
              <th mat-header-cell *matHeaderCellDef>CPU</th>
              <td mat-cell *matCellDef="let host">{{ host.capacity ? host.capacity.cpuCores + ' cores' : '—' }}</td>
            </ng-container>
            <ng-container matColumnDef="memory">
              <th mat-header-cell *matHeaderCellDef>Memory free</th>
              <td mat-cell *matCellDef="let host">
                {{ host.capacity ? mib(host.capacity.freeMemoryMiB) + ' of ' + mib(host.capacity.memoryMiB) : '—' }}
              </td>
            </ng-container>
            <ng-container matColumnDef="storage">
              <th mat-header-cell *matHeaderCellDef>Storage free</th>
              <td mat-cell *matCellDef="let host">
                @if (storage(host); as storage) {
                  {{ storage.freeGiB }} GiB of {{ storage.totalGiB }} GiB
                } @else {
                  —
                }
              </td>
            </ng-container>
            <ng-container matColumnDef="vms">
              <th mat-header-cell *matHeaderCellDef>VMs</th>
              <td mat-cell *matCellDef="let host">{{ host.vmCount }}</td>
            </ng-container>
            <ng-container matColumnDef="agent">
              <th mat-header-cell *matHeaderCellDef>Agent</th>
              <td mat-cell *matCellDef="let host" class="muted">{{ host.agentVersion ? host.agentVersion + ' (' + host.driver + ')' : 'Not enrolled' }}</td>
            </ng-container>
            <ng-container matColumnDef="heartbeat">
              <th mat-header-cell *matHeaderCellDef>Last heartbeat</th>
              <td mat-cell *matCellDef="let host">{{ host.lastHeartbeatAt ? (host.lastHeartbeatAt | date: 'medium') : 'Never' }}</td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <tr mat-row *matRowDef="let row; columns: columns" class="row" (click)="open(row)"></tr>
          </table>
        </div>
        <mat-paginator [length]="valueOf(hosts)?.total ?? 0" [pageSize]="paging.limit()" [pageIndex]="paging.pageIndex()" [pageSizeOptions]="[10, 25, 50]" (page)="paging.turn($event)" />
      </app-load-state>
    </section>
  `,
  styles: `
    .scroll {
      overflow-x: auto;
    }
    .row {
      cursor: pointer;
    }
  `,
})
export class HostListPage {
  protected readonly valueOf = valueOf;
  private readonly dialog = inject(MatDialog);
  private readonly router = inject(Router);
  protected readonly columns = ['name', 'status', 'cpu', 'memory', 'storage', 'vms', 'agent', 'heartbeat'];
  protected readonly paging = new Paging(25);
  protected readonly hosts = httpResource<HostPage>(() => ({ url: '/api/v1/admin/hosts', params: { limit: this.paging.limit(), offset: this.paging.offset() } }));
  protected readonly mib = formatMiB;
  protected readonly storage = storageTotals;

  constructor() {
    hostRefresh(inject(LiveEvents))
      .pipe(takeUntilDestroyed())
      .subscribe(() => this.hosts.reload());
  }


  protected open(host: Host): void {
    void this.router.navigate(['/admin/hosts', host.id]);
  }

  protected async create(): Promise<void> {
    await firstValueFrom(this.dialog.open(NewHostDialog, { width: '560px' }).afterClosed());
    // The host exists as soon as it was created, whichever way the dialog closed.
    this.hosts.reload();
  }
}
