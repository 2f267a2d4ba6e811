import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { provideRedis, RedisService } from '../../scripts/local-services/provide-redis';
import { AppException } from '../common/errors/app-exception';
import { AppConfig } from '../config/app-config';
import { LoginRateLimiter } from './login-rate-limiter';

/** Against a real Redis of its own, so the test can also take Redis away. */
describe(LoginRateLimiter.name, () => {
  let server: RedisService;
  let redis: Redis;

  beforeAll(async () => {
    server = await provideRedis({ dataDir: mkdtempSync(join(process.env.OPENHVX_TEST_TMP ?? tmpdir(), 'limiter-')), log: () => undefined });
    redis = new Redis(server.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true, retryStrategy: () => null });
    redis.on('error', () => undefined);
    await redis.connect();
  });
  afterAll(async () => {
    if (redis.status !== 'end') redis.disconnect();
    await server.stop();
  });

  const limiter = (perIp: number, failures: number) =>
    new LoginRateLimiter(redis, {
      redis: { url: server.url, keyPrefix: `t-${randomBytes(4).toString('hex')}:` },
      auth: { loginMaxPerIpPerMinute: perIp, loginMaxFailuresPerAccount: failures },
    } as AppConfig);

  const fail = () => Promise.resolve(null);
  const succeed = () => Promise.resolve('session');

  async function statusOf(attempt: Promise<unknown>): Promise<number | 'ok'> {
    try {
      await attempt;
      return 'ok';
    } catch (error) {
      return (error as AppException).getStatus();
    }
  }

  it('blocks an account after its failures, with a Retry-After header', async () => {
    const subject = limiter(100, 2);
    await subject.guard('10.0.0.1', 'acct', fail);
    await subject.guard('10.0.0.2', 'acct', fail);
    const error = await subject.guard('10.0.0.3', 'acct', succeed).catch((e: AppException) => e);
    expect(error).toBeInstanceOf(AppException);
    expect((error as AppException).getStatus()).toBe(429);
    expect(Number((error as AppException).headers?.['Retry-After'])).toBeGreaterThan(800);
    expect(await statusOf(subject.guard('10.0.0.3', 'other-acct', succeed))).toBe('ok');
  });

  it('clears an account’s failures after a success', async () => {
    const subject = limiter(100, 2);
    await subject.guard('ip', 'acct', fail);
    await subject.guard('ip', 'acct', succeed);
    await subject.guard('ip', 'acct', fail);
    expect(await statusOf(subject.guard('ip', 'acct', succeed))).toBe('ok');
  });

  it('counts every attempt from one address', async () => {
    const subject = limiter(3, 100);
    for (const account of ['a', 'b', 'c']) expect(await statusOf(subject.guard('ip', account, succeed))).toBe('ok');
    expect(await statusOf(subject.guard('ip', 'd', succeed))).toBe(429);
    expect(await statusOf(subject.guard('other-ip', 'd', succeed))).toBe('ok');
  });

  it('keeps throttling in memory while Redis is down', async () => {
    const subject = limiter(2, 100);
    await server.stop();
    expect(await statusOf(subject.guard('ip', 'a', succeed))).toBe('ok');
    expect(await statusOf(subject.guard('ip', 'b', succeed))).toBe('ok');
    expect(await statusOf(subject.guard('ip', 'c', succeed))).toBe(429);
  });
});
