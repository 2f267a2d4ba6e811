import { HypervVmState, VmPowerAction } from '../../../../src/contracts/agent-protocol';
import { POWER_ACTION_FROM } from '../../../../src/contracts/vms';
import { DriverError } from '../host-driver';
import { SettledVmState } from './sim-state';

export interface PowerTransition {
  readonly from: readonly SettledVmState[];
  readonly to: SettledVmState;
  readonly label: string;
  /** What Get-VM shows while the transition runs. */
  readonly via: HypervVmState;
  /** Duration in action-delay steps. */
  readonly steps: number;
  /** Booting claims the VM's memory; Hyper-V refuses to start a VM that does not fit. */
  readonly needsMemory: boolean;
  /** A fresh boot: uptime starts again and the guest needs a moment before it has an IP. */
  readonly boots: boolean;
}

/** Hyper-V's power semantics (Start-VM, Stop-VM -TurnOff, Stop-VM, Restart-VM, Suspend-VM, Resume-VM, Save-VM). */
export const POWER_TRANSITIONS: Readonly<Record<VmPowerAction, PowerTransition>> = {
  start: { label: 'Starting the VM', from: POWER_ACTION_FROM.start, to: 'running', via: 'starting', steps: 2, needsMemory: true, boots: true },
  stop: { label: 'Turning the VM off', from: POWER_ACTION_FROM.stop, to: 'off', via: 'stopping', steps: 1, needsMemory: false, boots: false },
  shutdown: { label: 'Shutting the guest down', from: POWER_ACTION_FROM.shutdown, to: 'off', via: 'stopping', steps: 3, needsMemory: false, boots: false },
  restart: { label: 'Restarting the VM', from: POWER_ACTION_FROM.restart, to: 'running', via: 'starting', steps: 2, needsMemory: false, boots: true },
  pause: { label: 'Pausing the VM', from: POWER_ACTION_FROM.pause, to: 'paused', via: 'pausing', steps: 1, needsMemory: false, boots: false },
  resume: { label: 'Resuming the VM', from: POWER_ACTION_FROM.resume, to: 'running', via: 'resuming', steps: 1, needsMemory: false, boots: false },
  save: { label: 'Saving the VM state', from: POWER_ACTION_FROM.save, to: 'saved', via: 'saving', steps: 2, needsMemory: false, boots: false },
};

const HINTS: Partial<Record<SettledVmState, string>> = {
  off: 'start it first',
  paused: 'resume it or turn it off',
  saved: 'start it to restore it, or delete it',
};

/**
 * The transition `action` makes from `state`, or null when the VM already is where the action leads
 * (a re-run job must not fail). Restart always acts: it has no resting target to compare with.
 */
export function planPowerAction(vmName: string, state: SettledVmState, action: VmPowerAction): PowerTransition | null {
  const transition = POWER_TRANSITIONS[action];
  if (action !== 'restart' && state === transition.to) return null;
  if (transition.from.includes(state)) return transition;
  const hint = HINTS[state];
  throw new DriverError('INVALID_STATE', `cannot ${action} VM '${vmName}': it is ${state}${hint ? `; ${hint}` : ''}`);
}
