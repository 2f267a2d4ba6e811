import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppException } from '../common/errors/app-exception';
import { ErrorCode } from '../contracts/error-code';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { REDIS } from '../redis/redis.module';

const IP_WINDOW_SECONDS = 60;
const ACCOUNT_WINDOW_SECONDS = 15 * 60;

/**
 * Login throttling shared by every replica through Redis: every attempt counts against the
 * client's IP; failures count against the account and a success clears them. While Redis is
 * unreachable an in-memory limiter stands in, so logins stay throttled rather than failing.
 */
@Injectable()
export class LoginRateLimiter {
  private readonly perIp: RateLimiterRedis;
  private readonly perAccount: RateLimiterRedis;

  constructor(@Inject(REDIS) redis: Redis, @Inject(APP_CONFIG) config: AppConfig) {
    const ipPoints = config.auth.loginMaxPerIpPerMinute;
    const accountPoints = config.auth.loginMaxFailuresPerAccount;
    this.perIp = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${config.redis.keyPrefix}login-ip`,
      points: ipPoints,
      duration: IP_WINDOW_SECONDS,
      insuranceLimiter: new RateLimiterMemory({ points: ipPoints, duration: IP_WINDOW_SECONDS }),
    });
    this.perAccount = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${config.redis.keyPrefix}login-account`,
      points: accountPoints,
      duration: ACCOUNT_WINDOW_SECONDS,
      insuranceLimiter: new RateLimiterMemory({ points: accountPoints, duration: ACCOUNT_WINDOW_SECONDS }),
    });
  }

  /** Runs one login attempt under both limits; `attempt` answers null for bad credentials. */
  async guard<T>(ip: string, account: string, attempt: () => Promise<T | null>): Promise<T | null> {
    try {
      await this.perIp.consume(ip);
    } catch (rejection) {
      throw tooMany(rejection, 'Too many login attempts from this address');
    }
    const failures = await this.perAccount.get(account);
    if (failures && failures.consumedPoints >= this.perAccount.points) {
      throw tooMany(failures, 'Too many failed logins for this account');
    }
    const result = await attempt();
    if (result === null) {
      await this.perAccount.penalty(account, 1);
    } else {
      await this.perAccount.delete(account);
    }
    return result;
  }
}

function tooMany(rejection: unknown, message: string): unknown {
  if (!(rejection instanceof RateLimiterRes)) return rejection;
  const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
  return new AppException(HttpStatus.TOO_MANY_REQUESTS, ErrorCode.TooManyRequests, `${message}; retry in ${retryAfter} s`, undefined, {
    'Retry-After': String(retryAfter),
  });
}
