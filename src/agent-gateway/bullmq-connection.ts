import Redis from 'ioredis';
import { AppConfig } from '../config/app-config';

export const BULLMQ_CONNECTION = Symbol('BULLMQ_CONNECTION');

/** BullMQ wants its own client: blocking commands, no per-request retry limit (it retries itself). */
export function createBullmqConnection(config: AppConfig): Redis {
  const client = new Redis(config.redis.url, { maxRetriesPerRequest: null });
  client.on('error', () => undefined); // BullMQ reports what matters; reconnects are routine
  return client;
}

export function queuePrefix(config: AppConfig): string {
  return `${config.redis.keyPrefix}bull`;
}

export function hostQueueName(hostId: string): string {
  return `host-${hostId}`;
}
