import type { Task, TaskKind } from '@contracts/tasks';
import type { VmState } from '@contracts/vms';

const TASK_VERBS: Record<TaskKind, string> = {
  'vm.create': 'Create',
  'vm.edit': 'Edit',
  'vm.clone': 'Clone',
  'vm.power': 'Power',
  'vm.delete': 'Delete',
  'vm.adopt': 'Adopt',
};

/** `Create VM web-01`. */
export function taskTitle(task: Pick<Task, 'kind' | 'target'>): string {
  return `${TASK_VERBS[task.kind] ?? task.kind} VM ${task.target.name}`;
}

export const VM_STATE_LABELS: Record<VmState, string> = {
  provisioning: 'Provisioning',
  starting: 'Starting',
  running: 'Running',
  stopping: 'Stopping',
  off: 'Off',
  paused: 'Paused',
  saved: 'Saved',
  deleting: 'Deleting',
  missing: 'Missing',
  error: 'Error',
};

/** 2048 → `2 GiB`, 1536 → `1.5 GiB`, 512 → `512 MiB`. */
export function formatMiB(mib: number): string {
  if (mib < 1024) return `${mib} MiB`;
  const gib = mib / 1024;
  return `${Number.isInteger(gib) ? gib : gib.toFixed(1)} GiB`;
}
