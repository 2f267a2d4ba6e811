import type { HypervVmState, VmPowerAction } from './agent-protocol';
import type { Page } from './tenants';
import type { CloudInitInput } from './cloud-init';
import type { Task } from './tasks';

export type { VmPowerAction } from './agent-protocol';

export const VM_STATES = ['provisioning', 'starting', 'running', 'stopping', 'off', 'paused', 'saved', 'deleting', 'missing', 'error'] as const;
export type VmState = (typeof VM_STATES)[number];

export interface Vm {
  id: string;
  name: string;
  state: VmState;
  vcpu: number;
  memoryMiB: number;
  diskGiB: number;
  imageId: string | null;
  imageName: string | null;
  /** Tenants see the host's name only; admins also get hostId. */
  hostName: string | null;
  ipAddresses: string[];
  createdAt: string;
  lastTaskId: string | null;
}

/** The size fields every VM has. */
export interface VmSize {
  vcpu: number;
  /** A multiple of 2, at least 512. */
  memoryMiB: number;
  /** The system disk; at least the image's minimum. */
  diskGiB: number;
}

/** `POST /api/v1/vms`. */
export interface CreateVmRequest extends VmSize {
  name: string;
  imageId: string;
  cloudInit?: CloudInitInput;
  /** Start the VM once it is created (default true). */
  start?: boolean;
}

/** `PATCH /api/v1/vms/:id`: disks only grow; processor and memory changes of a running VM need `restart`. */
export interface UpdateVmRequest extends Partial<VmSize> {
  restart?: boolean;
}

/** `POST /api/v1/vms/:id/clone`. */
export interface CloneVmRequest {
  name: string;
  /** Start the copy once made (default false). */
  start?: boolean;
}

/** `POST /api/v1/vms/:id/power`. */
export interface PowerVmRequest {
  action: VmPowerAction;
}

/** What every accepted VM request answers (202): the VM as it is now and the task doing the work. */
export interface VmTask {
  vm: Vm;
  task: Task;
}

/** The states a VM rests in between actions. */
export type RestingVmState = Extract<VmState, 'off' | 'running' | 'paused' | 'saved'>;

/** The states each power action may start from: Hyper-V's rules, which the sim driver enforces from this table. */
export const POWER_ACTION_FROM: Readonly<Record<VmPowerAction, readonly RestingVmState[]>> = {
  start: ['off', 'saved'],
  stop: ['running', 'paused'],
  // A graceful shutdown goes through the guest, which a paused VM cannot run.
  shutdown: ['running'],
  restart: ['running'],
  pause: ['running'],
  resume: ['paused'],
  save: ['running', 'paused'],
};

/** What a power action shows while it runs. */
export const POWER_ACTION_VIA: Readonly<Record<VmPowerAction, VmState>> = {
  start: 'starting',
  stop: 'stopping',
  shutdown: 'stopping',
  restart: 'starting',
  pause: 'running',
  resume: 'running',
  save: 'stopping',
};

/** Hyper-V's reported state as the API's VM state; transient Hyper-V states fold into the nearest API one. */
export function vmStateFromHyperv(state: HypervVmState): VmState {
  switch (state) {
    case 'running':
    case 'off':
    case 'starting':
    case 'stopping':
    case 'saved':
    case 'paused':
      return state;
    case 'saving':
      return 'stopping';
    case 'pausing':
      return 'paused';
    case 'resuming':
      return 'starting';
    case 'other':
      return 'error';
  }
}

/** The administrator's view of a VM: whose it is and where it runs. */
export interface AdminVm extends Vm {
  tenantId: string;
  hostId: string | null;
  /** Hyper-V's VM id, once the host has reported the VM. */
  hypervisorId: string | null;
}

export type AdminVmPage = Page<AdminVm>;

/** A VM a host reports that OpenHVX does not manage (made outside it, or left behind). */
export interface UnmanagedVm {
  /** Hyper-V's VM id. */
  id: string;
  hostId: string;
  hostName: string;
  name: string;
  /** Hyper-V's state, as the host reports it. */
  state: string;
  vcpu: number;
  memoryMiB: number;
  diskGiB: number;
  ipAddresses: string[];
}

export type UnmanagedVmPage = Page<UnmanagedVm>;

export interface AdoptVmRequest {
  tenantId: string;
  /** Adopt even when the VM does not fit in the tenant's quota. */
  force?: boolean;
}
