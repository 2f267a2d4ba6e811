import { HttpStatus, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Types } from 'mongoose';
import { AppException } from '../common/errors/app-exception';
import { Principal } from '../common/auth/principal';
import { HostJobHooksRegistry, HostJobRef } from '../agent-gateway/host-job-hooks';
import { HostJobsService } from '../agent-gateway/host-jobs.service';
import type { JobOutcome } from '../agent-gateway/agent-session';
import { ActionParams, InventoryVm, VmPowerAction } from '../contracts/agent-protocol';
import { ErrorCode } from '../contracts/error-code';
import { TaskError, TaskKind } from '../contracts/tasks';
import { QuotaLimits } from '../contracts/tenants';
import { POWER_ACTION_FROM, POWER_ACTION_VIA, vmStateFromHyperv, VmState } from '../contracts/vms';
import { ImagesService } from '../images/images.service';
import { QuotasService } from '../quotas/quotas.service';
import { TaskDocument } from '../tasks/task.schemas';
import { TasksService } from '../tasks/tasks.service';
import { hashCloudInitPasswords, hostnameFromVmName, renderCloudInitSeed } from './cloud-init/render-seed';
import { AdminCreateVmDto, CloneVmDto, UpdateVmDto, VmTaskDto } from './vm.dto';
import { VmDocument } from './vm.schemas';
import { VmPlacementService } from './vm-placement.service';
import { addAmounts, negate, NOTHING } from './amounts';
import { VmRecordsService, VmScope } from './vm-records.service';

export const VM_TASK_KINDS: readonly TaskKind[] = ['vm.create', 'vm.edit', 'vm.clone', 'vm.power', 'vm.delete', 'vm.adopt'];
/** States a VM rests in between tasks; others belong to a task in flight or need an operator. */
const SETTLED_STATES: readonly VmState[] = ['off', 'running', 'paused', 'saved'];

const TASK_ID = /^[0-9a-f]{24}$/;
const oid = (id: string) => new Types.ObjectId(id);
const vmTarget = (vm: VmDocument) => ({ type: 'vm' as const, id: vm.id as string, name: vm.name });
const ipsOf = (vm: InventoryVm) => vm.nics.flatMap((nic) => nic.ipAddresses);

/**
 * The VM lifecycle as asynchronous tasks (DESIGN.md §4.1). A request checks, holds quota, records the
 * VM and its task, locks the VM and queues the host job, then answers 202. The job's outcome arrives
 * through the host-job hooks, here or on another replica, possibly more than once after a crash:
 * settling is idempotent (quota commits and releases are exactly-once per task id).
 */
@Injectable()
export class VmWorkflowsService implements OnModuleInit {
  private readonly logger = new Logger(VmWorkflowsService.name);

  constructor(
    private readonly records: VmRecordsService,
    private readonly placement: VmPlacementService,
    private readonly quotas: QuotasService,
    private readonly tasks: TasksService,
    private readonly images: ImagesService,
    private readonly hostJobs: HostJobsService,
    private readonly hookRegistry: HostJobHooksRegistry,
  ) {}

  onModuleInit(): void {
    this.hookRegistry.register({
      // VM work queued by this module has a task id (an ObjectId) as its job id; other jobs are not ours.
      handles: (job) => job.action.startsWith('vm.') && TASK_ID.test(job.jobId),
      onStarted: (job) => this.tasks.markRunning(job.jobId),
      onProgress: (job, percent, message) => void this.tasks.progress(job.jobId, percent, message).catch(() => undefined),
      onSettled: (job, outcome) => this.settle(job, outcome),
    });
    this.tasks.registerCanceller(VM_TASK_KINDS, (task) => this.cancelQueued(task));
  }

  // ---- Requests ---------------------------------------------------------------------------------

  async create(tenantId: string, input: AdminCreateVmDto, principal: Principal, scope: VmScope): Promise<VmTaskDto> {
    const image = await this.images.findUsableByTenant(input.imageId, tenantId);
    if (input.diskGiB < image.minDiskGiB) throw invalid(`diskGiB must be at least ${image.minDiskGiB} for image '${image.name}'`);
    if (input.cloudInit && !image.cloudInit) throw invalid(`Image '${image.name}' does not run cloud-init; leave cloudInit out`);
    await this.records.requireNameFree(tenantId, input.name);

    const vmId = new Types.ObjectId();
    const taskId = new Types.ObjectId().toHexString();
    const amounts: QuotaLimits = { vcpu: input.vcpu, memoryMiB: input.memoryMiB, storageGiB: input.diskGiB, vms: 1 };
    const cloudInit = input.cloudInit ? hashCloudInitPasswords(input.cloudInit) : null;
    await this.quotas.hold(tenantId, amounts, { reservationId: taskId, kind: 'vm.create', taskId, description: `Create VM '${input.name}'` });
    return this.undoOnError(taskId, async () => {
      const request = { vcpu: input.vcpu, memoryMiB: input.memoryMiB, diskGiB: input.diskGiB, imageFileName: image.fileName.toLowerCase() };
      const vm = await this.placement.placeExclusively(request, input.hostId, (hostId) =>
        this.records.insert({
          _id: vmId,
          tenantId: oid(tenantId),
          name: input.name,
          state: 'provisioning',
          imageId: oid(image.id),
          image: { name: image.name, fileName: image.fileName, generation: image.generation, os: image.os, cloudInit: image.cloudInit, defaultUser: image.defaultUser },
          vcpu: input.vcpu,
          memoryMiB: input.memoryMiB,
          diskGiB: input.diskGiB,
          hostId: oid(hostId),
          hypervisorId: null,
          ipAddresses: [],
          cloudInit,
          charged: NOTHING,
          lastTaskId: oid(taskId),
        }),
      );
      const hostId = vm.hostId!.toHexString();
      await this.records.lock(vm, taskId);
      const task = await this.tasks.create({ id: taskId, tenantId, kind: 'vm.create', target: vmTarget(vm), hostId, requestedBy: principal });
      await this.hostJobs.enqueue(
        hostId,
        'vm.create',
        {
          vmId: vm.id as string,
          name: vm.name,
          imageFileName: image.fileName,
          generation: image.generation,
          vcpu: vm.vcpu,
          memoryMiB: vm.memoryMiB,
          diskGiB: vm.diskGiB,
          secureBootTemplate: image.os === 'linux' && image.generation === 2 ? 'MicrosoftUEFICertificateAuthority' : undefined,
          cloudInit: seedFor(vm),
          start: input.start ?? true,
        },
        { jobId: taskId },
      );
      return { vm: await this.records.toDto(vm, scope), task };
    });
  }

  async edit(vmId: string, scope: VmScope, input: UpdateVmDto, principal: Principal): Promise<VmTaskDto> {
    const vm = await this.records.findInScope(vmId, scope);
    await this.records.requireIdle(vm);
    const target = { vcpu: input.vcpu ?? vm.vcpu, memoryMiB: input.memoryMiB ?? vm.memoryMiB, diskGiB: input.diskGiB ?? vm.diskGiB };
    if (target.diskGiB < vm.diskGiB) throw invalid(`VM '${vm.name}' has a ${vm.diskGiB} GiB disk; disks only grow`);
    const delta: QuotaLimits = { vcpu: target.vcpu - vm.vcpu, memoryMiB: target.memoryMiB - vm.memoryMiB, storageGiB: target.diskGiB - vm.diskGiB, vms: 0 };
    if (delta.vcpu === 0 && delta.memoryMiB === 0 && delta.storageGiB === 0) throw invalid('The request changes nothing');
    requireSettled(vm, 'change it');
    const needsOff = delta.vcpu !== 0 || delta.memoryMiB !== 0;
    const restart = needsOff && vm.state !== 'off';
    if (restart && !(input.restart && vm.state === 'running')) {
      throw AppException.conflict(
        `VM '${vm.name}' is ${vm.state}: Hyper-V changes processors and memory only while a VM is off; turn it off first${vm.state === 'running' ? ', or pass restart: true' : ''}`,
        ErrorCode.VmMustBeOff,
      );
    }
    const taskId = new Types.ObjectId().toHexString();
    await this.records.lock(vm, taskId);
    return this.undoOnError(taskId, async () => {
      await this.quotas.hold(vm.tenantId.toHexString(), delta, { reservationId: taskId, kind: 'vm.edit', taskId, description: `Resize VM '${vm.name}'` });
      const params: ActionParams<'vm.edit'> = {
        vmId,
        name: vm.name,
        ...(delta.vcpu !== 0 ? { vcpu: target.vcpu } : {}),
        ...(delta.memoryMiB !== 0 ? { memoryMiB: target.memoryMiB } : {}),
        ...(delta.storageGiB !== 0 ? { diskGiB: target.diskGiB } : {}),
        ...(restart ? { restart: true } : {}),
      };
      return this.dispatch(vm, taskId, 'vm.edit', 'vm.edit', params, principal, scope, restart ? 'stopping' : undefined);
    });
  }

  async clone(vmId: string, scope: VmScope, input: CloneVmDto, principal: Principal): Promise<VmTaskDto> {
    const source = await this.records.findInScope(vmId, scope);
    await this.records.requireIdle(source);
    const tenantId = source.tenantId.toHexString();
    if (source.state !== 'off') {
      throw AppException.conflict(`VM '${source.name}' is ${source.state}; turn it off to clone it (its disk must be consistent)`, ErrorCode.VmMustBeOff);
    }
    await this.records.requireNameFree(tenantId, input.name);
    const taskId = new Types.ObjectId().toHexString();
    await this.records.lock(source, taskId);
    return this.undoOnError(taskId, async () => {
      const amounts: QuotaLimits = { vcpu: source.vcpu, memoryMiB: source.memoryMiB, storageGiB: source.diskGiB, vms: 1 };
      await this.quotas.hold(tenantId, amounts, { reservationId: taskId, kind: 'vm.clone', taskId, description: `Clone VM '${source.name}' as '${input.name}'` });
      const copy = await this.records.insert({
        _id: new Types.ObjectId(),
        tenantId: source.tenantId,
        name: input.name,
        state: 'provisioning',
        imageId: source.imageId,
        image: source.image,
        vcpu: source.vcpu,
        memoryMiB: source.memoryMiB,
        diskGiB: source.diskGiB,
        hostId: source.hostId,
        hypervisorId: null,
        ipAddresses: [],
        cloudInit: source.cloudInit,
        charged: NOTHING,
        lastTaskId: oid(taskId),
      });
      await this.records.lock(copy, taskId);
      const params: ActionParams<'vm.clone'> = {
        source: { vmId: source.id as string, name: source.name },
        target: {
          vmId: copy.id as string,
          name: copy.name,
          start: input.start ?? false,
          cloudInit: seedFor(copy),
        },
      };
      const task = await this.tasks.create({ id: taskId, tenantId, kind: 'vm.clone', target: vmTarget(copy), hostId: copy.hostId!.toHexString(), requestedBy: principal });
      await this.hostJobs.enqueue(copy.hostId!.toHexString(), 'vm.clone', params, { jobId: taskId });
      return { vm: await this.records.toDto(copy, scope), task };
    });
  }

  async power(vmId: string, scope: VmScope, action: VmPowerAction, principal: Principal): Promise<VmTaskDto> {
    const vm = await this.records.findInScope(vmId, scope);
    await this.records.requireIdle(vm);
    if (!(POWER_ACTION_FROM[action] as readonly VmState[]).includes(vm.state)) {
      const allowed = POWER_ACTION_FROM[action].join(' or ');
      throw AppException.conflict(`Cannot ${action} VM '${vm.name}': it is ${vm.state} (${action} needs it ${allowed})`, ErrorCode.InvalidState);
    }
    const taskId = new Types.ObjectId().toHexString();
    await this.records.lock(vm, taskId);
    return this.undoOnError(taskId, () =>
      this.dispatch(vm, taskId, 'vm.power', 'vm.power', { vmId, name: vm.name, action }, principal, scope, POWER_ACTION_VIA[action]),
    );
  }

  async delete(vmId: string, scope: VmScope, principal: Principal): Promise<VmTaskDto> {
    const vm = await this.records.findInScope(vmId, scope);
    const taskId = new Types.ObjectId().toHexString();
    await this.records.lock(vm, taskId);
    return this.undoOnError(taskId, () => this.dispatch(vm, taskId, 'vm.delete', 'vm.delete', { vmId, name: vm.name, force: true }, principal, scope, 'deleting'));
  }

  /** Records the task, queues the job on the VM's host and shows the VM in its in-between state. */
  private async dispatch<A extends 'vm.edit' | 'vm.power' | 'vm.delete'>(
    vm: VmDocument,
    taskId: string,
    kind: TaskKind,
    action: A,
    params: ActionParams<A>,
    principal: Principal,
    scope: VmScope,
    showState?: VmState,
  ): Promise<VmTaskDto> {
    const hostId = vm.hostId?.toHexString() ?? null;
    if (!hostId) throw AppException.conflict(`VM '${vm.name}' is on no host`, ErrorCode.InvalidState);
    const task = await this.tasks.create({ id: taskId, tenantId: vm.tenantId.toHexString(), kind, target: vmTarget(vm), hostId, requestedBy: principal });
    await this.hostJobs.enqueue(hostId, action, params, { jobId: taskId });
    const updated = await this.records.update(vm.id as string, { lastTaskId: oid(taskId), ...(showState ? { state: showState } : {}) }, { stateSet: !!showState });
    return { vm: await this.records.toDto(updated ?? vm, scope), task };
  }

  /** A request that fails after holding quota or locking leaves nothing behind. */
  private async undoOnError<T>(taskId: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const task = await this.tasks.find(taskId);
      const message = error instanceof Error ? error.message : String(error);
      await this.rollBack(taskId, task?.kind ?? null, task?.target.id.toHexString() ?? null, { code: 'REQUEST_FAILED', message }, 'failed');
      throw error;
    }
  }

  // ---- Outcomes ---------------------------------------------------------------------------------

  /** Applies a job's final outcome; safe to run again for the same job. */
  async settle(job: HostJobRef, outcome: JobOutcome): Promise<void> {
    const task = await this.tasks.find(job.jobId);
    if (!task) return;
    if (outcome.ok) await this.settleSuccess(task, job.params, outcome.output as { vm: InventoryVm | null });
    else await this.settleFailure(task, { code: outcome.error.code, message: outcome.error.message });
  }

  async settleFailure(task: TaskDocument, error: TaskError, status: 'failed' | 'cancelled' = 'failed'): Promise<void> {
    await this.rollBack(task.id as string, task.kind, task.target.id.toHexString(), error, status);
  }

  private async settleSuccess(task: TaskDocument, params: unknown, output: { vm: InventoryVm | null }): Promise<void> {
    const taskId = task.id as string;
    const vmId = task.target.id.toHexString();
    const vm = await this.records.find(vmId);
    const reported = output.vm;
    if (vm) {
      switch (task.kind) {
        case 'vm.create':
        case 'vm.clone': {
          const charged: QuotaLimits = { vcpu: vm.vcpu, memoryMiB: vm.memoryMiB, storageGiB: vm.diskGiB, vms: 1 };
          await this.commitHold(taskId, vm, charged);
          await this.records.update(vmId, { ...reportedFields(reported), charged }, { stateSet: true });
          break;
        }
        case 'vm.edit': {
          const edit = params as ActionParams<'vm.edit'>;
          const spec = { vcpu: edit.vcpu ?? vm.vcpu, memoryMiB: edit.memoryMiB ?? vm.memoryMiB, diskGiB: edit.diskGiB ?? vm.diskGiB };
          const delta = { vcpu: spec.vcpu - vm.vcpu, memoryMiB: spec.memoryMiB - vm.memoryMiB, storageGiB: spec.diskGiB - vm.diskGiB, vms: 0 };
          await this.commitHold(taskId, vm, delta);
          await this.records.update(vmId, { ...spec, ...reportedFields(reported), charged: addAmounts(vm.charged, delta) }, { stateSet: true });
          break;
        }
        case 'vm.power':
          await this.records.update(vmId, reportedFields(reported), { stateSet: true });
          break;
        case 'vm.delete':
          await this.quotas.charge(vm.tenantId.toHexString(), negate(vm.charged), { reservationId: taskId, kind: 'vm.delete', description: `Delete VM '${vm.name}'` });
          await this.records.remove(vmId);
          break;
        case 'vm.adopt':
          await this.records.update(vmId, reportedFields(reported), { stateSet: true });
          break;
      }
    }
    await this.records.unlockAllOf(taskId, { restoreStates: false });
    await this.tasks.succeed(taskId, 'Done');
  }

  /** Commits the task's hold; a hold that expired and was released meanwhile is charged again, because the VM does exist. */
  private async commitHold(taskId: string, vm: VmDocument, amounts: QuotaLimits): Promise<void> {
    const result = await this.quotas.commit(taskId);
    if (result !== 'released') return;
    this.logger.warn(`Quota hold of task ${taskId} was released before its job finished; charging VM '${vm.name}' again`);
    await this.quotas.charge(vm.tenantId.toHexString(), amounts, { reservationId: `${taskId}:late`, kind: 'vm.late-commit', description: `Late commit for VM '${vm.name}'`, force: true });
  }

  /** Undoes what a task reserved and made: its hold, a VM that never came to be, an adoption, its locks. */
  private async rollBack(taskId: string, kind: TaskKind | null, targetId: string | null, error: TaskError, status: 'failed' | 'cancelled'): Promise<void> {
    await this.quotas.release(taskId);
    const target = targetId ? await this.records.find(targetId) : null;
    if (target && (kind === 'vm.create' || kind === 'vm.clone' || kind === null) && target.state === 'provisioning') {
      await this.records.remove(targetId!);
    }
    if (target && kind === 'vm.adopt') {
      await this.quotas.charge(target.tenantId.toHexString(), negate(target.charged), { reservationId: `${taskId}:undo`, kind: 'vm.adopt', description: `Undo adoption of VM '${target.name}'` });
      await this.records.remove(targetId!);
    }
    await this.records.unlockAllOf(taskId, { restoreStates: true });
    if (status === 'cancelled') await this.tasks.markCancelled(taskId, 'Cancelled before it started');
    else await this.tasks.fail(taskId, error);
  }

  /** A queued task's job is removed from its host queue; once a worker holds it, it is too late. */
  private async cancelQueued(task: TaskDocument): Promise<boolean> {
    const taskId = task.id as string;
    if (task.hostId) {
      const removed = await this.hostJobs.cancel(task.hostId.toHexString(), taskId);
      if (!removed && (await this.hostJobs.stateOf(task.hostId.toHexString(), taskId)).state !== 'missing') return false;
    }
    await this.settleFailure(task, { code: 'CANCELLED', message: 'Cancelled' }, 'cancelled');
    return true;
  }
}

/** The NoCloud seed of a VM whose image runs cloud-init; its instance id is the VM id, so a clone is a new instance. */
function seedFor(vm: VmDocument): ActionParams<'vm.create'>['cloudInit'] {
  if (!vm.image?.cloudInit) return undefined;
  return renderCloudInitSeed({
    instanceId: vm.id as string,
    // A hostname in the VM's own cloud-init settings wins over this one.
    hostname: hostnameFromVmName(vm.name, `vm-${vm.id as string}`),
    cloudInit: vm.cloudInit ?? undefined,
    defaultUser: vm.image.defaultUser ?? undefined,
  });
}

function reportedFields(reported: InventoryVm | null): { state?: VmState; hypervisorId?: string; ipAddresses?: string[] } {
  if (!reported) return {};
  return { state: vmStateFromHyperv(reported.state), hypervisorId: reported.hypervisorId, ipAddresses: ipsOf(reported) };
}

function requireSettled(vm: VmDocument, toDo: string): void {
  if (!SETTLED_STATES.includes(vm.state)) throw AppException.conflict(`VM '${vm.name}' is ${vm.state}; cannot ${toDo} now`, ErrorCode.InvalidState);
}

function invalid(message: string): AppException {
  return new AppException(HttpStatus.BAD_REQUEST, ErrorCode.ValidationFailed, message);
}


