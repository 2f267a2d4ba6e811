import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value);
const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return value;
};

/**
 * Every environment variable the server reads, with its default. `.env.example` and the README
 * document the same list; keep the three in step.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 8080;

  @IsString()
  @Matches(/^mongodb(\+srv)?:\/\//, { message: 'must be a mongodb:// or mongodb+srv:// URI' })
  MONGODB_URI: string;

  @IsString()
  @Matches(/^rediss?:\/\//, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL: string;

  @IsString()
  @MinLength(1)
  REDIS_KEY_PREFIX = 'openhvx:';

  @IsString()
  @MinLength(1)
  OPENHVX_DATA_DIR = './data';

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  JWT_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(30)
  @Max(86_400)
  OPENHVX_ACCESS_TOKEN_TTL = 900;

  @Transform(toInt)
  @IsInt()
  @Min(300)
  @Max(31_536_000)
  OPENHVX_REFRESH_TOKEN_TTL = 2_592_000;

  @IsEmail()
  OPENHVX_ADMIN_EMAIL = 'admin@openhvx.local';

  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'must be at least 12 characters' })
  OPENHVX_ADMIN_PASSWORD?: string;

  @Transform(toBool)
  @IsIn([true, false], { message: 'must be 0 or 1' })
  OPENHVX_DEMO = true;

  /** Simulated hosts `npm start` runs (sim-01, sim-02, …); 0 runs none. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(20)
  OPENHVX_DEMO_HOSTS = 1;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  OPENHVX_LOGIN_MAX_PER_IP = 30;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  OPENHVX_LOGIN_MAX_FAILURES = 10;

  @IsString()
  @Matches(/^\d+(b|kb|mb)$/i, { message: 'must be a size such as 512kb or 1mb' })
  OPENHVX_BODY_LIMIT = '1mb';

  @Transform(toBool)
  @IsIn([true, false], { message: 'must be 0 or 1' })
  OPENHVX_TRUST_PROXY = false;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** How agents and browsers reach this server; defaults to http://localhost:<PORT>. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, { message: 'must be an http:// or https:// URL' })
  OPENHVX_PUBLIC_URL?: string;

  /** The built web client served at `/`; defaults to client/dist/browser of this checkout. */
  @IsOptional()
  @IsString()
  OPENHVX_WEB_DIR?: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(2_592_000)
  OPENHVX_ENROLLMENT_TTL = 86_400;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(300)
  OPENHVX_HEARTBEAT_INTERVAL = 10;

  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(3_600)
  OPENHVX_HOST_OFFLINE_AFTER = 30;

  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(600)
  OPENHVX_JOB_LOCK_SECONDS = 30;

  /** Lifetime of a quota hold, seconds; a running job keeps extending its hold. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  OPENHVX_QUOTA_HOLD_TTL = 600;

  /** vCPUs placement allows per physical core. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  OPENHVX_CPU_OVERCOMMIT = 4;

  /** Memory placement leaves to each host's own operating system. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  OPENHVX_HOST_MEMORY_RESERVE_MIB = 2_048;

  /** How often expired quota holds are looked for and settled. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3_600)
  OPENHVX_HOLD_SWEEP_INTERVAL = 30;

  /** How long a console ticket stays redeemable, seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(5)
  @Max(600)
  OPENHVX_CONSOLE_TICKET_TTL = 30;

  /** A console session with no bytes either way for this long is closed, seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(86_400)
  OPENHVX_CONSOLE_IDLE_TIMEOUT = 1_800;
}
