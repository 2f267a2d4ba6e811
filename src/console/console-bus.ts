import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { decodeConsoleFrame, encodeConsoleFrame } from '../contracts/console-frame';
import { REDIS } from '../redis/redis.module';

/** Control messages between the replica holding a browser's socket and the one holding the agent's. */
export type ConsoleControl =
  // browser side → agent side
  | { op: 'open'; channel: string; vmId: string; hypervisorId: string | null }
  | { op: 'ack'; channel: string; bytes: number }
  | { op: 'close'; channel: string }
  // agent side → browser side
  | { op: 'opened'; channel: string }
  | { op: 'closed'; channel: string; reason: string; message: string }
  // to every replica
  | { op: 'taken-over'; vmId: string; channel: string }
  | { op: 'vm-gone'; vmId: string };

export type ConsoleBusMessage = { kind: 'data'; channel: string; payload: Buffer } | { kind: 'control'; control: ConsoleControl };

const DATA = 0x01;
const CONTROL = 0x02;

/**
 * Console traffic between replicas over Redis pub/sub, binary-safe: a byte saying data or control,
 * then a console frame (data) or JSON (control). Pub/sub has no backpressure of its own; the
 * console's credit windows bound what can be in flight.
 */
@Injectable()
export class ConsoleBus implements OnApplicationShutdown {
  private readonly subscriber: Redis;
  private readonly handlers = new Map<string, (message: ConsoleBusMessage) => void>();
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.prefix = `${config.redis.keyPrefix}console:`;
    // A subscribed connection can run no other command, hence its own; it queues SUBSCRIBE until connected.
    this.subscriber = redis.duplicate({ enableOfflineQueue: true });
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('messageBuffer', (topic: Buffer, raw: Buffer) => {
      const message = decode(raw);
      if (message) this.handlers.get(topic.toString())?.(message);
    });
  }

  hostTopic(hostId: string): string {
    return `${this.prefix}host:${hostId}`;
  }

  channelTopic(channel: string): string {
    return `${this.prefix}channel:${channel}`;
  }

  get everyReplicaTopic(): string {
    return `${this.prefix}replicas`;
  }

  async subscribe(topic: string, handler: (message: ConsoleBusMessage) => void): Promise<void> {
    this.handlers.set(topic, handler);
    await this.subscriber.subscribe(topic);
  }

  async unsubscribe(topic: string): Promise<void> {
    if (!this.handlers.delete(topic)) return;
    await this.subscriber.unsubscribe(topic).catch(() => undefined);
  }

  /** How many replicas listen on the topic received it. */
  async sendData(topic: string, channel: string, payload: Buffer): Promise<number> {
    return this.redis.publish(topic, Buffer.concat([Buffer.from([DATA]), encodeConsoleFrame(channel, payload)]));
  }

  async sendControl(topic: string, control: ConsoleControl): Promise<number> {
    return this.redis.publish(topic, Buffer.concat([Buffer.from([CONTROL]), Buffer.from(JSON.stringify(control))]));
  }

  onApplicationShutdown(): void {
    this.subscriber.disconnect();
  }
}

function decode(raw: Buffer): ConsoleBusMessage | null {
  if (raw[0] === DATA) {
    const frame = decodeConsoleFrame(raw.subarray(1));
    return frame && { kind: 'data', channel: frame.channel, payload: frame.payload };
  }
  if (raw[0] === CONTROL) {
    try {
      return { kind: 'control', control: JSON.parse(raw.subarray(1).toString()) as ConsoleControl };
    } catch {
      return null;
    }
  }
  return null;
}
