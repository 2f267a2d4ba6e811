import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './app-config';

const required = { MONGODB_URI: 'mongodb://127.0.0.1:27017/openhvx', REDIS_URL: 'redis://127.0.0.1:6379' };

describe(loadConfig.name, () => {
  const dataDir = () => mkdtempSync(join(tmpdir(), 'openhvx-config-'));

  it('applies the documented defaults', () => {
    const dir = dataDir();
    const config = loadConfig({ ...required, OPENHVX_DATA_DIR: dir });
    expect(config).toMatchObject({
      env: 'development',
      port: 8080,
      dataDir: dir,
      demo: true,
      redis: { url: required.REDIS_URL, keyPrefix: 'openhvx:' },
      auth: { accessTokenTtlSeconds: 900, refreshTokenTtlSeconds: 2_592_000, loginMaxPerIpPerMinute: 30, loginMaxFailuresPerAccount: 10 },
      bootstrapAdmin: { email: 'admin@openhvx.local' },
      http: { bodyLimit: '1mb', trustProxy: false },
      quotas: { holdTtlSeconds: 600 },
    });
    expect(Object.isFrozen(config.auth)).toBe(true);
  });

  it('parses numbers and switches from strings, and treats empty values as unset', () => {
    const config = loadConfig({ ...required, OPENHVX_DATA_DIR: dataDir(), PORT: '9000', OPENHVX_DEMO: '0', OPENHVX_TRUST_PROXY: 'true', JWT_SECRET: '' });
    expect(config.port).toBe(9000);
    expect(config.demo).toBe(false);
    expect(config.http.trustProxy).toBe(true);
  });

  it('names every bad variable in one error', () => {
    const attempt = () => loadConfig({ PORT: '8080x', REDIS_URL: 'http://nope', OPENHVX_LOGIN_MAX_PER_IP: '0' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PORT: .*\(got "8080x"\)/);
    expect(attempt).toThrow(/MONGODB_URI: .*\(unset\)/);
    expect(attempt).toThrow(/REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(attempt).toThrow(/OPENHVX_LOGIN_MAX_PER_IP: /);
  });

  it('requires JWT_SECRET in production', () => {
    expect(() => loadConfig({ ...required, NODE_ENV: 'production' })).toThrow(/JWT_SECRET: is required when NODE_ENV=production/);
    expect(loadConfig({ ...required, NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).auth.jwtSecret).toBe('x'.repeat(32));
  });

  it('keeps a generated development JWT secret in the data dir, readable by the owner only', () => {
    const dir = dataDir();
    const first = loadConfig({ ...required, OPENHVX_DATA_DIR: dir }).auth.jwtSecret;
    const second = loadConfig({ ...required, OPENHVX_DATA_DIR: dir }).auth.jwtSecret;
    expect(first).toHaveLength(64);
    expect(second).toBe(first);
    expect(readFileSync(join(dir, 'jwt-secret'), 'utf8').trim()).toBe(first);
    expect(statSync(join(dir, 'jwt-secret')).mode & 0o777).toBe(0o600);
  });
});
