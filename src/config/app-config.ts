import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { EnvironmentVariables } from './environment';
import { readSecretFile, writeSecretFile } from './secret-file';

export interface AppConfig {
  readonly env: 'development' | 'production' | 'test';
  readonly port: number;
  readonly mongoUri: string;
  readonly redis: { readonly url: string; readonly keyPrefix: string };
  readonly dataDir: string;
  readonly auth: {
    readonly jwtSecret: string;
    readonly accessTokenTtlSeconds: number;
    readonly refreshTokenTtlSeconds: number;
    readonly loginMaxPerIpPerMinute: number;
    readonly loginMaxFailuresPerAccount: number;
  };
  readonly bootstrapAdmin: { readonly email: string; readonly password?: string };
  readonly demo: boolean;
  readonly demoHosts: number;
  readonly http: { readonly bodyLimit: string; readonly trustProxy: boolean };
  readonly publicUrl: string;
  /** The built web client's folder; it need not exist (an API-only server). */
  readonly webDir: string;
  readonly hosts: {
    readonly enrollmentTtlSeconds: number;
    readonly heartbeatIntervalSeconds: number;
    readonly offlineAfterSeconds: number;
    /** How long a job may run on a host without the server renewing its lock before BullMQ hands it out again. */
    readonly jobLockSeconds: number;
  };
  readonly quotas: {
    /** How long a quota hold lasts unless its job extends it; the hold sweeper settles expired ones. */
    readonly holdTtlSeconds: number;
  };
  readonly vms: {
    readonly cpuOvercommit: number;
    readonly hostMemoryReserveMiB: number;
    readonly holdSweepIntervalSeconds: number;
  };
  readonly console: {
    readonly ticketTtlSeconds: number;
    readonly idleTimeoutSeconds: number;
  };
  readonly logLevel: string;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Validates the raw environment once and returns a frozen, typed configuration.
 * Throws a ConfigError naming every bad variable; the caller decides how to exit.
 */
export function loadConfig(raw: Record<string, string | undefined>): AppConfig {
  const defined = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ''));
  const env = plainToInstance(EnvironmentVariables, defined, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, forbidUnknownValues: true });
  const problems = errors.map(describe);
  if (env.NODE_ENV === 'production' && !env.JWT_SECRET) {
    problems.push('JWT_SECRET: is required when NODE_ENV=production (at least 32 random characters)');
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }

  const dataDir = resolve(env.OPENHVX_DATA_DIR);
  return deepFreeze({
    env: env.NODE_ENV as AppConfig['env'],
    port: env.PORT,
    mongoUri: env.MONGODB_URI,
    redis: { url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX },
    dataDir,
    auth: {
      jwtSecret: env.JWT_SECRET ?? developmentJwtSecret(dataDir),
      accessTokenTtlSeconds: env.OPENHVX_ACCESS_TOKEN_TTL,
      refreshTokenTtlSeconds: env.OPENHVX_REFRESH_TOKEN_TTL,
      loginMaxPerIpPerMinute: env.OPENHVX_LOGIN_MAX_PER_IP,
      loginMaxFailuresPerAccount: env.OPENHVX_LOGIN_MAX_FAILURES,
    },
    bootstrapAdmin: { email: env.OPENHVX_ADMIN_EMAIL.toLowerCase(), password: env.OPENHVX_ADMIN_PASSWORD },
    demo: env.OPENHVX_DEMO,
    demoHosts: env.OPENHVX_DEMO_HOSTS,
    http: { bodyLimit: env.OPENHVX_BODY_LIMIT, trustProxy: env.OPENHVX_TRUST_PROXY },
    publicUrl: (env.OPENHVX_PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    // From src/config (tests) or dist/config (the build) alike: the checkout's root is two levels up.
    webDir: resolve(env.OPENHVX_WEB_DIR ?? join(__dirname, '..', '..', 'client', 'dist', 'browser')),
    hosts: {
      enrollmentTtlSeconds: env.OPENHVX_ENROLLMENT_TTL,
      heartbeatIntervalSeconds: env.OPENHVX_HEARTBEAT_INTERVAL,
      offlineAfterSeconds: env.OPENHVX_HOST_OFFLINE_AFTER,
      jobLockSeconds: env.OPENHVX_JOB_LOCK_SECONDS,
    },
    quotas: { holdTtlSeconds: env.OPENHVX_QUOTA_HOLD_TTL },
    vms: {
      cpuOvercommit: env.OPENHVX_CPU_OVERCOMMIT,
      hostMemoryReserveMiB: env.OPENHVX_HOST_MEMORY_RESERVE_MIB,
      holdSweepIntervalSeconds: env.OPENHVX_HOLD_SWEEP_INTERVAL,
    },
    console: { ticketTtlSeconds: env.OPENHVX_CONSOLE_TICKET_TTL, idleTimeoutSeconds: env.OPENHVX_CONSOLE_IDLE_TIMEOUT },
    logLevel: env.LOG_LEVEL,
  });
}

function describe(error: ValidationError): string {
  const value = error.value === undefined ? 'unset' : `got ${JSON.stringify(error.value)}`;
  const reasons = Object.values(error.constraints ?? {})
    .map((m) => m.replace(new RegExp(`^${error.property} `), ''))
    .join('; ');
  return `${error.property}: ${reasons} (${value})`;
}

/**
 * Outside production a missing JWT_SECRET falls back to a random secret kept in the data dir,
 * so sessions survive a restart of `npm start` without anyone having to invent a secret.
 */
function developmentJwtSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  const existing = readSecretFile(file);
  if (existing) return existing;
  const secret = randomBytes(48).toString('base64url');
  writeSecretFile(file, secret);
  return secret;
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child && typeof child === 'object') deepFreeze(child);
  }
  return Object.freeze(value);
}
