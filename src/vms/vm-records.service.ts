import { HttpStatus, Injectable } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model, Types } from 'mongoose';
import { AppException } from '../common/errors/app-exception';
import { isDuplicateKeyError } from '../common/errors/duplicate-key';
import { literalPattern } from '../common/http/pagination.dto';
import { ErrorCode } from '../contracts/error-code';
import { VmState } from '../contracts/vms';
import { EventsService } from '../events/events.service';
import { HOST_MANAGED_VMS_COUNT, HostManagedVmsCountQuery } from '../hosts/host-events';
import { HostsService } from '../hosts/hosts.service';
import { VM_REMOVED, VmRemovedEvent } from './vm-events';
import { AdminVmDto, AdminVmListQueryDto, VmDto } from './vm.dto';
import { VmDocument, VmLockRecord, VmRecord } from './vm.schemas';

/** Which VMs a caller may reach: a tenant's own, or (no tenantId) all of them. */
export interface VmScope {
  tenantId?: string;
}

/** VM records, their per-VM change locks, and the views of them. */
@Injectable()
export class VmRecordsService {
  constructor(
    @InjectModel(VmRecord.name) private readonly vms: Model<VmRecord>,
    @InjectModel(VmLockRecord.name) private readonly locks: Model<VmLockRecord>,
    private readonly hosts: HostsService,
    private readonly events: EventsService,
    private readonly localEvents: EventEmitter2,
  ) {}

  /** Inserts a new VM; a name its tenant already uses (any case) → 409. */
  async insert(record: Omit<VmRecord, 'nameKey' | 'createdAt' | 'updatedAt' | 'stateSetAt'> & { _id: Types.ObjectId }): Promise<VmDocument> {
    try {
      const vm = await this.vms.create({ ...record, nameKey: record.name.toLowerCase(), stateSetAt: new Date() });
      await this.announce('vm.created', vm);
      return vm;
    } catch (error) {
      if (isDuplicateKeyError(error)) throw this.nameTaken(record.name);
      throw error;
    }
  }

  async requireNameFree(tenantId: string, name: string): Promise<void> {
    if (await this.vms.exists({ tenantId: new Types.ObjectId(tenantId), nameKey: name.toLowerCase() })) throw this.nameTaken(name);
  }

  async find(id: string): Promise<VmDocument | null> {
    return this.vms.findById(id);
  }

  async findInScope(id: string, scope: VmScope): Promise<VmDocument> {
    const vm = await this.vms.findById(id);
    if (!vm || (scope.tenantId && vm.tenantId.toHexString() !== scope.tenantId)) throw AppException.notFound('VM');
    return vm;
  }

  async list(query: AdminVmListQueryDto, scope: VmScope): Promise<{ items: VmDocument[]; total: number }> {
    const filter: FilterQuery<VmRecord> = {};
    const tenantId = scope.tenantId ?? query.tenantId;
    if (tenantId) filter.tenantId = new Types.ObjectId(tenantId);
    if (!scope.tenantId && query.hostId) filter.hostId = new Types.ObjectId(query.hostId);
    if (query.state) filter.state = query.state;
    if (query.q) filter.name = literalPattern(query.q);
    const [items, total] = await Promise.all([
      this.vms.find(filter).sort({ nameKey: 1 }).skip(query.offset).limit(query.limit),
      this.vms.countDocuments(filter),
    ]);
    return { items, total };
  }

  async onHost(hostId: string): Promise<VmDocument[]> {
    return this.vms.find({ hostId: new Types.ObjectId(hostId) });
  }

  /** Keeps a host that still runs managed VMs from being removed by accident. */
  @OnEvent(HOST_MANAGED_VMS_COUNT, { promisify: true, suppressErrors: false })
  async countOnHost({ hostId }: HostManagedVmsCountQuery): Promise<number> {
    return this.vms.countDocuments({ hostId: new Types.ObjectId(hostId) });
  }

  async existingIds(ids: string[]): Promise<string[]> {
    const found = await this.vms.find({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } }, { _id: 1 }).lean();
    return found.map((vm) => vm._id.toHexString());
  }

  async byHypervisorIds(ids: string[]): Promise<VmDocument[]> {
    return this.vms.find({ hypervisorId: { $in: ids } });
  }

  /** Every VM placed on one of these hosts (for placement's view of what each host carries). */
  async placedOn(hostIds: string[]): Promise<Pick<VmRecord, 'hostId' | 'vcpu' | 'memoryMiB' | 'diskGiB' | 'state' | 'hypervisorId'>[]> {
    return this.vms
      .find({ hostId: { $in: hostIds.map((id) => new Types.ObjectId(id)) } }, { hostId: 1, vcpu: 1, memoryMiB: 1, diskGiB: 1, state: 1, hypervisorId: 1 })
      .lean();
  }

  /** Applies a change and tells live listeners; `stateSet` marks a state set by a task, newer than inventories read before now. */
  async update(id: string, changes: Partial<VmRecord>, options: { stateSet?: boolean } = {}): Promise<VmDocument | null> {
    const $set: Partial<VmRecord> = { ...changes, ...(options.stateSet ? { stateSetAt: new Date() } : {}) };
    const vm = await this.vms.findByIdAndUpdate(id, { $set }, { new: true });
    if (vm) await this.announce('vm.updated', vm);
    return vm;
  }

  async setState(id: string, state: VmState): Promise<void> {
    await this.update(id, { state }, { stateSet: true });
  }

  async remove(id: string): Promise<void> {
    const vm = await this.vms.findByIdAndDelete(id);
    if (!vm) return;
    await this.localEvents.emitAsync(VM_REMOVED, { vmId: id } satisfies VmRemovedEvent);
    await this.announce('vm.deleted', vm);
  }

  // ---- One change at a time per VM ------------------------------------------------------------

  /** Takes the VM's lock for a task; a VM another task holds → 409 VM_BUSY. Taking it again for the same task is a no-op. */
  async lock(vm: VmDocument, taskId: string): Promise<void> {
    try {
      await this.locks.create({ _id: vm._id, taskId: new Types.ObjectId(taskId), tenantId: vm.tenantId, restoreState: vm.state });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const holder = await this.locks.findById(vm._id).lean();
      if (holder?.taskId.toHexString() !== taskId) throw busy(vm, holder?.taskId.toHexString());
    }
  }

  /**
   * Refuses early, before the state checks, while a task holds the VM: its state is the task's business
   * then, and "busy" is the answer that tells the caller what to do. `lock` stays the race-free guard.
   */
  async requireIdle(vm: VmDocument): Promise<void> {
    const holder = await this.locks.findById(vm._id).lean();
    if (holder) throw busy(vm, holder.taskId.toHexString());
  }

  /** Ends a task's hold on its VMs; when it did not succeed, they get back the state they had before it. */
  async unlockAllOf(taskId: string, options: { restoreStates: boolean }): Promise<void> {
    const locks = await this.locks.find({ taskId: new Types.ObjectId(taskId) }).lean();
    if (options.restoreStates) {
      for (const lock of locks) {
        const vm = await this.vms.findById(lock._id);
        if (vm && vm.state !== lock.restoreState) await this.update(vm.id as string, { state: lock.restoreState }, { stateSet: true });
      }
    }
    await this.locks.deleteMany({ taskId: new Types.ObjectId(taskId) });
  }

  async isLocked(vmId: Types.ObjectId): Promise<boolean> {
    return (await this.locks.exists({ _id: vmId })) !== null;
  }

  // ---- Views ----------------------------------------------------------------------------------

  async toDtos(vms: VmDocument[], scope: VmScope): Promise<(VmDto | AdminVmDto)[]> {
    const hostIds = [...new Set(vms.flatMap((vm) => (vm.hostId ? [vm.hostId.toHexString()] : [])))];
    const hostNames = hostIds.length > 0 ? await this.hosts.namesOf(hostIds) : new Map<string, string>();
    return vms.map((vm) => toVmDto(vm, hostNames, scope));
  }

  async toDto(vm: VmDocument, scope: VmScope): Promise<VmDto | AdminVmDto> {
    return (await this.toDtos([vm], scope))[0];
  }

  private async announce(type: 'vm.created' | 'vm.updated' | 'vm.deleted', vm: VmDocument): Promise<void> {
    const tenantId = vm.tenantId.toHexString();
    void this.events.publish({ type, tenantId, data: await this.toDto(vm, { tenantId }) });
  }

  private nameTaken(name: string): AppException {
    return new AppException(HttpStatus.CONFLICT, ErrorCode.Conflict, `A VM named '${name}' already exists in this tenant`);
  }
}

function busy(vm: VmDocument, taskId: string | undefined): AppException {
  return AppException.conflict(`VM '${vm.name}' is busy with task ${taskId ?? '(just finished)'}; try again when it ends`, ErrorCode.VmBusy);
}

function toVmDto(vm: VmDocument, hostNames: Map<string, string>, scope: VmScope): VmDto | AdminVmDto {
  const hostId = vm.hostId?.toHexString() ?? null;
  const dto: VmDto = {
    id: vm.id as string,
    name: vm.name,
    state: vm.state,
    vcpu: vm.vcpu,
    memoryMiB: vm.memoryMiB,
    diskGiB: vm.diskGiB,
    imageId: vm.imageId?.toHexString() ?? null,
    imageName: vm.image?.name ?? null,
    hostName: hostId ? (hostNames.get(hostId) ?? null) : null,
    ipAddresses: [...vm.ipAddresses],
    createdAt: vm.createdAt.toISOString(),
    lastTaskId: vm.lastTaskId?.toHexString() ?? null,
  };
  if (scope.tenantId) return dto;
  return { ...dto, tenantId: vm.tenantId.toHexString(), hostId, hypervisorId: vm.hypervisorId };
}
