import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { basename } from 'node:path';
import { ActionableError } from './actionable-error';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (e.g. ENOENT). */
  error?: Error;
}

export interface StartProcessOptions {
  /** Human-readable name used in messages. */
  name: string;
  /** Send stdout and stderr to this file (truncated first) instead of the terminal. */
  logFile?: string;
  /** Record the pid here (see takeOverPidFile). */
  pidFile?: string;
  /** For the message when a leftover process is stopped. */
  log?: (message: string) => void;
  /**
   * Own process group: the terminal's Ctrl-C does not reach the process, so the launcher can
   * stop things in order (server first, then the databases it uses).
   */
  detached?: boolean;
  shell?: boolean;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** A shell-style exit code: the code, or 128 + signal number when killed by a signal. */
export function exitCode(exit: ProcessExit): number {
  if (exit.code !== null) return exit.code;
  return exit.signal ? 128 + (constants.signals[exit.signal] ?? 0) : 1;
}

const running = new Set<ManagedProcess>();
let exitHookInstalled = false;

/**
 * A child process the launcher owns. Every one still running when the launcher exits (normal end,
 * or process.exit() after an uncaught error) gets SIGTERM from an 'exit' hook. Only a launcher
 * killed with SIGKILL leaves children behind: its pid files let the next launcher stop them.
 */
export class ManagedProcess {
  readonly exited: Promise<ProcessExit>;
  private exit: ProcessExit | undefined;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly logFile: string | undefined,
  ) {
    this.exited = new Promise((resolve) => {
      const done = (exit: ProcessExit) => {
        if (this.exit) return;
        this.exit = exit;
        running.delete(this);
        resolve(exit);
      };
      child.once('exit', (code, signal) => done({ code, signal }));
      child.on('error', (error) => {
        if (child.pid === undefined) done({ code: null, signal: null, error });
      });
    });
  }

  /** Starts `command`; first stops a leftover of a killed launcher recorded in `options.pidFile`. */
  static async start(command: string, args: string[], options: StartProcessOptions): Promise<ManagedProcess> {
    if (options.pidFile) await takeOverPidFile(options.pidFile, command, options);
    const out = options.logFile ? openSync(options.logFile, 'w') : 'inherit';
    let child: ChildProcess;
    try {
      child = spawn(command, args, {
        cwd: options.cwd,
        env: options.env,
        detached: options.detached,
        shell: options.shell,
        stdio: [options.logFile || options.detached ? 'ignore' : 'inherit', out, out],
      });
    } finally {
      if (typeof out === 'number') closeSync(out); // the child has its own copy
    }
    const managed = new ManagedProcess(options.name, child, options.logFile);
    const { pid } = child;
    if (pid !== undefined) {
      running.add(managed);
      installExitHook();
      const { pidFile } = options;
      if (pidFile) {
        writeFileSync(pidFile, `${pid} ${process.pid}\n`);
        void managed.exited.then(() => {
          if (readPidFile(pidFile)?.pid === pid) rmSync(pidFile, { force: true });
        });
      }
    }
    return managed;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exit !== undefined;
  }

  kill(signal: NodeJS.Signals): void {
    if (!this.exit) this.child.kill(signal);
  }

  /** SIGTERM, then SIGKILL if still running after `graceMs`. Resolves once the process is gone. */
  async stop(graceMs = 5000): Promise<ProcessExit> {
    if (this.exit) return this.exit;
    this.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const graceful = await Promise.race([
      this.exited,
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), graceMs))),
    ]);
    clearTimeout(timer);
    if (graceful) return graceful;
    this.kill('SIGKILL');
    return this.exited;
  }

  /** "exited with code 1", "was killed by SIGKILL", … (for error messages). */
  describeExit(): string {
    const exit = this.exit;
    if (!exit) return 'is still running';
    if (exit.error) return `could not be started (${exit.error.message})`;
    return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  }

  /** The last lines of the log file, indented, for error messages. */
  logTail(lines = 20): string {
    if (!this.logFile) return '';
    try {
      const tail = readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines);
      return tail.map((line) => `    ${line}`).join('\n');
    } catch {
      return '';
    }
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: we can only send the signal, not wait.
  process.on('exit', () => {
    for (const managed of running) managed.kill('SIGTERM');
  });
}

/** Pid file content: `<pid> <launcher pid>`. */
function readPidFile(file: string): { pid: number; launcher: number } | undefined {
  try {
    const [pid, launcher] = readFileSync(file, 'utf8').trim().split(/\s+/).map(Number);
    return Number.isInteger(pid) && pid > 0 ? { pid, launcher: Number.isInteger(launcher) ? launcher : 0 } : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `pid` is alive and (where /proc exists, to rule out pid reuse and zombies) runs `program`. */
function isRunning(pid: number, program: string): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(program);
  } catch {
    return true; // no /proc (macOS, Windows): trust the pid
  }
}

async function waitForExit(pid: number, program: string, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    if (!isRunning(pid, program)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isRunning(pid, program);
}

/**
 * A live process in the pid file whose launcher also lives means another launcher uses this data
 * directory: refuse. If its launcher died (kill -9, closed terminal…), it is a leftover: stop it.
 */
async function takeOverPidFile(pidFile: string, command: string, { name, log }: StartProcessOptions): Promise<void> {
  const recorded = readPidFile(pidFile);
  const program = basename(command);
  if (!recorded || !isRunning(recorded.pid, program)) return;
  if (recorded.launcher !== process.pid && isRunning(recorded.launcher, basename(process.execPath))) {
    throw new ActionableError(
      `${name} for this data directory is already running (pid ${recorded.pid}, started by pid ${recorded.launcher}; see ${pidFile}).\n` +
        'Stop that OpenHVX launcher first, or choose another data directory (OPENHVX_DATA_DIR).',
    );
  }
  log?.(`Stopping ${name} (pid ${recorded.pid}) left running by a previous launcher…`);
  process.kill(recorded.pid, 'SIGTERM');
  if (await waitForExit(recorded.pid, program, 10_000)) return;
  process.kill(recorded.pid, 'SIGKILL');
  await waitForExit(recorded.pid, program, 5_000);
}
