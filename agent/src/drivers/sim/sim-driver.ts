import { randomUUID } from 'node:crypto';
import { mkdir, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ActionParams,
  AgentAction,
  HostFacts,
  Inventory,
  InventoryVm,
  VmActionOutput,
  VmDeleteOutput,
} from '../../../../src/contracts/agent-protocol';
import { ActionContext, DriverError, HostDriver, isAgentAction, parseActionParams, SerialHandlers, SerialStream, SerialTarget } from '../host-driver';
import { ResolvedSimConfig, ResolvedSimDatastore, resolveSimConfig, SimConfig } from './sim-config';
import { applySimEdit, describeSimEdit, planSimEdit, SimEditPlan } from './sim-edit';
import { SIM_FAULTS_FILE, SimFaultInjector } from './sim-faults';
import { GuestHalt } from './sim-guest/sim-guest';
import { GuestHaltOutcome, SimGuests } from './sim-guests';
import { SimHost } from './sim-host';
import { planPowerAction } from './sim-power';
import { SimRun } from './sim-run';
import { SIM_STATE_FILE, SimStateStore, SimVmRecord } from './sim-state';
import { moveSimVmFiles, removeOrphanSimVmDirs, removeSimVmFiles, writeSimSeedIso } from './sim-vm-files';
import { mustBeOff, requireMemoryUnit } from './sim-vm-rules';

export { simSeedIsoPath } from './sim-vm-files';

/** Characters Windows refuses in a file name; a VM name may hold them, its disk's file name cannot. */
function diskPath(datastore: ResolvedSimDatastore, vmId: string, vmName: string): string {
  return `${datastore.path}\\${vmId}\\${vmName.replace(/[\\/:*?"<>|]/g, '_')}.vhdx`;
}

/**
 * A simulated Hyper-V host with Hyper-V's semantics at the HostDriver interface: capacity limits,
 * timings, state transitions, injected faults. Everything lives on the instance, so a benchmark can run
 * thousands of them in one process, each with its own `dataDir`.
 */
export class SimDriver implements HostDriver {
  readonly kind = 'sim' as const;
  readonly config: ResolvedSimConfig;
  private readonly host: SimHost;
  private readonly store: SimStateStore;
  private readonly faults: SimFaultInjector;
  private readonly guests: SimGuests;
  private readonly inventoryListeners: (() => void)[] = [];
  private started = false;

  constructor(config: SimConfig) {
    this.config = resolveSimConfig(config);
    this.host = new SimHost(this.config);
    this.guests = new SimGuests(this.config, (vm, kind) => this.guestHalted(vm, kind));
    this.store = new SimStateStore(this.config.dataDir, () => this.host.committed());
    this.faults = new SimFaultInjector(this.config.dataDir);
  }

  async start(): Promise<void> {
    await mkdir(this.config.dataDir, { recursive: true });
    await this.removeStaleTempFiles();
    const records = await this.store.load();
    await removeOrphanSimVmDirs(this.config.dataDir, new Set(records.flatMap((vm) => (vm.openhvxVmId === undefined ? [] : [vm.openhvxVmId]))));
    this.host.load(records);
    this.started = true;
  }

  async stop(): Promise<void> {
    // Every change is written before its action answers, so there is nothing to flush.
    this.started = false;
    this.guests.removeAll('agent-stopping', 'The agent is stopping');
  }

  async facts(): Promise<HostFacts> {
    this.requireStarted();
    return this.host.facts();
  }

  async inventory(): Promise<Inventory> {
    this.requireStarted();
    return this.host.inventory();
  }

  /** While true the agent core sends nothing, like a hung host (`"silent": true` in sim-faults.json). */
  isSilent(): boolean {
    return this.faults.isSilent();
  }

  onInventoryChange(listener: () => void): void {
    this.inventoryListeners.push(listener);
  }

  /** COM1 of the VM: its simulated guest. */
  async openSerial(target: SerialTarget, handlers: SerialHandlers): Promise<SerialStream> {
    this.requireStarted();
    const vm = this.host.find(target.vmId) ?? (target.hypervisorId === null ? undefined : this.host.findByHypervisorId(target.hypervisorId));
    if (!vm || this.host.isPending(vm)) throw new DriverError('NOT_FOUND', `no VM with vmId ${target.vmId} on host ${this.config.hostname}`);
    return this.guests.openSerial(vm, handlers);
  }

  async run<A extends AgentAction>(action: A, params: ActionParams<A>, context: ActionContext): Promise<unknown> {
    try {
      return await this.runAction(action, params, context);
    } finally {
      // Whatever the action did to VMs' power, their guests follow (also when it failed half-way).
      this.guests.sync((hypervisorId) => this.host.findByHypervisorId(hypervisorId));
    }
  }

  private async runAction<A extends AgentAction>(action: A, params: ActionParams<A>, context: ActionContext): Promise<unknown> {
    this.requireStarted();
    if (!isAgentAction(action)) throw new DriverError('UNKNOWN_ACTION', `the sim driver has no action '${String(action)}'`);
    const plan = this.faults.beginAction(action);
    const run = new SimRun({
      action,
      context,
      actionDelayMs: this.config.actionDelayMs,
      crash: plan.crash,
      clearCrash: () => this.faults.clearCrash(action),
      onCrash: this.config.onCrash,
    });
    const name: AgentAction = action;
    switch (name) {
      case 'host.refresh':
        parseActionParams(name, params);
        await run.done();
        return {};
      case 'vm.create':
        return this.create(parseActionParams(name, params), run);
      case 'vm.edit':
        return this.edit(parseActionParams(name, params), run);
      case 'vm.clone':
        return this.clone(parseActionParams(name, params), run);
      case 'vm.power':
        return this.power(parseActionParams(name, params), run);
      case 'vm.delete':
        return this.delete(parseActionParams(name, params), run);
      case 'vm.adopt':
        return this.adopt(parseActionParams(name, params), run);
    }
  }

  private async create(p: ActionParams<'vm.create'>, run: SimRun): Promise<VmActionOutput> {
    const existing = this.host.find(p.vmId);
    if (existing) return this.answerRerun(existing, p.vmId, p.name, run);

    // Everything is checked and reserved without an await in between, so concurrent jobs cannot both
    // take the last name, GiB or MiB.
    this.requireFreeName(p.name);
    this.host.requireVcpu(p.vcpu);
    requireMemoryUnit(p.memoryMiB);
    if (p.generation === 1 && p.secureBootTemplate) {
      throw new DriverError('INVALID_PARAMS', 'secure boot is a generation 2 feature; generation 1 VMs boot from BIOS');
    }
    const image = this.host.image(p.imageFileName);
    if (p.diskGiB < image.sizeGiB) {
      throw new DriverError('DISK_CANNOT_SHRINK', `a ${p.diskGiB} GiB disk is smaller than image ${image.fileName} (${image.sizeGiB} GiB)`);
    }
    const datastore = p.datastore === undefined ? this.host.roomiestDatastore() : this.host.datastore(p.datastore);
    const switchName = this.host.switchName(p.switchName);
    this.host.requireDisk(datastore, p.name, p.diskGiB);
    if (p.start) this.host.requireMemory(p.name, p.memoryMiB);

    const vm: SimVmRecord = {
      hypervisorId: randomUUID(),
      name: p.name,
      openhvxVmId: p.vmId,
      state: 'off',
      generation: p.generation,
      vcpu: p.vcpu,
      memoryMiB: p.memoryMiB,
      datastore: datastore.name,
      imageFileName: image.fileName,
      // A fresh differencing disk holds next to nothing beyond its parent, which it reads through.
      disks: [{ path: diskPath(datastore, p.vmId, p.name), sizeGiB: p.diskGiB, usedGiB: image.sizeGiB }],
      nics: [this.host.newNic(switchName)],
      startedAt: null,
      cloudInit: p.cloudInit,
    };
    this.host.addPending(vm);
    return this.completeNewVm(vm, p.vmId, run, async () => {
      await run.step(10, `Creating a differencing disk from ${image.fileName}`);
      if (p.cloudInit) writeSimSeedIso(this.config.dataDir, p.vmId, p.cloudInit);
      await run.step(40, p.cloudInit ? 'Configuring the VM and attaching its cloud-init seed' : 'Configuring the VM');
      if (p.start) await this.boot(vm, run, 70);
    });
  }

  /** Runs the remaining steps of a VM being made; it exists (and is saved) only if they all succeed. */
  private async completeNewVm(vm: SimVmRecord, vmId: string, run: SimRun, steps: () => Promise<void>): Promise<VmActionOutput> {
    try {
      await steps();
    } catch (error) {
      this.discardNewVm(vm, vmId);
      throw error;
    }
    this.host.commitPending(vm);
    this.store.save();
    await run.done();
    return { vm: this.host.toInventoryVm(vm) };
  }

  private async edit(p: ActionParams<'vm.edit'>, run: SimRun): Promise<VmActionOutput> {
    const vm = this.requireVm(p.vmId);
    this.host.claim(vm, vm.state);
    let plan: SimEditPlan | null;
    try {
      plan = planSimEdit(this.host, vm, p);
      if (plan) await applySimEdit({ host: this.host, store: this.store, clock: this.config.clock }, vm, plan, run);
    } finally {
      this.host.release(vm);
    }
    await run.done(describeSimEdit(plan));
    return { vm: this.host.toInventoryVm(vm) };
  }

  private async clone(p: ActionParams<'vm.clone'>, run: SimRun): Promise<VmActionOutput> {
    const existing = this.host.find(p.target.vmId);
    if (existing) return this.answerRerun(existing, p.target.vmId, p.target.name, run);
    const source = this.requireVm(p.source.vmId);

    this.host.claim(source, source.state);
    let target: SimVmRecord | undefined;
    try {
      // Copying a running VM's disk would capture it mid-write; Hyper-V's consistent copy needs it off.
      if (source.state !== 'off') throw mustBeOff(source, 'clone it');
      this.requireFreeName(p.target.name);
      const datastore = this.host.datastore(source.datastore);
      const sizeGiB = source.disks.reduce((sum, d) => sum + d.sizeGiB, 0);
      this.host.requireDisk(datastore, p.target.name, sizeGiB);
      if (p.target.start) this.host.requireMemory(p.target.name, source.memoryMiB);

      const cloned: SimVmRecord = {
        ...source,
        hypervisorId: randomUUID(),
        name: p.target.name,
        openhvxVmId: p.target.vmId,
        state: 'off',
        // A full, independent copy: it no longer reads through to the image.
        disks: source.disks.map((d, index) => ({
          path: diskPath(datastore, p.target.vmId, index === 0 ? p.target.name : `${p.target.name}-${index}`),
          sizeGiB: d.sizeGiB,
          usedGiB: d.usedGiB,
        })),
        nics: source.nics.map((nic) => this.host.newNic(nic.switchName)),
        startedAt: null,
        cloudInit: p.target.cloudInit ?? source.cloudInit,
      };
      target = cloned;
      this.host.addPending(cloned);
      await run.step(10, `Exporting VM '${source.name}'`);
      await run.step(30, 'Copying its disks', 2);
      // Only a seed of its own goes in the copy's DVD drive; Hyper-V's clone does not copy the source's either.
      if (p.target.cloudInit) writeSimSeedIso(this.config.dataDir, p.target.vmId, p.target.cloudInit);
      await run.step(60, p.target.cloudInit ? `Importing the copy as VM '${cloned.name}' with its own cloud-init seed` : `Importing the copy as VM '${cloned.name}'`);
    } catch (error) {
      if (target) this.discardNewVm(target, p.target.vmId);
      throw error;
    } finally {
      this.host.release(source);
    }

    return this.completeNewVm(target, p.target.vmId, run, async () => {
      if (p.target.start) await this.boot(target, run, 80);
    });
  }

  private async power(p: ActionParams<'vm.power'>, run: SimRun): Promise<VmActionOutput> {
    const vm = this.requireVm(p.vmId);
    this.host.claim(vm, vm.state);
    try {
      const transition = planPowerAction(vm.name, vm.state, p.action);
      if (!transition) {
        await run.done(`Already ${vm.state}`);
        return { vm: this.host.toInventoryVm(vm) };
      }
      if (transition.needsMemory) this.host.requireMemory(vm.name, vm.memoryMiB);
      this.host.show(vm, transition.via);
      if (p.action === 'shutdown') this.guests.guestOf(vm)?.shutdown();
      await run.step(20, transition.label, transition.steps);
      vm.state = transition.to;
      if (transition.boots) vm.startedAt = this.config.clock();
      if (transition.to === 'off' || transition.to === 'saved') vm.startedAt = null;
      this.store.save();
    } finally {
      this.host.release(vm);
    }
    await run.done();
    return { vm: this.host.toInventoryVm(vm) };
  }

  private async delete(p: ActionParams<'vm.delete'>, run: SimRun): Promise<VmDeleteOutput> {
    const vm = this.host.find(p.vmId);
    if (!vm) {
      await run.done('Already deleted');
      return { vm: null };
    }
    this.host.claim(vm, vm.state);
    let removed: InventoryVm;
    try {
      if (vm.state === 'running' || vm.state === 'paused') {
        if (!p.force) throw mustBeOff(vm, 'delete it (or delete with force)');
        this.host.show(vm, 'stopping');
        await run.step(20, 'Turning the VM off');
        this.host.show(vm, 'off');
      }
      await run.step(50, 'Removing the VM, its disks and its seed ISO');
      vm.state = 'off';
      vm.startedAt = null;
      removed = this.host.toInventoryVm(vm);
      this.host.drop(vm);
      this.store.save();
      removeSimVmFiles(this.config.dataDir, p.vmId);
      this.guests.remove(vm, 'vm-deleted', 'The VM was deleted');
    } finally {
      this.host.release(vm);
    }
    await run.done();
    return { vm: removed };
  }

  /**
   * Makes a VM made outside OpenHVX (or one whose marker names a VM the control plane no longer has) the
   * control plane's VM `vmId`. Its old marker, if any, is replaced; a vmId another VM carries is refused.
   */
  private async adopt(p: ActionParams<'vm.adopt'>, run: SimRun): Promise<VmActionOutput> {
    const vm = this.host.findByHypervisorId(p.hypervisorId);
    if (!vm || this.host.isPending(vm)) throw new DriverError('NOT_FOUND', `no VM with hypervisorId ${p.hypervisorId} on host ${this.config.hostname}`);
    if (vm.openhvxVmId === p.vmId) {
      await run.done(`VM '${vm.name}' already is OpenHVX VM ${p.vmId}`);
      return { vm: this.host.toInventoryVm(vm) };
    }
    this.requireVmIdFree(p.vmId);
    this.host.claim(vm, vm.state);
    try {
      const previous = vm.openhvxVmId;
      await run.step(30, previous === undefined ? `Marking VM '${vm.name}' as OpenHVX VM ${p.vmId}` : `Marking VM '${vm.name}' as OpenHVX VM ${p.vmId} instead of ${previous}`);
      // Checked again: another job may have given the vmId to a VM while this one waited.
      this.requireVmIdFree(p.vmId);
      this.host.mark(vm, p.vmId);
      this.store.save();
      if (previous !== undefined) moveSimVmFiles(this.config.dataDir, previous, p.vmId);
    } finally {
      this.host.release(vm);
    }
    await run.done();
    return { vm: this.host.toInventoryVm(vm) };
  }

  /**
   * The guest ran `poweroff` or `reboot` and has shut down: the VM turns off or starts again, as Hyper-V
   * sees a guest halt. While an action works on the VM it waits, so the action's own outcome is not overwritten.
   */
  private guestHalted(vm: SimVmRecord, kind: GuestHalt): GuestHaltOutcome {
    if (!this.started || this.host.findByHypervisorId(vm.hypervisorId) !== vm || vm.state !== 'running') return 'ignored';
    if (this.host.isBusy(vm)) return 'busy';
    vm.state = kind === 'poweroff' ? 'off' : 'running';
    vm.startedAt = kind === 'poweroff' ? null : this.config.clock();
    this.store.save();
    for (const listener of this.inventoryListeners) listener();
    return 'applied';
  }

  /** A VM being made failed: it never existed, and neither do its files. */
  private discardNewVm(vm: SimVmRecord, vmId: string): void {
    this.host.drop(vm);
    removeSimVmFiles(this.config.dataDir, vmId);
  }

  /** Boots a VM being built; the memory is checked again because other jobs may have taken it meanwhile. */
  private async boot(vm: SimVmRecord, run: SimRun, percent: number): Promise<void> {
    this.host.requireMemory(vm.name, vm.memoryMiB);
    this.host.show(vm, 'starting');
    await run.step(percent, 'Starting the VM');
    vm.state = 'running';
    vm.startedAt = this.config.clock();
  }

  /**
   * The job that made this VM runs again (a retry after a crash or a lost result): answer the VM rather
   * than fail or duplicate it. The same vmId under another name is a different request and refused.
   */
  private async answerRerun(existing: SimVmRecord, vmId: string, name: string, run: SimRun): Promise<VmActionOutput> {
    if (this.host.isPending(existing)) {
      throw new DriverError('INVALID_STATE', `VM '${existing.name}' is still being created; try again when that job ends`, true);
    }
    if (existing.name.toLowerCase() !== name.toLowerCase()) {
      throw new DriverError('INVALID_PARAMS', `vmId ${vmId} already belongs to VM '${existing.name}', not '${name}'`);
    }
    await run.done('The VM already exists');
    return { vm: this.host.toInventoryVm(existing) };
  }

  private requireVm(vmId: string): SimVmRecord {
    const vm = this.host.find(vmId);
    if (!vm) throw new DriverError('NOT_FOUND', `no VM with vmId ${vmId} on host ${this.config.hostname}`);
    return vm;
  }

  private requireVmIdFree(vmId: string): void {
    const holder = this.host.find(vmId);
    if (holder) throw new DriverError('INVALID_PARAMS', `vmId ${vmId} already belongs to VM '${holder.name}' on host ${this.config.hostname}`);
  }

  private requireFreeName(name: string): void {
    const owner = this.host.nameOwner(name);
    if (owner) throw new DriverError('NAME_TAKEN', `a VM named '${owner.name}' already exists on host ${this.config.hostname}`);
  }

  private requireStarted(): void {
    if (!this.started) throw new Error('SimDriver.start() must be called (and awaited) first');
  }

  /** Temp files of writes cut short by a killed process; the renamed-over files never depend on them. */
  private async removeStaleTempFiles(): Promise<void> {
    const stale = (await readdir(this.config.dataDir)).filter(
      (n) => (n.startsWith(`${SIM_STATE_FILE}.`) || n.startsWith(`${SIM_FAULTS_FILE}.`)) && n.endsWith('.tmp'),
    );
    await Promise.all(stale.map((n) => unlink(join(this.config.dataDir, n)).catch(() => undefined)));
  }
}
