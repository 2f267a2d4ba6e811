// `npm run bench:console`: the serial console's cost over a plain WebSocket, measured in one run on this
// machine. It starts MongoDB and Redis (as npm test does), the built server and a sim agent as their own
// processes, logs in on a VM's console, then measures:
//   - keystroke echo: one byte typed at the shell prompt until its echo returns (browser socket → server →
//     agent → simulated guest and back), beside a one-byte echo from a plain WebSocket server process;
//   - bulk output: `yes` streaming through the console, beside a plain WebSocket server streaming as fast
//     as the client reads;
//   - a slow reader: the browser stops reading while `yes` runs; the server's memory must not follow.
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { WebSocket } from 'ws';
import { ConsoleClient, openConsole } from '../test/support/console-client';
import { startAgent } from '../test/support/agent-process';
import { runServer } from '../test/support/server-process';
import { findFreePort } from './local-services/find-free-port';
import { launch } from './local-services/launch';
import { provideServices } from './local-services/provide-services';
import { runNpmScript } from './local-services/run-npm-script';
import { waitUntil } from './local-services/wait-until';

const ECHO_SAMPLES = Number(process.env.BENCH_ECHO_SAMPLES ?? 2_000);
const BULK_SECONDS = Number(process.env.BENCH_BULK_SECONDS ?? 5);
const SLOW_READER_SECONDS = 5;
const ADMIN = { email: 'bench@openhvx.local', password: 'bench-admin-password' };
const GUEST = { user: 'bench', password: 'bench-guest-password', hostname: 'bench-vm' };
/** 63 characters and CR LF: a 65-byte line, about what a log line or `yes` of a word gives. */
const BULK_LINE = 'x'.repeat(63);
const log = (message: string) => console.log(message);

launch(async (signal) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'openhvx-bench-'));
  const stops: (() => Promise<unknown>)[] = [];
  try {
    const services = await provideServices({ dataDir, log, signal });
    stops.push(() => services.stop());
    log('Building OpenHVX…');
    await runNpmScript('build', { signal });

    const port = await findFreePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const server = runServer({
      PORT: String(port),
      MONGODB_URI: services.mongo.uri,
      REDIS_URL: services.redis.url,
      REDIS_KEY_PREFIX: `openhvx-bench-${randomBytes(4).toString('hex')}:`,
      OPENHVX_DATA_DIR: join(dataDir, 'server'),
      JWT_SECRET: randomBytes(32).toString('hex'),
      OPENHVX_ADMIN_EMAIL: ADMIN.email,
      OPENHVX_ADMIN_PASSWORD: ADMIN.password,
      OPENHVX_DEMO: '0',
      OPENHVX_DEMO_HOSTS: '0',
      LOG_LEVEL: 'warn',
    });
    stops.push(() => server.stop());
    await waitUntil('the server to be ready', async () => (await fetch(`${baseUrl}/api/health/ready`)).ok, { timeoutMs: 60_000, signal });

    const api = apiClient(baseUrl);
    const admin = await api.post<{ accessToken: string }>('/api/v1/auth/admin/login', ADMIN);
    const host = await api.post<{ id: string; enrollment: { token: string } }>('/api/v1/admin/hosts', { name: 'bench-host' }, admin.accessToken);
    const agent = startAgent({ serverUrl: baseUrl, dataDir: join(dataDir, 'agent'), enrollToken: host.enrollment.token, args: ['--sim-action-delay-ms', '0'] });
    stops.push(() => agent.kill());
    await waitUntil('the agent to connect', async () => (await api.get<{ status: string }>(`/api/v1/admin/hosts/${host.id}`, admin.accessToken)).status === 'online', { timeoutMs: 30_000, signal });
    await waitUntil('its inventory', async () => (await api.raw('GET', `/api/v1/admin/hosts/${host.id}/inventory`, undefined, admin.accessToken)).ok, { timeoutMs: 30_000, signal });

    const image = await api.post<{ id: string }>(
      '/api/v1/admin/images',
      { name: 'ubuntu', os: 'linux', generation: 2, fileName: 'ubuntu-24.04.vhdx', minDiskGiB: 10, defaultUser: 'ubuntu', cloudInit: true, visibility: 'public' },
      admin.accessToken,
    );
    const tenant = await api.post<{ id: string; slug: string }>('/api/v1/admin/tenants', { slug: 'bench', name: 'Bench' }, admin.accessToken);
    await api.raw('PUT', `/api/v1/admin/tenants/${tenant.id}/quota`, { vcpu: 8, memoryMiB: 16_384, storageGiB: 200, vms: 4 }, admin.accessToken);
    const user = { email: 'owner@bench.local', password: 'bench-owner-password' };
    await api.post(`/api/v1/admin/tenants/${tenant.id}/users`, { ...user, role: 'owner' }, admin.accessToken);
    const owner = await api.post<{ accessToken: string }>('/api/v1/auth/tenant/login', { tenant: tenant.slug, ...user });
    const created = await api.post<{ vm: { id: string }; task: { id: string } }>(
      '/api/v1/vms',
      { name: 'bench-vm', imageId: image.id, vcpu: 1, memoryMiB: 1024, diskGiB: 10, cloudInit: { hostname: GUEST.hostname, users: [{ name: GUEST.user, password: GUEST.password }] } },
      owner.accessToken,
    );
    await waitUntil('the VM to be created', async () => (await api.get<{ status: string }>(`/api/v1/tasks/${created.task.id}`, owner.accessToken)).status === 'succeeded', { timeoutMs: 30_000, signal });

    const ticket = await api.post<{ url: string }>(`/api/v1/vms/${created.vm.id}/console`, {}, owner.accessToken);
    const consoleClient = await openConsole(baseUrl, ticket.url);
    stops.push(async () => consoleClient.socket.terminate());
    await consoleClient.waitForControl((m) => m.type === 'status' && m.state === 'open');
    await logIn(consoleClient);

    const echoServer = await startPlainEchoServer();
    stops.push(() => echoServer.stop());
    const plain = await connectPlain(echoServer.url);
    stops.push(async () => plain.terminate());

    log(`\nKeystroke echo, ${ECHO_SAMPLES} samples each…`);
    const plainEcho = await plainEchoLatencies(plain, ECHO_SAMPLES);
    const consoleEcho = await consoleEchoLatencies(consoleClient, ECHO_SAMPLES);
    log(`Bulk output, ${BULK_SECONDS} s each…`);
    const plainBulk = await plainThroughput(plain, BULK_SECONDS);
    const consoleBulk = await consoleThroughput(consoleClient, BULK_SECONDS, server.child.pid!);
    log(`Slow reader, ${SLOW_READER_SECONDS} s…`);
    const slow = await slowReader(consoleClient, SLOW_READER_SECONDS, server.child.pid!);

    const ms = (ns: number) => `${(ns / 1e6).toFixed(3)} ms`;
    const ratio = (a: number, b: number) => `×${(a / b).toFixed(2)}`;
    const [cp50, cp99, pp50, pp99] = [percentile(consoleEcho, 50), percentile(consoleEcho, 99), percentile(plainEcho, 50), percentile(plainEcho, 99)];
    log('\n=== bench:console ===');
    log(`keystroke echo   console  p50 ${ms(cp50)}  p99 ${ms(cp99)}`);
    log(`                 plain ws p50 ${ms(pp50)}  p99 ${ms(pp99)}`);
    log(`                 ratio    p50 ${ratio(cp50, pp50)}  p99 ${ratio(cp99, pp99)}`);
    log(`bulk output      console  ${consoleBulk.mbPerSecond.toFixed(1)} MB/s (server RSS peak ${consoleBulk.peakRssMiB.toFixed(0)} MiB)`);
    log(`                 plain ws ${plainBulk.toFixed(1)} MB/s`);
    log(`                 ratio    ${ratio(consoleBulk.mbPerSecond, plainBulk)}`);
    log(`slow reader      server RSS ${slow.rssBeforeMiB.toFixed(0)} MiB → ${slow.rssAfterMiB.toFixed(0)} MiB while the browser read nothing for ${SLOW_READER_SECONDS} s; ${(slow.bytesAfterResume / 1024).toFixed(0)} KiB were in flight`);
    return 0;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
});

function apiClient(baseUrl: string) {
  async function raw(method: string, path: string, body?: unknown, token?: string): Promise<Response> {
    return fetch(`${baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
  async function json<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const response = await raw(method, path, body, token);
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }
  return {
    raw,
    get: <T>(path: string, token?: string) => json<T>('GET', path, undefined, token),
    post: <T = unknown>(path: string, body: unknown, token?: string) => json<T>('POST', path, body, token),
  };
}

async function logIn(client: ConsoleClient): Promise<void> {
  client.type('\r');
  await client.waitFor(new RegExp(`${GUEST.hostname} login: $`));
  client.type(`${GUEST.user}\r`);
  await client.waitFor(/Password: $/);
  client.type(`${GUEST.password}\r`);
  await client.waitFor(new RegExp(`${GUEST.user}@${GUEST.hostname}:~\\$ $`));
}

/** Types one character at a time and waits for its echo; ^U clears the line every 200 characters. */
async function consoleEchoLatencies(client: ConsoleClient, samples: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < samples; i++) {
    if (i > 0 && i % 200 === 0) {
      const mark = client.output().length;
      client.type('\x15');
      await client.waitFor(/(\x08 \x08)+$/, { from: mark });
    }
    const expected = client.output().length + 1;
    const started = process.hrtime.bigint();
    client.type('a');
    await waitFor(client.socket, () => client.output().length >= expected);
    latencies.push(Number(process.hrtime.bigint() - started));
  }
  client.type('\x15');
  return latencies;
}

/** Resolves once `ready()` holds, checked after every message the socket receives. */
function waitFor(socket: WebSocket, ready: () => boolean): Promise<void> {
  if (ready()) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const check = () => {
      if (!ready()) return;
      socket.off('message', check);
      resolvePromise();
    };
    socket.on('message', check);
  });
}

async function consoleThroughput(client: ConsoleClient, seconds: number, serverPid: number): Promise<{ mbPerSecond: number; peakRssMiB: number }> {
  const promptMark = client.output().length;
  client.type(`yes ${BULK_LINE}\r`);
  await client.waitFor(new RegExp(`${BULK_LINE}\\r\\n${BULK_LINE}`), { from: promptMark });
  const counter = countOutputBytes(client.socket);
  const started = process.hrtime.bigint();
  let peakRssMiB = 0;
  const sampler = setInterval(() => (peakRssMiB = Math.max(peakRssMiB, rssMiB(serverPid))), 200);
  await new Promise((resolveWait) => setTimeout(resolveWait, seconds * 1000));
  const bytes = counter.stop();
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  await interrupt(client);
  return { mbPerSecond: bytes / elapsed / 1e6, peakRssMiB };
}

/** The browser stops reading its socket while `yes` runs: credit runs out and the guest waits, so the server holds at most a window. */
async function slowReader(client: ConsoleClient, seconds: number, serverPid: number): Promise<{ rssBeforeMiB: number; rssAfterMiB: number; bytesAfterResume: number }> {
  const mark = client.output().length;
  client.type(`yes ${BULK_LINE}\r`);
  await client.waitFor(new RegExp(`${BULK_LINE}\\r\\n${BULK_LINE}`), { from: mark });
  const rssBeforeMiB = rssMiB(serverPid);
  client.socket.pause();
  await new Promise((resolveWait) => setTimeout(resolveWait, seconds * 1000));
  const rssAfterMiB = rssMiB(serverPid);
  const counter = countOutputBytes(client.socket);
  client.socket.resume();
  await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  const bytesAfterResume = counter.stop();
  await interrupt(client);
  return { rssBeforeMiB, rssAfterMiB, bytesAfterResume };
}

/** Counts the serial bytes (binary frames) the socket receives until stopped. */
function countOutputBytes(socket: WebSocket): { stop(): number } {
  let bytes = 0;
  const count = (data: Buffer, isBinary: boolean) => {
    if (isBinary) bytes += data.length;
  };
  socket.on('message', count);
  return {
    stop: () => {
      socket.off('message', count);
      return bytes;
    },
  };
}

async function interrupt(client: ConsoleClient): Promise<void> {
  const mark = client.output().length;
  client.type('\x03');
  await client.waitFor(new RegExp(`\\^C\\r\\n${GUEST.user}@${GUEST.hostname}:~\\$ $`), { from: mark, timeoutMs: 30_000 });
}

function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : 0;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

// ---- The baseline: a plain WebSocket server (ws, like the server's) in its own process ------------

const PLAIN_SERVER_SOURCE = `
const { WebSocketServer } = require('ws');
const chunk = Buffer.alloc(16 * 1024, 120);
const server = new WebSocketServer({ host: '127.0.0.1', port: 0 }, () => console.log('port ' + server.address().port));
server.on('connection', (socket) => {
  let streaming = false;
  const stream = () => {
    // Waits for the socket to drain, as the console's credit waits for the browser.
    while (streaming && socket.bufferedAmount < 256 * 1024) socket.send(chunk);
    if (streaming) setImmediate(stream);
  };
  socket.on('message', (data, isBinary) => {
    const text = isBinary ? '' : data.toString();
    if (text === 'stream') { streaming = true; stream(); }
    else if (text === 'stop') { streaming = false; socket.send('stopped'); }
    else socket.send(data, { binary: isBinary });
  });
});
`;

async function startPlainEchoServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ['-e', PLAIN_SERVER_SOURCE], { cwd: resolve(__dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  const port = /port (\d+)/.exec(line.toString())?.[1];
  if (!port) throw new Error(`the plain WebSocket server said: ${line.toString()}`);
  return {
    url: `ws://127.0.0.1:${port}`,
    stop: async () => {
      child.kill();
      await once(child, 'exit');
    },
  };
}

async function connectPlain(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url);
  await once(socket, 'open');
  return socket;
}

async function plainEchoLatencies(socket: WebSocket, samples: number): Promise<number[]> {
  const latencies: number[] = [];
  const byte = Buffer.from('a');
  for (let i = 0; i < samples; i++) {
    const started = process.hrtime.bigint();
    const echoed = once(socket, 'message');
    socket.send(byte, { binary: true });
    await echoed;
    latencies.push(Number(process.hrtime.bigint() - started));
  }
  return latencies;
}

async function plainThroughput(socket: WebSocket, seconds: number): Promise<number> {
  socket.send('stream');
  await new Promise((resolveWait) => setTimeout(resolveWait, 200));
  const counter = countOutputBytes(socket);
  const started = process.hrtime.bigint();
  await new Promise((resolveWait) => setTimeout(resolveWait, seconds * 1000));
  const bytes = counter.stop();
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const stopped = new Promise<void>((resolveStop) => {
    const onStopped = (data: Buffer, isBinary: boolean) => {
      if (isBinary || data.toString() !== 'stopped') return;
      socket.off('message', onStopped);
      resolveStop();
    };
    socket.on('message', onStopped);
  });
  socket.send('stop');
  await stopped;
  return bytes / elapsed / 1e6;
}
