import { POWER_ACTION_FROM, type Vm, type VmPowerAction } from '@contracts/vms';
import { formatMiB } from '../../../core/labels';

/** The power actions in the order the page shows them, with their button names. */
export const POWER_ACTIONS: readonly { action: VmPowerAction; label: string; icon: string }[] = [
  { action: 'start', label: 'Start', icon: 'play_arrow' },
  { action: 'stop', label: 'Stop', icon: 'stop' },
  { action: 'shutdown', label: 'Shut down', icon: 'power_settings_new' },
  { action: 'restart', label: 'Restart', icon: 'restart_alt' },
  { action: 'pause', label: 'Pause', icon: 'pause' },
  { action: 'resume', label: 'Resume', icon: 'resume' },
  { action: 'save', label: 'Save', icon: 'save' },
];

/** Whether `action` applies to a VM in its current state (Hyper-V's rules, as the server enforces them). */
export function canPower(vm: Pick<Vm, 'state'>, action: VmPowerAction): boolean {
  return (POWER_ACTION_FROM[action] as readonly string[]).includes(vm.state);
}

/** `2 vCPU · 4 GiB · 40 GiB disk`. */
export function vmSpecs(vm: Pick<Vm, 'vcpu' | 'memoryMiB' | 'diskGiB'>): string {
  return `${vm.vcpu} vCPU · ${formatMiB(vm.memoryMiB)} · ${vm.diskGiB} GiB disk`;
}
