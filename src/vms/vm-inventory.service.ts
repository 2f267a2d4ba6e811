import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { Types } from 'mongoose';
import { AppException } from '../common/errors/app-exception';
import { Principal } from '../common/auth/principal';
import { HostJobsService } from '../agent-gateway/host-jobs.service';
import { InventoryVm } from '../contracts/agent-protocol';
import { QuotaLimits } from '../contracts/tenants';
import { vmStateFromHyperv } from '../contracts/vms';
import { HOST_INVENTORY_RECORDED, HostInventoryRecordedEvent } from '../hosts/host-events';
import { HostsService } from '../hosts/hosts.service';
import { QuotasService } from '../quotas/quotas.service';
import { TasksService } from '../tasks/tasks.service';
import { TenantsService } from '../tenants/tenants.service';
import { AdoptVmDto, UnmanagedVmDto, UnmanagedVmPageDto, VmTaskDto } from './vm.dto';
import { negate } from './amounts';
import { VmRecordsService } from './vm-records.service';
import { VmRecord } from './vm.schemas';

/** An inventory read this soon before a task set a VM's state may predate the task's result. */
const STALE_REPORT_MS = 5_000;

const ipsOf = (vm: InventoryVm) => vm.nics.flatMap((nic) => nic.ipAddresses);
const diskGiBOf = (vm: InventoryVm) => Math.ceil(vm.disks.reduce((total, disk) => total + disk.sizeGiB, 0));

/** Keeps VM records in step with what hosts report (DESIGN.md §4.3), and lets admins adopt VMs nobody manages. */
@Injectable()
export class VmInventoryService {
  constructor(
    private readonly records: VmRecordsService,
    private readonly hosts: HostsService,
    private readonly hostJobs: HostJobsService,
    private readonly quotas: QuotasService,
    private readonly tasks: TasksService,
    private readonly tenants: TenantsService,
  ) {}

  /**
   * Reported state updates VMs no task is changing; VMs the host no longer has become `missing`.
   * A report that disagrees with a state set moments ago is not trusted, but not ignored either:
   * the host is asked for a fresh one once the doubt has passed.
   */
  @OnEvent(HOST_INVENTORY_RECORDED, { promisify: true, suppressErrors: false })
  async reconcile({ hostId, inventory, receivedAt }: HostInventoryRecordedEvent): Promise<void> {
    const byVmId = new Map(inventory.vms.flatMap((vm) => (vm.openhvxVmId ? [[vm.openhvxVmId, vm] as const] : [])));
    const byHypervisorId = new Map(inventory.vms.map((vm) => [vm.hypervisorId, vm]));
    let recheckAt = 0;
    for (const vm of await this.records.onHost(hostId)) {
      if (vm.state === 'provisioning' || (await this.records.isLocked(vm._id))) continue;
      const seen = byVmId.get(vm.id as string) ?? (vm.hypervisorId ? byHypervisorId.get(vm.hypervisorId) : undefined);
      const reportedState = seen ? vmStateFromHyperv(seen.state) : 'missing';
      const changes: Partial<Pick<VmRecord, 'state' | 'ipAddresses' | 'hypervisorId'>> = {};
      if (reportedState !== vm.state) {
        // A report read just before a task set the state may predate the task's result.
        const trustedFrom = vm.stateSetAt.getTime() + STALE_REPORT_MS;
        if (receivedAt.getTime() >= trustedFrom) changes.state = reportedState;
        else recheckAt = Math.max(recheckAt, trustedFrom);
      }
      if (seen) {
        const ipAddresses = ipsOf(seen);
        if (ipAddresses.join() !== vm.ipAddresses.join()) changes.ipAddresses = ipAddresses;
        if (seen.hypervisorId !== vm.hypervisorId) changes.hypervisorId = seen.hypervisorId;
      }
      if (Object.keys(changes).length > 0) await this.records.update(vm.id as string, changes);
    }
    if (recheckAt > 0) await this.requestInventory(hostId, recheckAt);
  }

  /** Any finished job makes the agent report its inventory; one refresh per host and window is enough. */
  private async requestInventory(hostId: string, at: number): Promise<void> {
    const window = Math.ceil(at / STALE_REPORT_MS);
    await this.hostJobs.enqueue(hostId, 'host.refresh', {}, { jobId: `recheck-${window}`, attempts: 1, delayMs: Math.max(0, at - Date.now()) });
  }

  /** VMs hosts report that no VM record claims. */
  async listUnmanaged(): Promise<UnmanagedVmPageDto> {
    const items = await this.unmanaged();
    return { items, total: items.length };
  }

  /** Makes an unmanaged VM a tenant's: it counts into the tenant's usage (refused over quota unless forced). */
  async adopt(hypervisorId: string, input: AdoptVmDto, principal: Principal): Promise<VmTaskDto> {
    const found = (await this.unmanaged()).find((vm) => vm.id === hypervisorId);
    if (!found) throw AppException.notFound('Unmanaged VM');
    const tenant = await this.tenants.findById(input.tenantId);
    if (!tenant) throw AppException.notFound('Tenant');
    await this.records.requireNameFree(input.tenantId, found.name);

    const taskId = new Types.ObjectId().toHexString();
    const amounts: QuotaLimits = { vcpu: found.vcpu, memoryMiB: found.memoryMiB, storageGiB: found.diskGiB, vms: 1 };
    await this.quotas.charge(input.tenantId, amounts, { reservationId: taskId, kind: 'vm.adopt', description: `Adopt VM '${found.name}'`, force: input.force ?? false });
    let adoptedId: string | undefined;
    try {
      const vm = await this.records.insert({
        _id: new Types.ObjectId(),
        tenantId: new Types.ObjectId(input.tenantId),
        name: found.name,
        state: vmStateFromHyperv(found.hypervState),
        imageId: null,
        image: null,
        vcpu: found.vcpu,
        memoryMiB: found.memoryMiB,
        diskGiB: found.diskGiB,
        hostId: new Types.ObjectId(found.hostId),
        hypervisorId,
        ipAddresses: found.ipAddresses,
        cloudInit: null,
        charged: amounts,
        lastTaskId: new Types.ObjectId(taskId),
      });
      adoptedId = vm.id as string;
      await this.records.lock(vm, taskId);
      const task = await this.tasks.create({
        id: taskId,
        tenantId: input.tenantId,
        kind: 'vm.adopt',
        target: { type: 'vm', id: vm.id as string, name: vm.name },
        hostId: found.hostId,
        requestedBy: principal,
      });
      // The host marks the VM as OpenHVX's (in its notes), so later jobs find it by the VM id.
      await this.hostJobs.enqueue(found.hostId, 'vm.adopt', { hypervisorId, vmId: vm.id as string, name: vm.name }, { jobId: taskId });
      return { vm: await this.records.toDto(vm, {}), task };
    } catch (error) {
      if (adoptedId) await this.records.remove(adoptedId);
      await this.records.unlockAllOf(taskId, { restoreStates: false });
      await this.tasks.fail(taskId, { code: 'REQUEST_FAILED', message: (error as Error).message });
      await this.quotas.charge(input.tenantId, negate(amounts), { reservationId: `${taskId}:undo`, kind: 'vm.adopt', description: `Undo adoption of VM '${found.name}'` });
      throw error;
    }
  }

  private async unmanaged(): Promise<(UnmanagedVmDto & { hypervState: InventoryVm['state'] })[]> {
    const hosts = await this.hosts.withInventories();
    const reported = hosts.flatMap((host) => (host.inventory?.vms ?? []).map((vm) => ({ host, vm })));
    const known = await this.records.byHypervisorIds(reported.map(({ vm }) => vm.hypervisorId));
    const claimedHypervisorIds = new Set(known.map((vm) => vm.hypervisorId));
    const recordIds = reported.flatMap(({ vm }) => (vm.openhvxVmId && Types.ObjectId.isValid(vm.openhvxVmId) ? [vm.openhvxVmId] : []));
    const existing = new Set(await this.records.existingIds(recordIds));
    return reported
      .filter(({ vm }) => !claimedHypervisorIds.has(vm.hypervisorId) && !(vm.openhvxVmId && existing.has(vm.openhvxVmId)))
      .map(({ host, vm }) => ({
        id: vm.hypervisorId,
        hostId: host.id,
        hostName: host.name,
        name: vm.name,
        state: vmStateFromHyperv(vm.state),
        hypervState: vm.state,
        vcpu: vm.vcpu,
        memoryMiB: vm.memoryMiB,
        diskGiB: diskGiBOf(vm),
        ipAddresses: ipsOf(vm),
      }));
  }
}

