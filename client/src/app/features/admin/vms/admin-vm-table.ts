import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDividerModule } from '@angular/material/divider';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatPaginatorModule } from '@angular/material/paginator';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import type { VmPowerAction } from '@contracts/agent-protocol';
import type { AdminVm, AdminVmPage, Vm, VmState } from '@contracts/vms';
import { formatMiB } from '../../../core/labels';
import { LiveEvents } from '../../../core/live-events';
import { LoadState } from '../../../shared/load-state';
import { StateChip } from '../../../shared/state-chip';
import { tenantNames } from '../tenants/tenant-names';
import { ADMIN_POWER_ACTIONS, AdminVmActions, powerActionApplies } from './admin-vm-actions';
import { valueOf } from '../../../shared/resource-value';
import { Paging } from '../../../shared/paging';

/**
 * VMs of every tenant (or of one tenant or host), with the administrator's power and delete actions,
 * kept live from VM events.
 */
@Component({
  selector: 'app-admin-vm-table',
  imports: [MatTableModule, MatPaginatorModule, MatButtonModule, MatIconModule, MatMenuModule, MatDividerModule, RouterLink, LoadState, StateChip],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <app-load-state [loading]="vms.isLoading()" [error]="vms.error()" [empty]="valueOf(vms)?.total === 0" [emptyText]="emptyText()" (retry)="vms.reload()">
      <div class="scroll">
        <table mat-table [dataSource]="valueOf(vms)?.items ?? []" [attr.aria-label]="label()">
          <ng-container matColumnDef="name">
            <th mat-header-cell *matHeaderCellDef>Name</th>
            <td mat-cell *matCellDef="let vm">{{ vm.name }}</td>
          </ng-container>
          <ng-container matColumnDef="tenant">
            <th mat-header-cell *matHeaderCellDef>Tenant</th>
            <td mat-cell *matCellDef="let vm">
              <a [routerLink]="['/admin/tenants', vm.tenantId]">{{ tenants().get(vm.tenantId)?.name ?? vm.tenantId }}</a>
            </td>
          </ng-container>
          <ng-container matColumnDef="host">
            <th mat-header-cell *matHeaderCellDef>Host</th>
            <td mat-cell *matCellDef="let vm">
              @if (vm.hostId) {
                <a [routerLink]="['/admin/hosts', vm.hostId]">{{ vm.hostName ?? vm.hostId }}</a>
              } @else {
                <span class="muted">None yet</span>
              }
            </td>
          </ng-container>
          <ng-container matColumnDef="state">
            <th mat-header-cell *matHeaderCellDef>State</th>
            <td mat-cell *matCellDef="let vm"><app-state-chip [state]="vm.state" /></td>
          </ng-container>
          <ng-container matColumnDef="size">
            <th mat-header-cell *matHeaderCellDef>Size</th>
            <td mat-cell *matCellDef="let vm">{{ vm.vcpu }} vCPU · {{ mib(vm.memoryMiB) }} · {{ vm.diskGiB }} GiB</td>
          </ng-container>
          <ng-container matColumnDef="ip">
            <th mat-header-cell *matHeaderCellDef>IP addresses</th>
            <td mat-cell *matCellDef="let vm" class="mono">{{ vm.ipAddresses.join(', ') }}</td>
          </ng-container>
          <ng-container matColumnDef="actions">
            <th mat-header-cell *matHeaderCellDef><span class="cdk-visually-hidden">Actions</span></th>
            <td mat-cell *matCellDef="let vm" class="actions">
              <button mat-icon-button [matMenuTriggerFor]="menu" [attr.aria-label]="'Actions for ' + vm.name" [disabled]="busy().has(vm.id)">
                <mat-icon>more_vert</mat-icon>
              </button>
              <mat-menu #menu="matMenu">
                @for (option of powerActions; track option.action) {
                  <button mat-menu-item [disabled]="!applies(option.action, vm.state)" (click)="power(vm, option.action)">{{ option.label }}</button>
                }
                <mat-divider />
                <button mat-menu-item [disabled]="vm.state === 'deleting'" (click)="remove(vm)"><mat-icon>delete</mat-icon>Delete</button>
              </mat-menu>
            </td>
          </ng-container>
          <tr mat-header-row *matHeaderRowDef="columns()"></tr>
          <tr mat-row *matRowDef="let row; columns: columns()"></tr>
        </table>
      </div>
      <mat-paginator [length]="valueOf(vms)?.total ?? 0" [pageSize]="paging.limit()" [pageIndex]="paging.pageIndex()" [pageSizeOptions]="[10, 25, 50]" (page)="paging.turn($event)" />
    </app-load-state>
  `,
  styles: `
    .scroll {
      overflow-x: auto;
    }
    .actions {
      width: 48px;
    }
  `,
})
export class AdminVmTable {
  readonly tenantId = input<string | null>(null);
  readonly hostId = input<string | null>(null);
  readonly state = input<VmState | null>(null);
  readonly q = input('');
  readonly showTenant = input(true);
  readonly showHost = input(true);
  readonly label = input('VMs');
  readonly pageSize = input(25);

  protected readonly valueOf = valueOf;
  private readonly actions = inject(AdminVmActions);
  protected readonly powerActions = ADMIN_POWER_ACTIONS;
  protected readonly applies = powerActionApplies;
  protected readonly mib = formatMiB;
  protected readonly tenants = tenantNames(() => this.showTenant());
  /** VMs whose request is on its way: their menu waits for the answer. */
  protected readonly busy = signal<ReadonlySet<string>>(new Set());
  private readonly filters = computed(() => ({ tenantId: this.tenantId(), hostId: this.hostId(), state: this.state(), q: this.q().trim() }));
  /** Back to the first page whenever a filter changes. */
  protected readonly paging = new Paging(() => this.pageSize(), this.filters);
  protected readonly vms = httpResource<AdminVmPage>(() => {
    const { tenantId, hostId, state, q } = this.filters();
    return {
      url: '/api/v1/admin/vms',
      params: { limit: this.paging.limit(), offset: this.paging.offset(), ...(tenantId && { tenantId }), ...(hostId && { hostId }), ...(state && { state }), ...(q && { q }) },
    };
  });
  protected readonly columns = computed(() =>
    ['name', 'tenant', 'host', 'state', 'size', 'ip', 'actions'].filter((column) => (column !== 'tenant' || this.showTenant()) && (column !== 'host' || this.showHost())),
  );
  protected readonly emptyText = computed(() => (Object.values(this.filters()).some(Boolean) ? 'No VM matches these filters.' : 'No VMs yet.'));

  constructor() {
    const events = inject(LiveEvents);
    const destroyRef = inject(DestroyRef);
    events
      .of<Vm>('vm.updated')
      .pipe(takeUntilDestroyed(destroyRef))
      .subscribe((vm) => {
        // The event carries the tenant's view of the VM: patch what it shows, keep the admin-only fields.
        const page = valueOf(this.vms);
        if (page?.items.some((item) => item.id === vm.id)) this.vms.set({ ...page, items: page.items.map((item) => (item.id === vm.id ? { ...item, ...vm } : item)) });
      });
    events
      .of<Vm>('vm.created', 'vm.deleted')
      .pipe(takeUntilDestroyed(destroyRef))
      .subscribe(() => this.vms.reload());
  }


  protected power(vm: AdminVm, action: VmPowerAction): Promise<void> {
    return this.track(vm, () => this.actions.power(vm, action));
  }

  protected remove(vm: AdminVm): Promise<void> {
    return this.track(vm, () => this.actions.remove(vm));
  }

  private async track(vm: AdminVm, action: () => Promise<boolean>): Promise<void> {
    this.busy.update((ids) => new Set(ids).add(vm.id));
    try {
      await action();
    } finally {
      this.busy.update((ids) => {
        const next = new Set(ids);
        next.delete(vm.id);
        return next;
      });
    }
  }
}
