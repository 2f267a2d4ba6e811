import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { Principal } from '../common/auth/principal';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { REDIS } from '../redis/redis.module';

/** What a ticket lets its bearer do: open one VM's console, as the user it was issued to. */
export interface ConsoleGrant {
  principal: Pick<Principal, 'id' | 'email' | 'scope' | 'role'>;
  tenantId: string;
  vm: { id: string; name: string };
  readOnly: boolean;
}

export interface IssuedTicket {
  ticket: string;
  expiresAt: Date;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Single-use console tickets in Redis, stored under their SHA-256 only: the key expires with the
 * ticket, and GETDEL redeems it atomically, so two sockets racing with one ticket cannot both win.
 */
@Injectable()
export class ConsoleTicketsService {
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.prefix = `${config.redis.keyPrefix}console-ticket:`;
  }

  async issue(grant: ConsoleGrant): Promise<IssuedTicket> {
    const ticket = randomBytes(32).toString('base64url');
    const ttlSeconds = this.config.console.ticketTtlSeconds;
    await this.redis.set(this.prefix + sha256(ticket), JSON.stringify(grant), 'EX', ttlSeconds);
    return { ticket, expiresAt: new Date(Date.now() + ttlSeconds * 1000) };
  }

  /** The grant, once; null for an unknown, used or expired ticket. */
  async redeem(ticket: string): Promise<ConsoleGrant | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(ticket)) return null;
    const grant = await this.redis.getdel(this.prefix + sha256(ticket));
    return grant ? (JSON.parse(grant) as ConsoleGrant) : null;
  }
}
