import { computed, effect, inject, Injectable, signal } from '@angular/core';
import { EventStreamContentType, fetchEventSource } from '@microsoft/fetch-event-source';
import type { PlatformEvent, PlatformEventType } from '@contracts/events';
import { filter, map, Observable, Subject } from 'rxjs';
import { Session } from './session';

/** Waits between reconnects, growing to a ceiling; the stream also ends on its own after a token lifetime. */
const RECONNECT_DELAYS_MS = [500, 1_000, 2_000, 5_000, 10_000];

class StreamUnauthorized extends Error {}

/**
 * The server's live events for the signed-in user (`/api/v1/events` or `/api/v1/admin/events`),
 * over a fetch-based SSE client because EventSource cannot send the Authorization header.
 */
@Injectable({ providedIn: 'root' })
export class LiveEvents {
  private readonly session = inject(Session);
  private readonly subject = new Subject<PlatformEvent>();
  /** Who the stream is for; it restarts only when that changes, not on every token refresh. */
  private readonly audience = computed(() => {
    const session = this.session.current();
    return session ? `${session.area}:${session.me.id}` : null;
  });
  readonly connected = signal(false);

  constructor() {
    effect((onCleanup) => {
      const audience = this.audience();
      if (!audience) return;
      const controller = new AbortController();
      void this.run(audience.startsWith('admin:') ? '/api/v1/admin/events' : '/api/v1/events', controller.signal);
      onCleanup(() => controller.abort());
    });
  }

  /** Events of the given types, with their data. */
  of<T>(...types: PlatformEventType[]): Observable<T> {
    return this.subject.pipe(
      filter((event) => types.includes(event.type)),
      map((event) => event.data as T),
    );
  }

  get all(): Observable<PlatformEvent> {
    return this.subject.asObservable();
  }

  private async run(url: string, signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        await fetchEventSource(url, {
          signal,
          openWhenHidden: true,
          headers: { Authorization: `Bearer ${this.session.accessToken() ?? ''}` },
          onopen: async (response) => {
            if (response.status === 401) throw new StreamUnauthorized();
            if (!response.ok || !response.headers.get('content-type')?.startsWith(EventStreamContentType)) throw new Error(`event stream answered ${response.status}`);
            failures = 0;
            this.connected.set(true);
          },
          onmessage: (message) => {
            if (message.data) this.subject.next(JSON.parse(message.data) as PlatformEvent);
          },
          // Reconnecting is this loop's job, with a fresh token each time.
          onerror: (error) => {
            throw error;
          },
        });
      } catch (error) {
        if (error instanceof StreamUnauthorized && !(await this.session.refresh())) return;
        failures++;
      } finally {
        this.connected.set(false);
      }
      if (signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_DELAYS_MS[Math.min(failures, RECONNECT_DELAYS_MS.length - 1)]));
    }
  }
}
