import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Mutex } from 'async-mutex';
import { AppException } from '../common/errors/app-exception';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ErrorCode } from '../contracts/error-code';
import { HostsService, HostWithInventory } from '../hosts/hosts.service';
import { choosePlacement, PlacementHost, PlacementRefusal, PlacementRequest } from './placement';
import { VmRecordsService } from './vm-records.service';

const REFUSALS: Record<PlacementRefusal, string> = {
  'no-host': 'no host is online and out of maintenance',
  'no-image': 'no available host has the image',
  'no-room': 'no host with the image has room for the VM',
};

/** Chooses hosts for new VMs from the hosts' last reports and the VMs already placed on them. */
@Injectable()
export class VmPlacementService {
  /**
   * Placement and the insert of the placed VM happen under this lock, so two requests on one replica
   * cannot both take the last room on a host. Across replicas the host itself refuses what does not
   * fit (INSUFFICIENT_CAPACITY), and the request's quota hold is released.
   */
  private readonly mutex = new Mutex();

  constructor(
    private readonly hosts: HostsService,
    private readonly records: VmRecordsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Runs `place` with the chosen host id while no other placement on this replica runs; no room → 409 NO_CAPACITY. */
  async placeExclusively<T>(request: PlacementRequest, pinnedHostId: string | undefined, place: (hostId: string) => Promise<T>): Promise<T> {
    return this.mutex.runExclusive(async () => place(await this.choose(request, pinnedHostId)));
  }

  private async choose(request: PlacementRequest, pinnedHostId: string | undefined): Promise<string> {
    let candidates = await this.hosts.placementCandidates();
    if (pinnedHostId) {
      candidates = candidates.filter((host) => host.id === pinnedHostId);
      if (candidates.length === 0) {
        throw new AppException(HttpStatus.CONFLICT, ErrorCode.NoCapacity, 'The pinned host is unknown, offline or in maintenance');
      }
    }
    const views = await this.placementViews(candidates);
    const result = choosePlacement(request, views, {
      cpuOvercommit: this.config.vms.cpuOvercommit,
      memoryReserveMiB: this.config.vms.hostMemoryReserveMiB,
    });
    if ('host' in result) return result.host.id;
    throw new AppException(HttpStatus.CONFLICT, ErrorCode.NoCapacity, `No capacity for the VM: ${REFUSALS[result.refusal]}`);
  }

  private async placementViews(hosts: HostWithInventory[]): Promise<PlacementHost[]> {
    const placed = await this.records.placedOn(hosts.map((host) => host.id));
    return hosts.map((host) => {
      const managed = placed.filter((vm) => vm.hostId?.toHexString() === host.id);
      const managedHypervisorIds = new Set(managed.flatMap((vm) => (vm.hypervisorId ? [vm.hypervisorId] : [])));
      const unmanaged = (host.inventory?.vms ?? []).filter((vm) => !managedHypervisorIds.has(vm.hypervisorId) && !vm.openhvxVmId);
      const inFlight = managed.filter((vm) => vm.state === 'provisioning');
      return {
        id: host.id,
        name: host.name,
        cpuCores: host.facts!.cpuCores,
        memoryMiB: host.facts!.memoryMiB,
        datastoreFreeGiB: host.facts!.datastores.map((datastore) => datastore.freeGiB),
        imageFiles: new Set((host.inventory?.images ?? []).map((image) => image.fileName.toLowerCase())),
        claimedVcpu: sum(managed, 'vcpu') + sum(unmanaged, 'vcpu'),
        claimedMemoryMiB: sum(managed, 'memoryMiB') + sum(unmanaged, 'memoryMiB'),
        inFlightDiskGiB: sum(inFlight, 'diskGiB'),
      };
    });
  }
}

function sum<K extends string>(items: Record<K, number>[], key: K): number {
  return items.reduce((total, item) => total + item[key], 0);
}
