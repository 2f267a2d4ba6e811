import { BeforeApplicationShutdown, Inject, Injectable, Logger, MessageEvent, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { Observable, Subject } from 'rxjs';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { NewPlatformEvent, PlatformEvent } from '../contracts/events';
import { REDIS } from '../redis/redis.module';
import { eventStream, EventStreamOptions } from './event-stream';

const HEARTBEAT_MS = 15_000;

/**
 * Live events across replicas: `publish` goes through Redis PUBLISH, and every replica's own
 * subscriber connection hands what arrives to the streams of the clients connected to it.
 * Delivery is best-effort (Redis pub/sub keeps nothing): clients re-read state when they reconnect.
 */
@Injectable()
export class EventsService implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(EventsService.name);
  private readonly subscriber: Redis;
  private readonly channel: string;
  private readonly received = new Subject<PlatformEvent>();
  private readonly streamOptions: EventStreamOptions;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    // A subscribed connection can run no other command, hence its own; it queues the SUBSCRIBE until connected.
    this.subscriber = redis.duplicate({ enableOfflineQueue: true });
    this.subscriber.on('error', () => undefined);
    this.channel = `${config.redis.keyPrefix}events`;
    // A stream lasts as long as an access token would, so the caller is authenticated again at least as often.
    this.streamOptions = { heartbeatMs: HEARTBEAT_MS, maxLifetimeMs: config.auth.accessTokenTtlSeconds * 1000 };
  }

  async onModuleInit(): Promise<void> {
    this.subscriber.on('message', (_channel, raw: string) => this.onMessage(raw));
    await this.subscriber.subscribe(this.channel);
  }

  /** Ends every open stream first: the HTTP server only finishes closing once no response is left open. */
  beforeApplicationShutdown(): void {
    this.received.complete();
  }

  onApplicationShutdown(): void {
    this.subscriber.disconnect();
  }

  /**
   * Never rejects: a lost live event must not fail the write that caused it. Answers the event as
   * sent, or null when Redis could not take it.
   */
  async publish(input: NewPlatformEvent): Promise<PlatformEvent | null> {
    const event: PlatformEvent = { id: randomUUID(), type: input.type, tenantId: input.tenantId, data: input.data, at: new Date().toISOString() };
    try {
      await this.redis.publish(this.channel, JSON.stringify(event));
      return event;
    } catch (error) {
      this.logger.warn(`Live event ${event.type} not published: ${(error as Error).message}`);
      return null;
    }
  }

  /** The SSE messages of a tenant's client: its own tenant's events only. */
  tenantStream(tenantId: string): Observable<MessageEvent> {
    return eventStream(this.received, (event) => event.tenantId === tenantId, this.streamOptions);
  }

  /** The SSE messages of an admin's client: every event. */
  adminStream(): Observable<MessageEvent> {
    return eventStream(this.received, () => true, this.streamOptions);
  }

  private onMessage(raw: string): void {
    let event: PlatformEvent;
    try {
      event = JSON.parse(raw) as PlatformEvent;
    } catch {
      this.logger.warn('Ignored a live event that is not JSON');
      return;
    }
    this.received.next(event);
  }
}
