import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import type { Host, HostInventory } from '@contracts/hosts';
import { formatMiB } from '../../../core/labels';
import { CapacityMeter } from './capacity-meter';

/** What a host has and how much of it its VMs (managed or not) take, from its last report. */
@Component({
  selector: 'app-host-capacity',
  imports: [MatCardModule, CapacityMeter],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined">
      <mat-card-header><h2 mat-card-title>Capacity</h2></mat-card-header>
      <mat-card-content>
        @if (host().capacity; as capacity) {
          @if (allocated(); as allocated) {
            <app-capacity-meter label="vCPUs allocated to VMs" [used]="allocated.vcpu" [total]="capacity.cpuCores" [format]="cores" />
            <app-capacity-meter label="Memory assigned to VMs" [used]="allocated.memoryMiB" [total]="capacity.memoryMiB" [format]="mib" />
          }
          <app-capacity-meter label="Memory in use" [used]="capacity.memoryMiB - capacity.freeMemoryMiB" [total]="capacity.memoryMiB" [format]="mib" />
          @for (datastore of capacity.storage; track datastore.name) {
            <app-capacity-meter [label]="'Storage ' + datastore.name" [used]="round(datastore.totalGiB - datastore.freeGiB)" [total]="datastore.totalGiB" [format]="gib" />
          }
        } @else {
          <p class="muted">The host has not reported its capacity yet.</p>
        }
      </mat-card-content>
    </mat-card>
  `,
})
export class HostCapacity {
  readonly host = input.required<Host>();
  readonly inventory = input<HostInventory | null>(null);

  protected readonly allocated = computed(() => {
    const vms = this.inventory()?.vms;
    if (!vms) return null;
    return { vcpu: vms.reduce((sum, vm) => sum + vm.vcpu, 0), memoryMiB: vms.reduce((sum, vm) => sum + vm.memoryMiB, 0) };
  });
  protected readonly mib = formatMiB;
  protected readonly gib = (value: number) => `${value} GiB`;
  protected readonly cores = (value: number) => `${value} ${value === 1 ? 'core' : 'cores'}`;
  protected readonly round = (value: number) => Math.round(value * 10) / 10;
}
