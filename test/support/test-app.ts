import { NestExpressApplication } from '@nestjs/platform-express';
import { getConnectionToken } from '@nestjs/mongoose';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from 'mongoose';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createApp, seedStartupData } from '../../src/app.factory';
import { loadConfig } from '../../src/config/app-config';

export const ADMIN_EMAIL = 'admin@test.local';
export const ADMIN_PASSWORD = 'admin-password-for-tests';
export const USER_PASSWORD = 'correct horse battery';

/** The services `npm test` started (or the ones the caller pointed at). */
export function serviceEnv(): { mongoUri: string; redisUrl: string } {
  const mongoUri = process.env.MONGODB_URI;
  const redisUrl = process.env.REDIS_URL;
  if (!mongoUri || !redisUrl) throw new Error('MONGODB_URI and REDIS_URL must be set: run the tests with `npm test`');
  return { mongoUri, redisUrl };
}

/** A throw-away directory under the test run's temp dir. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(process.env.OPENHVX_TEST_TMP ?? tmpdir(), `${prefix}-`));
}

/** Same URI, another database: every test app gets its own, so test files never see each other's data. */
export function withDatabase(uri: string, database: string): string {
  const url = new URL(uri);
  url.pathname = `/${database}`;
  return url.toString();
}

export interface TestApp {
  app: NestExpressApplication;
  http: TestAgent;
  connection: Connection;
  /** A session of the bootstrap admin. */
  admin: { accessToken: string; refreshToken: string };
  /** http://127.0.0.1:<port> of this app. */
  url: string;
  /** The environment it was configured from: pass it to startTestApp again to restart "the same" server. */
  env: Record<string, string>;
  /** Stops the app; unless `keepData`, also drops its database and data dir. */
  close(options?: { keepData?: boolean }): Promise<void>;
}

/** The real app (same factory as main.ts) on its own database, Redis key prefix and data dir, with the admin logged in. */
export async function startTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const { mongoUri, redisUrl } = serviceEnv();
  const id = randomBytes(5).toString('hex');
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    MONGODB_URI: withDatabase(mongoUri, `openhvx_test_${id}`),
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: `openhvx-test-${id}:`,
    OPENHVX_DATA_DIR: tempDir('app'),
    JWT_SECRET: randomBytes(32).toString('hex'),
    OPENHVX_ADMIN_EMAIL: ADMIN_EMAIL,
    OPENHVX_ADMIN_PASSWORD: ADMIN_PASSWORD,
    OPENHVX_DEMO: '0',
    OPENHVX_DEMO_HOSTS: '0',
    OPENHVX_LOGIN_MAX_PER_IP: '10000',
    LOG_LEVEL: 'silent',
    ...overrides,
  };
  const config = loadConfig(env);
  const app = await createApp(config);
  await seedStartupData(app);
  await app.listen(overrides.PORT ? config.port : 0, '127.0.0.1');
  const connection = app.get<Connection>(getConnectionToken());
  const http = request(app.getHttpServer());
  const login = await http.post('/api/v1/auth/admin/login').send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }).expect(200);
  return {
    app,
    http,
    connection,
    admin: login.body as TestApp['admin'],
    url: await app.getUrl().then((url) => url.replace('[::1]', '127.0.0.1')),
    env,
    async close({ keepData = false } = {}) {
      if (!keepData) await connection.dropDatabase().catch(() => undefined);
      await app.close();
      if (!keepData) rmSync(env.OPENHVX_DATA_DIR, { recursive: true, force: true });
    },
  };
}
