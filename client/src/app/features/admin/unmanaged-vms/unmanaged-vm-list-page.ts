import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import type { UnmanagedVm, UnmanagedVmPage, VmTask } from '@contracts/vms';
import { auditTime, firstValueFrom, merge } from 'rxjs';
import { formatMiB } from '../../../core/labels';
import { LiveEvents } from '../../../core/live-events';
import { LoadState } from '../../../shared/load-state';
import { StateChip } from '../../../shared/state-chip';
import { AdoptDialog } from './adopt-dialog';
import { valueOf } from '../../../shared/resource-value';

/** VMs hosts report that OpenHVX does not manage; adopting one gives it to a tenant. */
@Component({
  selector: 'app-unmanaged-vm-list-page',
  imports: [MatTableModule, MatButtonModule, RouterLink, LoadState, StateChip],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <header class="page-header"><h1>Unmanaged VMs</h1></header>
      <p class="muted">VMs found on hosts that OpenHVX did not create, or that were left behind. Adopting one makes it a tenant's VM.</p>
      <app-load-state [loading]="vms.isLoading()" [error]="vms.error()" [empty]="valueOf(vms)?.total === 0" emptyText="Every VM the hosts report is managed." (retry)="vms.reload()">
        <div class="scroll">
          <table mat-table [dataSource]="valueOf(vms)?.items ?? []" aria-label="Unmanaged VMs">
            <ng-container matColumnDef="name">
              <th mat-header-cell *matHeaderCellDef>Name</th>
              <td mat-cell *matCellDef="let vm">{{ vm.name }}</td>
            </ng-container>
            <ng-container matColumnDef="host">
              <th mat-header-cell *matHeaderCellDef>Host</th>
              <td mat-cell *matCellDef="let vm"><a [routerLink]="['/admin/hosts', vm.hostId]">{{ vm.hostName }}</a></td>
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
              <td mat-cell *matCellDef="let vm">
                <button mat-stroked-button [attr.aria-label]="'Adopt ' + vm.name" (click)="adopt(vm)">Adopt</button>
              </td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <tr mat-row *matRowDef="let row; columns: columns"></tr>
          </table>
        </div>
      </app-load-state>
    </section>
  `,
  styles: `
    .scroll {
      overflow-x: auto;
    }
  `,
})
export class UnmanagedVmListPage {
  protected readonly valueOf = valueOf;
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly columns = ['name', 'host', 'state', 'size', 'ip', 'actions'];
  protected readonly vms = httpResource<UnmanagedVmPage>(() => '/api/v1/admin/unmanaged-vms');
  protected readonly mib = formatMiB;

  constructor() {
    // The list comes from host inventories and VM records: either changing may change it.
    const events = inject(LiveEvents);
    merge(events.of('host.updated'), events.of('vm.created', 'vm.deleted'))
      .pipe(auditTime(1_000), takeUntilDestroyed())
      .subscribe(() => this.vms.reload());
  }

  protected async adopt(vm: UnmanagedVm): Promise<void> {
    const adopted = await firstValueFrom(this.dialog.open<AdoptDialog, UnmanagedVm, VmTask>(AdoptDialog, { data: vm, width: '480px' }).afterClosed());
    if (!adopted) return;
    this.snackBar.open(`Adopting ${vm.name}`, undefined, { duration: 3_000 });
    this.vms.reload();
  }
}
