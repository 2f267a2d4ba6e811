import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { MatTableModule } from '@angular/material/table';
import type { HostInventory } from '@contracts/hosts';
import { formatMiB } from '../../../core/labels';
import { StateChip } from '../../../shared/state-chip';

/** A host's last inventory: every VM it runs (managed by OpenHVX or not), its virtual switches and image files. */
@Component({
  selector: 'app-host-inventory-view',
  imports: [MatCardModule, MatTableModule, DatePipe, StateChip],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined">
      <mat-card-header>
        <h2 mat-card-title>Inventory</h2>
        <mat-card-subtitle>Reported {{ inventory().reportedAt | date: 'medium' }}</mat-card-subtitle>
      </mat-card-header>
      <mat-card-content>
        <h3>VMs on the host</h3>
        @if (inventory().vms.length === 0) {
          <p class="muted">None.</p>
        } @else {
          <div class="scroll">
            <table mat-table [dataSource]="inventory().vms" aria-label="VMs on the host">
              <ng-container matColumnDef="name">
                <th mat-header-cell *matHeaderCellDef>Name</th>
                <td mat-cell *matCellDef="let vm">{{ vm.name }}</td>
              </ng-container>
              <ng-container matColumnDef="state">
                <th mat-header-cell *matHeaderCellDef>State</th>
                <td mat-cell *matCellDef="let vm"><app-state-chip [state]="vm.state" /></td>
              </ng-container>
              <ng-container matColumnDef="size">
                <th mat-header-cell *matHeaderCellDef>Size</th>
                <td mat-cell *matCellDef="let vm">{{ vm.vcpu }} vCPU · {{ mib(vm.memoryMiB) }} · {{ diskGiB(vm.disks) }} GiB</td>
              </ng-container>
              <ng-container matColumnDef="managed">
                <th mat-header-cell *matHeaderCellDef>Managed</th>
                <td mat-cell *matCellDef="let vm">{{ vm.openhvxVmId ? 'Yes' : 'No' }}</td>
              </ng-container>
              <tr mat-header-row *matHeaderRowDef="vmColumns"></tr>
              <tr mat-row *matRowDef="let row; columns: vmColumns"></tr>
            </table>
          </div>
        }
        <h3>Virtual switches</h3>
        @for (vswitch of inventory().switches; track vswitch.name) {
          <span class="item">{{ vswitch.name }} <span class="muted">({{ vswitch.type }})</span></span>
        } @empty {
          <p class="muted">None.</p>
        }
        <h3>Image files</h3>
        @for (image of inventory().images; track image.fileName) {
          <span class="item"><span class="mono">{{ image.fileName }}</span> <span class="muted">{{ image.sizeGiB }} GiB</span></span>
        } @empty {
          <p class="muted">None.</p>
        }
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    h3 {
      font: var(--mat-sys-title-small);
      margin: 16px 0 8px;
    }
    .item {
      display: inline-flex;
      gap: 6px;
      margin: 0 16px 8px 0;
    }
    .scroll {
      overflow-x: auto;
    }
  `,
})
export class HostInventoryView {
  readonly inventory = input.required<HostInventory>();
  protected readonly vmColumns = ['name', 'state', 'size', 'managed'];
  protected readonly mib = formatMiB;
  protected diskGiB(disks: { sizeGiB: number }[]): number {
    return Math.round(disks.reduce((sum, disk) => sum + disk.sizeGiB, 0) * 10) / 10;
  }
}
