import { ActionParams } from '../../../../src/contracts/agent-protocol';
import { DriverError } from '../host-driver';
import { ResolvedSimDatastore } from './sim-config';
import { SimHost } from './sim-host';
import { POWER_TRANSITIONS } from './sim-power';
import { SimRun } from './sim-run';
import { SimStateStore, SimVmRecord } from './sim-state';
import { mustBeOff, requireMemoryUnit } from './sim-vm-rules';

/** What a vm.edit changes, decided (and every refusal made) before anything changes. */
export interface SimEditPlan {
  /** Only values that differ from the VM's: an unchanged value is no change. */
  vcpu?: number;
  memoryMiB?: number;
  /** The boot disk grows to `diskGiB`, by `growGiB` on `datastore`. */
  disk?: { diskGiB: number; growGiB: number; datastore: ResolvedSimDatastore };
  /** The VM runs and a change needs it off: it is shut down, changed and started again. */
  restart: boolean;
}

/** The edit `p` asks of `vm`, or null when it changes nothing; throws the DriverError Hyper-V would answer. */
export function planSimEdit(host: SimHost, vm: SimVmRecord, p: ActionParams<'vm.edit'>): SimEditPlan | null {
  const vcpu = p.vcpu !== undefined && p.vcpu !== vm.vcpu ? p.vcpu : undefined;
  const memoryMiB = p.memoryMiB !== undefined && p.memoryMiB !== vm.memoryMiB ? p.memoryMiB : undefined;
  if (vcpu !== undefined) host.requireVcpu(vcpu);
  if (memoryMiB !== undefined) requireMemoryUnit(memoryMiB);

  // Hyper-V cannot hot-change the processor count, even of a paused or saved VM; with static memory, a
  // running or saved memory image has the old size baked in.
  const needsOffTo = [vcpu !== undefined ? 'change its processor count' : '', memoryMiB !== undefined ? 'change its memory' : ''].filter((what) => what !== '');
  const restart = needsOffTo.length > 0 && vm.state !== 'off';
  // Only a running VM restarts: a paused or saved one holds a memory image that shutting down would throw away.
  if (restart && !(p.restart && vm.state === 'running')) throw mustBeOff(vm, needsOffTo.join(' and '), vm.state === 'running');

  const bootDisk = vm.disks[0];
  let disk: SimEditPlan['disk'];
  if (p.diskGiB !== undefined && bootDisk) {
    if (p.diskGiB < bootDisk.sizeGiB) throw new DriverError('DISK_CANNOT_SHRINK', `VM '${vm.name}' has a ${bootDisk.sizeGiB} GiB disk; disks only grow`);
    const growGiB = p.diskGiB - bootDisk.sizeGiB;
    if (growGiB > 0) {
      const datastore = host.datastore(vm.datastore);
      host.requireDisk(datastore, vm.name, growGiB);
      disk = { diskGiB: p.diskGiB, growGiB, datastore };
    }
  }
  if (vcpu === undefined && memoryMiB === undefined && disk === undefined) return null;
  // Refused now rather than after the guest went down: a VM that cannot start again must not be stopped.
  if (restart && memoryMiB !== undefined) host.requireMemoryToRestart(vm, memoryMiB);
  return { vcpu, memoryMiB, disk, restart };
}

/** The last progress report of an edit. */
export function describeSimEdit(plan: SimEditPlan | null): string {
  if (!plan) return 'Nothing to change';
  return plan.restart ? 'Changed; the VM was shut down for it and started again' : 'Done';
}

/** What applying an edit works with: the driver's live host, its state file, its clock. */
export interface SimEditContext {
  host: SimHost;
  store: SimStateStore;
  clock: () => number;
}

/** Applies a plan to a VM the caller has claimed, and saves the result. */
export async function applySimEdit(context: SimEditContext, vm: SimVmRecord, plan: SimEditPlan, run: SimRun): Promise<void> {
  if (plan.restart) await applyWithRestart(context, vm, plan, run);
  else await applyInPlace(context, vm, plan, run);
  context.store.save();
}

async function applyInPlace(context: SimEditContext, vm: SimVmRecord, plan: SimEditPlan, run: SimRun): Promise<void> {
  if (plan.vcpu !== undefined || plan.memoryMiB !== undefined) await run.step(20, 'Applying processor and memory settings');
  // A VHDX attached to SCSI grows online, so this works while the VM runs.
  await stepGrowDisk(context, vm, plan, run, 60);
  // Changed only once every step is through: an edit aborted on the way changes nothing.
  applySettings(vm, plan);
  applyDiskGrowth(vm, plan);
}

/** Shuts the guest down, changes the VM and starts it again; a failure once it is down starts it again as it was. */
async function applyWithRestart(context: SimEditContext, vm: SimVmRecord, plan: SimEditPlan, run: SimRun): Promise<void> {
  const previous = { vcpu: vm.vcpu, memoryMiB: vm.memoryMiB };
  context.host.show(vm, POWER_TRANSITIONS.shutdown.via);
  await run.step(10, 'Shutting the guest down to change its processors and memory', POWER_TRANSITIONS.shutdown.steps);
  setPowerState(context, vm, 'off');
  try {
    await run.step(40, 'Applying processor and memory settings');
    applySettings(vm, plan);
    await stepGrowDisk(context, vm, plan, run, 60);
    applyDiskGrowth(vm, plan);
    // Checked again: other jobs may have started VMs while this one was down.
    context.host.requireMemory(vm.name, vm.memoryMiB);
    context.host.show(vm, POWER_TRANSITIONS.start.via);
    await run.step(75, 'Starting the VM again', POWER_TRANSITIONS.start.steps);
    setPowerState(context, vm, 'running');
  } catch (error) {
    await restartAfterFailure(context, vm, previous, run);
    throw error;
  }
}

/**
 * Puts the VM back on the processors and memory it ran with and starts it, so a failed edit does not
 * leave it off. A disk already grown stays grown (disks only grow). Saved either way: it is what the host
 * now has.
 */
async function restartAfterFailure(context: SimEditContext, vm: SimVmRecord, previous: { vcpu: number; memoryMiB: number }, run: SimRun): Promise<void> {
  vm.vcpu = previous.vcpu;
  vm.memoryMiB = previous.memoryMiB;
  try {
    context.host.requireMemory(vm.name, vm.memoryMiB);
  } catch {
    // Other jobs took its memory while it was down: it stays off, and the job reports the first error.
    context.store.save();
    return;
  }
  await run.recoveryStep(90, 'The change failed: starting the VM again with its previous settings');
  setPowerState(context, vm, 'running');
  context.store.save();
}

async function stepGrowDisk(context: SimEditContext, vm: SimVmRecord, plan: SimEditPlan, run: SimRun, percent: number): Promise<void> {
  if (!plan.disk) return;
  await run.step(percent, `Growing the disk to ${plan.disk.diskGiB} GiB`);
  // Checked again: other jobs may have used the space while this one waited.
  context.host.requireDisk(plan.disk.datastore, vm.name, plan.disk.growGiB);
}

function setPowerState(context: SimEditContext, vm: SimVmRecord, state: 'off' | 'running'): void {
  vm.state = state;
  vm.startedAt = state === 'running' ? context.clock() : null;
  context.host.show(vm, state);
}

function applySettings(vm: SimVmRecord, plan: SimEditPlan): void {
  if (plan.vcpu !== undefined) vm.vcpu = plan.vcpu;
  if (plan.memoryMiB !== undefined) vm.memoryMiB = plan.memoryMiB;
}

function applyDiskGrowth(vm: SimVmRecord, plan: SimEditPlan): void {
  if (plan.disk) vm.disks[0].sizeGiB = plan.disk.diskGiB;
}
