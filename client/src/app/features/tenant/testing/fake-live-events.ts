import { signal } from '@angular/core';
import type { PlatformEvent, PlatformEventType } from '@contracts/events';
import { filter, map, Observable, Subject } from 'rxjs';

/** Stands in for LiveEvents in tests: `emit` plays a server event to whoever listens. */
export class FakeLiveEvents {
  private readonly subject = new Subject<PlatformEvent>();
  readonly connected = signal(true);

  of<T>(...types: PlatformEventType[]): Observable<T> {
    return this.subject.pipe(
      filter((event) => types.includes(event.type)),
      map((event) => event.data as T),
    );
  }

  emit(type: PlatformEventType, data: unknown): void {
    this.subject.next({ id: `event-${Math.random()}`, type, tenantId: 't1', data, at: new Date().toISOString() });
  }
}
