import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { PlatformEvent } from '../contracts/events';
import { eventStream } from './event-stream';

const event = (id: string, tenantId: string | null): PlatformEvent => ({ id, type: 'vm.updated', tenantId, data: { id }, at: '2025-01-01T00:00:00.000Z' });

describe(eventStream.name, () => {
  const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

  it('passes the visible events as SSE messages, with heartbeats in between, until its lifetime is up', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-b----c---', { a: event('a', 't1'), b: event('b', 't2'), c: event('c', 't1') });
      const stream = eventStream(source, (e) => e.tenantId === 't1', { heartbeatMs: 5, maxLifetimeMs: 10 });
      expectObservable(stream).toBe('-a---h--c-|', {
        a: { id: 'a', type: 'vm.updated', data: event('a', 't1') },
        h: { comment: 'heartbeat' },
        c: { id: 'c', type: 'vm.updated', data: event('c', 't1') },
      });
    });
  });

  it('ends when its source ends, so open streams do not hold the server open at shutdown', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const stream = eventStream(cold<PlatformEvent>('---|'), () => true, { heartbeatMs: 2, maxLifetimeMs: 100 });
      expectObservable(stream).toBe('--h|', { h: { comment: 'heartbeat' } });
    });
  });

  it('stops listening to its source once the client is gone', () => {
    const source = new Subject<PlatformEvent>();
    const subscription = eventStream(source, () => true, { heartbeatMs: 1_000, maxLifetimeMs: 10_000 }).subscribe();
    expect(source.observed).toBe(true);
    subscription.unsubscribe();
    expect(source.observed).toBe(false);
  });
});
