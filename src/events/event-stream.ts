import type { MessageEvent } from '@nestjs/common';
import { endWith, filter, ignoreElements, interval, map, merge, Observable, takeUntil, timer } from 'rxjs';
import { PlatformEvent } from '../contracts/events';

export interface EventStreamOptions {
  /** A comment line this often keeps proxies and load balancers from closing a quiet stream. */
  heartbeatMs: number;
  /**
   * The stream ends after this long and the client reconnects: the caller is authenticated per
   * request, so this bounds how long a removed user or suspended tenant keeps receiving events.
   */
  maxLifetimeMs: number;
}

/**
 * One client's SSE messages: the events it may see (`id:`, `event: <type>`, `data: <json>`) and
 * heartbeats, until its lifetime is up or the source ends (the server shuts down).
 */
export function eventStream(source: Observable<PlatformEvent>, visible: (event: PlatformEvent) => boolean, options: EventStreamOptions): Observable<MessageEvent> {
  const messages = source.pipe(
    filter(visible),
    map((event): MessageEvent => ({ id: event.id, type: event.type, data: event })),
  );
  const heartbeats = interval(options.heartbeatMs).pipe(map((): MessageEvent => ({ comment: 'heartbeat' })));
  const ended = merge(timer(options.maxLifetimeMs), source.pipe(ignoreElements(), endWith(true)));
  return merge(messages, heartbeats).pipe(takeUntil(ended));
}
