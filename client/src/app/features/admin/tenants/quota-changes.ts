import type { PlatformEvent } from '@contracts/events';
import { FINISHED_TASK_STATUSES, Task } from '@contracts/tasks';
import { auditTime, filter, map, Observable } from 'rxjs';
import { LiveEvents } from '../../../core/live-events';

/** Events after which a tenant's usage or holds may differ: holds are taken when a task starts and settled when it ends. */
function changesQuota(event: PlatformEvent): boolean {
  switch (event.type) {
    case 'quota.updated':
    case 'vm.created':
    case 'vm.deleted':
    case 'task.created':
      return true;
    case 'task.updated':
      return FINISHED_TASK_STATUSES.includes((event.data as Task).status);
    default:
      return false;
  }
}

/** Fires (at most once a second) when the quota usage of `tenantId()` may have changed. */
export function quotaChanges(events: LiveEvents, tenantId: () => string): Observable<void> {
  return events.all.pipe(
    filter((event) => event.tenantId === tenantId() && changesQuota(event)),
    auditTime(1_000),
    map(() => undefined),
  );
}
