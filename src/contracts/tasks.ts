export const TASK_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const FINISHED_TASK_STATUSES: readonly TaskStatus[] = ['succeeded', 'failed', 'cancelled'];

export const TASK_KINDS = ['vm.create', 'vm.edit', 'vm.clone', 'vm.power', 'vm.delete', 'vm.adopt'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export interface TaskStep {
  at: string;
  message: string;
}

export interface TaskError {
  code: string;
  message: string;
}

export interface TaskTarget {
  type: 'vm';
  id: string;
  name: string;
}

export interface TaskRequester {
  type: 'admin' | 'user';
  /** Tenants see an administrator's actions without the administrator's identity. */
  email: string | null;
}

export interface Task {
  id: string;
  kind: TaskKind;
  status: TaskStatus;
  /** 0–100 */
  progress: number;
  steps: TaskStep[];
  error: TaskError | null;
  target: TaskTarget;
  tenantId: string;
  requestedBy: TaskRequester;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}
