import { randomBytes, randomInt } from 'node:crypto';
import { HostFacts, HypervVmState, ImageFile, Inventory, InventoryVm } from '../../../../src/contracts/agent-protocol';
import { DriverError } from '../host-driver';
import { ResolvedSimConfig, ResolvedSimDatastore } from './sim-config';
import { SimNic, SimVmRecord } from './sim-state';

/** How long a booted guest takes to get a DHCP lease, in action-delay steps (0 with actionDelayMs 0). */
const GUEST_BOOT_STEPS = 5;

/** Hyper-V's reserved OUI for dynamically assigned VM MAC addresses. */
const HYPERV_MAC_PREFIX = '00:15:5D';

/** Off and saved VMs have released their memory to the host; every other state holds it. */
function holdsMemory(state: HypervVmState): boolean {
  return state !== 'off' && state !== 'saved';
}

function key(vm: SimVmRecord): string {
  return vm.hypervisorId.toLowerCase();
}

/** Sizes are summed from fractional GiB; two decimals keep facts readable without hiding real usage. */
function roundGiB(value: number): number {
  return Math.max(0, Math.round(value * 100) / 100);
}

/**
 * The simulated host's live model: its VMs, which ones an action is working on, and what is left.
 * Persisted state is only what actions have committed; VMs being created and transitional states are
 * visible in facts and inventory (they hold capacity) but never written to disk.
 */
export class SimHost {
  /** Every VM on the host, by Hyper-V's id (lower-case: a GUID's case means nothing). */
  private readonly vms = new Map<string, SimVmRecord>();
  /** The VMs that carry an OpenHVX marker, by the control plane's VM id: how actions find their VM. */
  private readonly marked = new Map<string, SimVmRecord>();
  /** What Get-VM shows for a VM while an action runs on it. At most one action per VM at a time. */
  private readonly busy = new Map<string, HypervVmState>();
  /** VMs a vm.create or vm.clone is still building: reported, counted, but not saved. */
  private readonly pending = new Set<string>();
  /** Second octet of the host's guest subnet, so VMs of different sim hosts get different addresses. */
  private readonly subnetOctet: number;

  constructor(private readonly config: ResolvedSimConfig) {
    let hash = 0;
    for (const char of config.hostname) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
    this.subnetOctet = hash % 256;
  }

  load(records: SimVmRecord[]): void {
    this.vms.clear();
    this.marked.clear();
    for (const record of records) this.add(record);
  }

  committed(): SimVmRecord[] {
    return [...this.vms.values()].filter((vm) => !this.pending.has(key(vm)));
  }

  /** The VM the control plane knows as `vmId`. */
  find(vmId: string): SimVmRecord | undefined {
    return this.marked.get(vmId);
  }

  findByHypervisorId(hypervisorId: string): SimVmRecord | undefined {
    return this.vms.get(hypervisorId.toLowerCase());
  }

  /** Gives the VM the marker `vmId`, replacing the one it had: a VM answers to one OpenHVX VM id only. */
  mark(vm: SimVmRecord, vmId: string): void {
    if (vm.openhvxVmId !== undefined && this.marked.get(vm.openhvxVmId) === vm) this.marked.delete(vm.openhvxVmId);
    vm.openhvxVmId = vmId;
    this.marked.set(vmId, vm);
  }

  /** Marks a VM as worked on, refusing when another action already is (Hyper-V's "object is in its current state"). */
  claim(vm: SimVmRecord, state: HypervVmState): void {
    const current = this.busy.get(key(vm));
    if (current !== undefined) {
      throw new DriverError('INVALID_STATE', `VM '${vm.name}' is busy (${current}); try again when the running operation ends`, true);
    }
    this.busy.set(key(vm), state);
  }

  show(vm: SimVmRecord, state: HypervVmState): void {
    this.busy.set(key(vm), state);
  }

  /** Whether an action is working on the VM. */
  isBusy(vm: SimVmRecord): boolean {
    return this.busy.has(key(vm));
  }

  release(vm: SimVmRecord): void {
    this.busy.delete(key(vm));
  }

  /** Adds a VM under construction; `claim`ed as off until it is committed or dropped. */
  addPending(vm: SimVmRecord): void {
    this.add(vm);
    this.pending.add(key(vm));
    this.busy.set(key(vm), 'off');
  }

  commitPending(vm: SimVmRecord): void {
    this.pending.delete(key(vm));
    this.busy.delete(key(vm));
  }

  drop(vm: SimVmRecord): void {
    this.vms.delete(key(vm));
    if (vm.openhvxVmId !== undefined && this.marked.get(vm.openhvxVmId) === vm) this.marked.delete(vm.openhvxVmId);
    this.pending.delete(key(vm));
    this.busy.delete(key(vm));
  }

  isPending(vm: SimVmRecord): boolean {
    return this.pending.has(key(vm));
  }

  /** Windows compares names case-insensitively, so `Web` and `web` would be the same VM to an operator. */
  nameOwner(name: string): SimVmRecord | undefined {
    const wanted = name.toLowerCase();
    for (const vm of this.vms.values()) if (vm.name.toLowerCase() === wanted) return vm;
    return undefined;
  }

  stateOf(vm: SimVmRecord): HypervVmState {
    return this.busy.get(key(vm)) ?? vm.state;
  }

  freeMemoryMiB(): number {
    let used = 0;
    for (const vm of this.vms.values()) if (holdsMemory(this.stateOf(vm))) used += vm.memoryMiB;
    return Math.max(0, this.config.memoryMiB - used);
  }

  requireMemory(vmName: string, memoryMiB: number): void {
    const free = this.freeMemoryMiB();
    if (memoryMiB > free) {
      throw new DriverError(
        'INSUFFICIENT_CAPACITY',
        `not enough memory in the system to start VM '${vmName}': it needs ${memoryMiB} MiB, ${free} MiB of ${this.config.memoryMiB} MiB are free`,
      );
    }
  }

  /** A running VM restarted with `memoryMiB`: the memory it holds now is free again once it is off. */
  requireMemoryToRestart(vm: SimVmRecord, memoryMiB: number): void {
    const free = this.freeMemoryMiB() + (holdsMemory(this.stateOf(vm)) ? vm.memoryMiB : 0);
    if (memoryMiB > free) {
      throw new DriverError(
        'INSUFFICIENT_CAPACITY',
        `not enough memory in the system to start VM '${vm.name}' again with ${memoryMiB} MiB: ${free} MiB of ${this.config.memoryMiB} MiB would be free`,
      );
    }
  }

  /** Hyper-V refuses more virtual processors than the host has logical processors, whatever the load. */
  requireVcpu(vcpu: number): void {
    if (vcpu > this.config.cpuCores) {
      throw new DriverError('INVALID_PARAMS', `${vcpu} virtual processors exceed the host's ${this.config.cpuCores} logical processors`);
    }
  }

  datastore(name: string): ResolvedSimDatastore {
    const found = this.config.datastores.find((d) => d.name.toLowerCase() === name.toLowerCase());
    if (!found) throw new DriverError('INVALID_PARAMS', `no datastore named '${name}' on host ${this.config.hostname}`);
    return found;
  }

  /** The datastore with the most free space, where the agent places a VM when none is asked for. */
  roomiestDatastore(): ResolvedSimDatastore {
    return this.config.datastores.reduce((best, d) => (this.datastoreFreeGiB(d) > this.datastoreFreeGiB(best) ? d : best));
  }

  /** Conservative: every disk counts at its full provisioned size, and images live on the first datastore. */
  datastoreFreeGiB(datastore: ResolvedSimDatastore): number {
    let used = datastore === this.config.datastores[0] ? this.config.images.reduce((sum, image) => sum + image.sizeGiB, 0) : 0;
    for (const vm of this.vms.values()) {
      if (vm.datastore !== datastore.name) continue;
      for (const disk of vm.disks) used += disk.sizeGiB;
    }
    return roundGiB(datastore.totalGiB - used);
  }

  requireDisk(datastore: ResolvedSimDatastore, vmName: string, sizeGiB: number): void {
    const free = this.datastoreFreeGiB(datastore);
    if (sizeGiB > free) {
      throw new DriverError('INSUFFICIENT_CAPACITY', `datastore ${datastore.name} has ${free} GiB free; VM '${vmName}' needs ${sizeGiB} GiB`);
    }
  }

  image(fileName: string): ImageFile {
    const found = this.config.images.find((image) => image.fileName.toLowerCase() === fileName.toLowerCase());
    if (!found) throw new DriverError('IMAGE_NOT_FOUND', `image ${fileName} is not in the image library of host ${this.config.hostname}`);
    return found;
  }

  switchName(name: string | undefined): string | null {
    if (name === undefined) return this.config.switches[0]?.name ?? null;
    const found = this.config.switches.find((s) => s.name.toLowerCase() === name.toLowerCase());
    if (!found) throw new DriverError('INVALID_PARAMS', `no virtual switch named '${name}' on host ${this.config.hostname}`);
    return found.name;
  }

  /** A NIC with a MAC from Hyper-V's dynamic range and the lease its guest will get, both unique on this host. */
  newNic(switchName: string | null): SimNic {
    const macs = new Set<string>();
    const ips = new Set<string>();
    for (const vm of this.vms.values()) {
      for (const nic of vm.nics) {
        macs.add(nic.macAddress);
        ips.add(nic.ipAddress);
      }
    }
    let macAddress: string;
    do {
      const bytes = [...randomBytes(3)].map((b) => b.toString(16).padStart(2, '0').toUpperCase());
      macAddress = `${HYPERV_MAC_PREFIX}:${bytes.join(':')}`;
    } while (macs.has(macAddress));
    let ipAddress: string;
    do ipAddress = `10.${this.subnetOctet}.${randomInt(0, 256)}.${randomInt(2, 255)}`;
    while (ips.has(ipAddress));
    return { switchName, macAddress, ipAddress };
  }

  facts(): HostFacts {
    return {
      hostname: this.config.hostname,
      os: 'Windows Server 2025 Datacenter (simulated)',
      hypervVersion: '10.0.26100',
      cpuCores: this.config.cpuCores,
      memoryMiB: this.config.memoryMiB,
      freeMemoryMiB: this.freeMemoryMiB(),
      datastores: this.config.datastores.map((d) => ({ name: d.name, path: d.path, totalGiB: d.totalGiB, freeGiB: this.datastoreFreeGiB(d) })),
    };
  }

  inventory(): Inventory {
    return {
      vms: [...this.vms.values()].map((vm) => this.toInventoryVm(vm)),
      switches: this.config.switches.map((s) => ({ ...s })),
      images: this.config.images.map((i) => ({ ...i })),
    };
  }

  toInventoryVm(vm: SimVmRecord): InventoryVm {
    const now = this.config.clock();
    const upMs = vm.startedAt === null ? 0 : Math.max(0, now - vm.startedAt);
    const on = vm.state === 'running' || vm.state === 'paused';
    const hasLease = on && vm.startedAt !== null && upMs >= GUEST_BOOT_STEPS * this.config.actionDelayMs;
    return {
      hypervisorId: vm.hypervisorId,
      name: vm.name,
      ...(vm.openhvxVmId === undefined ? {} : { openhvxVmId: vm.openhvxVmId }),
      state: this.stateOf(vm),
      generation: vm.generation,
      vcpu: vm.vcpu,
      memoryMiB: vm.memoryMiB,
      uptimeSeconds: on ? Math.floor(upMs / 1000) : 0,
      disks: vm.disks.map((d) => ({ ...d })),
      nics: vm.nics.map((nic) => ({ switchName: nic.switchName, macAddress: nic.macAddress, ipAddresses: hasLease ? [nic.ipAddress] : [] })),
    };
  }

  private add(vm: SimVmRecord): void {
    this.vms.set(key(vm), vm);
    if (vm.openhvxVmId !== undefined) this.marked.set(vm.openhvxVmId, vm);
  }
}
