import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionableError } from './actionable-error';
import { ManagedProcess } from './managed-process';

// Real child processes (node itself), no mocks.
const node = process.execPath;
const idle = ['-e', 'setInterval(() => {}, 1000)'];
let dir: string;

beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'managed-process-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('stops a process with SIGTERM and reports how it ended', async () => {
  const child = await ManagedProcess.start(node, idle, { name: 'idle', logFile: join(dir, 'idle.log'), detached: true });
  expect(child.hasExited).toBe(false);
  const exit = await child.stop();
  expect(exit.signal).toBe('SIGTERM');
  expect(child.describeExit()).toBe('was killed by SIGTERM');
});

it('escalates to SIGKILL when SIGTERM is ignored', async () => {
  const stubborn = ['-e', 'process.on("SIGTERM", () => {}); console.log("up"); setInterval(() => {}, 1000)'];
  const child = await ManagedProcess.start(node, stubborn, { name: 'stubborn', logFile: join(dir, 'stubborn.log') });
  while (!readFileSync(join(dir, 'stubborn.log'), 'utf8').includes('up')) await new Promise((r) => setTimeout(r, 50));
  const started = Date.now();
  expect((await child.stop(300)).signal).toBe('SIGKILL');
  expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  expect(child.logTail()).toContain('up');
});

it('reports a command that cannot be started', async () => {
  const child = await ManagedProcess.start(join(dir, 'missing'), [], { name: 'missing' });
  expect((await child.exited).error).toBeDefined();
  expect(child.describeExit()).toMatch(/could not be started/);
});

it('refuses a pid file held by a live launcher, and stops a leftover whose launcher died', async () => {
  const pidFile = join(dir, 'service.pid');
  const leftover = spawn(node, idle, { stdio: 'ignore' });
  const leftoverExit = once(leftover, 'exit');
  const otherLauncher = spawn(node, idle, { stdio: 'ignore' });
  let service: ManagedProcess | undefined;
  try {
    writeFileSync(pidFile, `${leftover.pid} ${otherLauncher.pid}\n`);
    await expect(ManagedProcess.start(node, idle, { name: 'service', pidFile })).rejects.toThrow(ActionableError);

    otherLauncher.kill();
    await once(otherLauncher, 'exit');
    const messages: string[] = [];
    service = await ManagedProcess.start(node, idle, { name: 'service', pidFile, logFile: join(dir, 'service.log'), log: (m) => messages.push(m) });
    expect(await leftoverExit).toEqual([null, 'SIGTERM']);
    expect(messages.join()).toMatch(/left running by a previous launcher/);
    expect(readFileSync(pidFile, 'utf8')).toBe(`${service.pid} ${process.pid}\n`);
  } finally {
    await service?.stop();
    leftover.kill('SIGKILL');
    otherLauncher.kill('SIGKILL');
  }
});
