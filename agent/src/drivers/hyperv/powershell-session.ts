import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { DecodedLine, encodeRequest, FRAME_MARKER_ENV, HostLoopDecoder, newFrameMarker, SCRIPT_NAME_PATTERN } from './host-loop-protocol';
import { PowerShellScriptError, PowerShellSessionError } from './powershell-session-error';

export interface PowerShellSessionOptions {
  /** `powershell.exe` or `pwsh` with the host loop's arguments; tests run a Node stand-in instead. */
  executable: string;
  args: readonly string[];
  /** Added to the agent's environment (the frame marker is added by the session). */
  env?: Readonly<Record<string, string>>;
  /** PowerShell start-up plus the Hyper-V module take seconds on a busy host. */
  startTimeoutMs: number;
  /** Per request unless the request gives its own, counted from when the loop is handed the request. */
  requestTimeoutMs: number;
  /** How long stop() waits for the loop to finish its request and exit before killing it. */
  stopGraceMs?: number;
  /** Lines the host wrote that are not answers (cmdlet warnings, Write-Host) and stderr, for the log. */
  onOutput?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface RunOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Bytes of stderr kept per process and per request; PowerShell can be very talkative on stderr. */
const STDERR_KEEP = 16_384;

interface HostLoopProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly decoder: HostLoopDecoder;
  readonly ready: Promise<void>;
  readonly exited: Promise<void>;
  markReady(): void;
  failStart(error: Error): void;
  markExited(): void;
  isReady: boolean;
  hasExited: boolean;
  stderr: string;
  startTimer?: NodeJS.Timeout;
}

interface Request {
  readonly id: string;
  readonly script: string;
  readonly line: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  /** The process the request was written to; until then it can leave the queue without killing anything. */
  loop?: HostLoopProcess;
  stderr: string;
  timer?: NodeJS.Timeout;
  onAbort?: () => void;
  settled: boolean;
}

function keep(buffer: string, chunk: string): string {
  const joined = buffer + chunk;
  return joined.length <= STDERR_KEEP ? joined : joined.slice(joined.length - STDERR_KEEP);
}

/**
 * One long-lived PowerShell process running agent/scripts/host-loop.ps1, fed one request at a time.
 * Starting PowerShell and loading Hyper-V cost seconds, so the process is reused; a request that times
 * out or is aborted kills it, a crash rejects the request that was running, and the next request starts
 * a fresh one.
 */
export class PowerShellSession {
  private readonly queue: Request[] = [];
  private current: Request | null = null;
  private loop: HostLoopProcess | null = null;
  private stopped = false;
  private counter = 0;

  constructor(private readonly options: PowerShellSessionOptions) {}

  /** Starts PowerShell now and waits until the loop is ready, so a host without Hyper-V fails at start. */
  async start(): Promise<void> {
    if (this.stopped) throw new PowerShellSessionError('stopped', 'the PowerShell session is stopped');
    await this.ensureProcess();
  }

  /** Runs `<scriptDir>/<script>.ps1 -Params <params>` and resolves with what the script returned. */
  run(script: string, params: Record<string, unknown>, options: RunOptions = {}): Promise<unknown> {
    if (this.stopped) return Promise.reject(new PowerShellSessionError('stopped', 'the PowerShell session is stopped'));
    if (!SCRIPT_NAME_PATTERN.test(script)) {
      return Promise.reject(new PowerShellSessionError('invalid-request', `script name ${JSON.stringify(script)} is outside the allow-list`));
    }
    const id = `r${++this.counter}`;
    let line: string;
    try {
      line = encodeRequest({ id, script, params });
    } catch (error) {
      return Promise.reject(new PowerShellSessionError('invalid-request', `params of ${script} are not JSON: ${(error as Error).message}`));
    }
    return new Promise<unknown>((resolve, reject) => {
      const request: Request = { id, script, line, timeoutMs: options.timeoutMs ?? this.options.requestTimeoutMs, signal: options.signal, resolve, reject, stderr: '', settled: false };
      if (options.signal?.aborted) {
        reject(new PowerShellSessionError('aborted', `${script} was cancelled before it started`));
        return;
      }
      if (options.signal) {
        request.onAbort = () => this.abort(request);
        options.signal.addEventListener('abort', request.onAbort, { once: true });
      }
      this.queue.push(request);
      this.pump();
    });
  }

  /** Rejects what is queued, lets the loop finish its request and exit (stdin closed), then kills it. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const request of this.queue.splice(0)) this.settle(request, new PowerShellSessionError('stopped', `${request.script} was not run: the agent is stopping`));
    if (this.current) this.settle(this.current, new PowerShellSessionError('stopped', `${this.current.script} was interrupted: the agent is stopping`));
    const loop = this.loop;
    this.loop = null;
    if (!loop || loop.hasExited) return;
    loop.child.stdin.end();
    const timer = setTimeout(() => loop.child.kill('SIGKILL'), this.options.stopGraceMs ?? 5_000);
    await loop.exited;
    clearTimeout(timer);
  }

  private pump(): void {
    if (this.current || this.stopped) return;
    const next = this.queue.shift();
    if (!next) return;
    this.current = next;
    void this.dispatch(next);
  }

  private async dispatch(request: Request): Promise<void> {
    let loop: HostLoopProcess;
    try {
      loop = await this.ensureProcess();
    } catch (error) {
      this.settle(request, error as Error);
      return;
    }
    // Aborted (or the session stopped) while PowerShell was starting.
    if (request.settled) return;
    request.loop = loop;
    request.timer = setTimeout(() => {
      this.settle(request, new PowerShellSessionError('timeout', `${request.script} did not answer within ${request.timeoutMs} ms; the PowerShell session was restarted`, request.stderr));
      this.kill(loop);
    }, request.timeoutMs);
    loop.child.stdin.write(request.line);
  }

  private abort(request: Request): void {
    if (request.settled) return;
    const written = request.loop;
    this.settle(request, new PowerShellSessionError('aborted', `${request.script} was cancelled${written ? '; the PowerShell session was restarted' : ''}`, request.stderr));
    // A script cannot be interrupted from outside but by ending its process.
    if (written) this.kill(written);
  }

  /** Answers a request once, and moves on to the next one. */
  private settle(request: Request, outcome: Error | { value: unknown }): void {
    if (request.settled) return;
    request.settled = true;
    clearTimeout(request.timer);
    if (request.onAbort) request.signal?.removeEventListener('abort', request.onAbort);
    const queued = this.queue.indexOf(request);
    if (queued >= 0) this.queue.splice(queued, 1);
    if (this.current === request) this.current = null;
    if (outcome instanceof Error) request.reject(outcome);
    else request.resolve(outcome.value);
    setImmediate(() => this.pump());
  }

  private async ensureProcess(): Promise<HostLoopProcess> {
    if (!this.loop || this.loop.hasExited) this.loop = this.spawnProcess();
    const loop = this.loop;
    await loop.ready;
    return loop;
  }

  private spawnProcess(): HostLoopProcess {
    const marker = newFrameMarker();
    const child = spawn(this.options.executable, [...this.options.args], {
      env: { ...process.env, ...this.options.env, [FRAME_MARKER_ENV]: marker },
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let markReady!: () => void;
    let failStart!: (error: Error) => void;
    let markExited!: () => void;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failStart = reject;
    });
    // Handled by whoever awaits it; a process nobody waited for must not raise an unhandled rejection.
    ready.catch(() => undefined);
    const exited = new Promise<void>((resolve) => (markExited = resolve));
    const loop: HostLoopProcess = { child, decoder: new HostLoopDecoder(marker), ready, exited, markReady, failStart, markExited, isReady: false, hasExited: false, stderr: '' };

    loop.startTimer = setTimeout(() => {
      loop.failStart(new PowerShellSessionError('start-failed', `PowerShell did not report ready within ${this.options.startTimeoutMs} ms`, loop.stderr));
      this.kill(loop);
    }, this.options.startTimeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => this.onLines(loop, loop.decoder.push(chunk)));
    child.stdout.on('end', () => this.onLines(loop, loop.decoder.end()));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      loop.stderr = keep(loop.stderr, chunk);
      if (this.current?.loop === loop) this.current.stderr = keep(this.current.stderr, chunk);
      this.options.onOutput?.(chunk, 'stderr');
    });
    // Writing to a loop that just died fails with EPIPE; the close handler reports what happened.
    child.stdin.on('error', () => undefined);
    child.on('error', (error) => this.onExit(loop, `could not be run (${error.message})`));
    // 'close' comes after stdout has ended, so an answer written just before exiting is not lost.
    child.on('close', (code, signal) => this.onExit(loop, signal ? `was killed (${signal})` : `exited with code ${code}`));
    return loop;
  }

  private onLines(loop: HostLoopProcess, lines: DecodedLine[]): void {
    for (const decoded of lines) {
      if (loop.hasExited && decoded.kind !== 'noise') continue;
      if (decoded.kind === 'noise') {
        if (decoded.line.length > 0) this.options.onOutput?.(decoded.line, 'stdout');
        continue;
      }
      if (decoded.kind === 'malformed') {
        this.protocolFailure(loop, `the host loop wrote a broken answer: ${decoded.reason}`);
        continue;
      }
      const frame = decoded.frame;
      if ('ready' in frame) {
        clearTimeout(loop.startTimer);
        if (frame.ready) {
          loop.isReady = true;
          loop.markReady();
        } else {
          loop.failStart(new PowerShellSessionError('start-failed', `the host loop could not start: ${frame.error.message} (${frame.error.fullyQualifiedErrorId})`, loop.stderr));
          // It exits by itself; forgetting it now lets the next request start a fresh one.
          this.kill(loop);
        }
        continue;
      }
      const request = this.current;
      // An answer is only ever expected for the one request written to this process, and only once.
      if (!loop.isReady || !request || request.loop !== loop || (frame.id !== null && frame.id !== request.id)) {
        this.protocolFailure(loop, `the host loop answered request ${String(frame.id)}, which is not the one it was given`);
        continue;
      }
      if (frame.ok) this.settle(request, { value: frame.result });
      else this.settle(request, new PowerShellScriptError(request.script, frame.error, request.stderr));
    }
  }

  /** The loop and the agent no longer agree on what was asked: start over with a fresh process. */
  private protocolFailure(loop: HostLoopProcess, message: string): void {
    const request = this.current;
    if (request && request.loop === loop) this.settle(request, new PowerShellSessionError('protocol', message, request.stderr));
    if (!loop.isReady) loop.failStart(new PowerShellSessionError('start-failed', message, loop.stderr));
    this.kill(loop);
  }

  private onExit(loop: HostLoopProcess, how: string): void {
    if (loop.hasExited) return;
    loop.hasExited = true;
    clearTimeout(loop.startTimer);
    if (this.loop === loop) this.loop = null;
    loop.failStart(new PowerShellSessionError('start-failed', `PowerShell ${how} before it was ready`, loop.stderr));
    const request = this.current;
    if (request && request.loop === loop) {
      this.settle(request, new PowerShellSessionError('exited', `PowerShell ${how} while running ${request.script}`, request.stderr || loop.stderr));
    }
    loop.markExited();
  }

  private kill(loop: HostLoopProcess): void {
    if (this.loop === loop) this.loop = null;
    if (!loop.hasExited) loop.child.kill('SIGKILL');
  }
}
