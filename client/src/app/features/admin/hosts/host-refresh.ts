import { auditTime, interval, map, merge, Observable } from 'rxjs';
import { LiveEvents } from '../../../core/live-events';

/**
 * When host views should re-read: on host events, and every 30 s because a host's online/offline
 * status is derived from its heartbeat at read time (no event says a host went quiet).
 */
export function hostRefresh(events: LiveEvents): Observable<void> {
  return merge(events.of('host.updated').pipe(auditTime(1_000)), interval(30_000)).pipe(map(() => undefined));
}
