import type { HypervVmState, VmPowerAction } from './agent-protocol';

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
