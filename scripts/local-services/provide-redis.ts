import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { ActionableError } from './actionable-error';
import { ensureAptPackage } from './apt-install';
import { findFreePort } from './find-free-port';
import { ManagedProcess } from './managed-process';
import { waitUntil } from './wait-until';

export interface RedisService {
  /** redis:// URL. */
  url: string;
  kind: 'external' | 'redis-server';
  stop(): Promise<void>;
}

export interface ProvideRedisOptions {
  /** Local data (append-only file) goes to `<dataDir>/redis` (kept across runs). */
  dataDir: string;
  log: (message: string) => void;
  /** An existing server to use as-is (kind 'external', nothing is started). */
  url?: string;
  /** Default: a free port. */
  port?: number;
  readyTimeoutMs?: number;
  signal?: AbortSignal;
}

/** A Redis server: `url` if given, else a `redis-server` child process (installed with apt-get when root). */
export async function provideRedis(options: ProvideRedisOptions): Promise<RedisService> {
  const { dataDir, log, readyTimeoutMs = 30_000, signal } = options;
  if (options.url) return { url: options.url, kind: 'external', stop: async () => {} };

  const binary = await ensureRedisServer(log, signal);
  const port = options.port ?? (await findFreePort());
  const dir = join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  // Not --daemonize: as our child process it can be stopped, and cannot outlive us.
  const server = await ManagedProcess.start(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--daemonize', 'no'],
    { name: 'redis-server', logFile: join(dir, 'redis.log'), pidFile: join(dir, 'redis-server.pid'), detached: true, log },
  );
  try {
    await waitUntil(`127.0.0.1:${port}`, () => answersPing(port), {
      timeoutMs: readyTimeoutMs,
      signal,
      giveUpIf: () => (server.hasExited ? server.describeExit() : undefined),
    });
  } catch (error) {
    await server.stop();
    signal?.throwIfAborted();
    throw new ActionableError(
      `redis-server did not start (${(error as Error).message}). Last lines of ${server.logFile}:\n${server.logTail()}\n` +
        'Set REDIS_URL to use an existing Redis server instead.',
    );
  }
  const url = `redis://127.0.0.1:${port}`;
  log(`Redis: redis-server at ${url} (data in ${dir})`);
  return {
    url,
    kind: 'redis-server',
    stop: async () => {
      await server.stop();
    },
  };
}

async function ensureRedisServer(log: (message: string) => void, signal?: AbortSignal): Promise<string> {
  const binary = await ensureAptPackage({ executable: 'redis-server', pkg: 'redis-server', log, signal });
  if (binary) return binary;
  throw new ActionableError(
    'redis-server not found. Do one of:\n' +
      '  - install Redis (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis)\n' +
      '  - set REDIS_URL to an existing Redis server, e.g. REDIS_URL=redis://127.0.0.1:6379',
  );
}

/** Raw RESP `PING` (no client library, so no reconnect noise while the server starts). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.on('error', () => finish(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      // "-LOADING …" while the append-only file is replayed: not ready yet.
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
  });
}
