import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, input, resource } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { Host, HostInventory } from '@contracts/hosts';
import type { ChartConfiguration } from 'chart.js';
import { auditTime, firstValueFrom, merge } from 'rxjs';
import { LiveEvents } from '../../../core/live-events';
import { ChartView } from '../../../shared/chart';
import { LoadState } from '../../../shared/load-state';
import { hostRefresh } from '../hosts/host-refresh';
import { storageTotals } from '../hosts/storage-totals';
import { valueOf } from '../../../shared/resource-value';

interface HostLoad {
  name: string;
  cores: number;
  vcpu: number;
  memoryGiB: number;
  assignedMemoryGiB: number;
  storageGiB: number;
  usedStorageGiB: number;
}

const gib = (mib: number) => Math.round((mib / 1024) * 10) / 10;

/**
 * Per host, what VMs take against what the host has: vCPUs against cores, memory assigned to VMs
 * against installed memory, disk used against datastore size. Allocation comes from each host's last
 * inventory, so VMs OpenHVX does not manage count too.
 */
@Component({
  selector: 'app-host-capacity-charts',
  imports: [ChartView, LoadState],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <app-load-state [loading]="inventories.isLoading() && !inventories.hasValue()" [error]="inventories.error()" [empty]="loads().length === 0" emptyText="No host has reported its capacity yet." (retry)="inventories.reload()">
      <!-- Content projected into app-load-state exists even while hidden: draw charts only when there is something to show. -->
      @if (loads().length > 0) {
        <div class="charts">
          <figure>
            <figcaption>CPU</figcaption>
            <app-chart [config]="cpu()" label="vCPUs allocated and cores per host" />
          </figure>
          <figure>
            <figcaption>Memory (GiB)</figcaption>
            <app-chart [config]="memory()" label="Memory assigned to VMs and installed per host" />
          </figure>
          <figure>
            <figcaption>Storage (GiB)</figcaption>
            <app-chart [config]="storage()" label="Storage used and total per host" />
          </figure>
        </div>
      }
    </app-load-state>
  `,
  styles: `
    .charts {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(300px, 1fr));
      gap: 16px;
    }
    figure {
      margin: 0;
    }
    figcaption {
      font: var(--mat-sys-title-small);
      margin-bottom: 8px;
    }
  `,
})
export class HostCapacityCharts {
  readonly hosts = input.required<readonly Host[]>();

  private readonly http = inject(HttpClient);
  /** The hosts that have reported capacity, by id; the same hosts again (a reload of the list) read nothing new. */
  private readonly reporting = computed(() => this.hosts().filter((host) => host.capacity !== null), {
    equal: (a, b) => a.length === b.length && a.every((host, i) => host.id === b[i].id),
  });
  /** Each reporting host's last inventory (null before its first one), by host id. */
  readonly inventories = resource({
    params: () => this.reporting().map((host) => host.id),
    loader: async ({ params: ids }) => new Map(await Promise.all(ids.map(async (id) => [id, await this.inventoryOf(id)] as const))),
  });
  protected readonly loads = computed<HostLoad[]>(() => {
    const inventories = valueOf(this.inventories);
    if (!inventories) return [];
    return this.hosts()
      .filter((host) => inventories.has(host.id))
      .map((host) => {
        const vms = inventories.get(host.id)?.vms ?? [];
        const storage = storageTotals(host);
        return {
          name: host.name,
          cores: host.capacity?.cpuCores ?? 0,
          vcpu: vms.reduce((sum, vm) => sum + vm.vcpu, 0),
          memoryGiB: gib(host.capacity?.memoryMiB ?? 0),
          assignedMemoryGiB: gib(vms.reduce((sum, vm) => sum + vm.memoryMiB, 0)),
          storageGiB: storage?.totalGiB ?? 0,
          usedStorageGiB: storage ? Math.round((storage.totalGiB - storage.freeGiB) * 10) / 10 : 0,
        };
      });
  });

  constructor() {
    // Inventories change with what agents report and with VMs made or removed; reloading keeps the charts shown meanwhile.
    const events = inject(LiveEvents);
    merge(hostRefresh(events), events.of('vm.created', 'vm.deleted').pipe(auditTime(2_000)))
      .pipe(takeUntilDestroyed())
      .subscribe(() => this.inventories.reload());
  }

  protected readonly cpu = computed(() => this.bars('vCPUs allocated', (load) => load.vcpu, 'Cores', (load) => load.cores));
  protected readonly memory = computed(() => this.bars('Assigned to VMs', (load) => load.assignedMemoryGiB, 'Installed', (load) => load.memoryGiB));
  protected readonly storage = computed(() => this.bars('Used', (load) => load.usedStorageGiB, 'Total', (load) => load.storageGiB));

  private bars(usedLabel: string, used: (load: HostLoad) => number, totalLabel: string, total: (load: HostLoad) => number): ChartConfiguration {
    const loads = this.loads();
    return {
      type: 'bar',
      data: {
        labels: loads.map((load) => load.name),
        datasets: [
          { label: usedLabel, data: loads.map(used) },
          { label: totalLabel, data: loads.map(total) },
        ],
      },
      options: { scales: { y: { beginAtZero: true } } },
    };
  }

  private async inventoryOf(hostId: string): Promise<HostInventory | null> {
    try {
      return await firstValueFrom(this.http.get<HostInventory>(`/api/v1/admin/hosts/${hostId}/inventory`));
    } catch (error) {
      if (error instanceof HttpErrorResponse && error.status === 404) return null;
      throw error;
    }
  }
}
