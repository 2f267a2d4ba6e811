import { connect, Socket } from 'node:net';
import { ConsoleEndReason } from '../../../../src/contracts/agent-protocol';
import { SerialHandlers, SerialStream } from '../host-driver';

export interface PipeRetry {
  firstMs: number;
  maxMs: number;
}

/** A VM that is off has no pipe, and a restarting one drops it for a few seconds: try again soon, then every few seconds. */
export const PIPE_RETRY: PipeRetry = Object.freeze({ firstMs: 500, maxMs: 5_000 });

/**
 * Input the pipe has not taken yet, at most. A guest that does not read its serial port would otherwise
 * let typed input pile up here; beyond this it is dropped, as a UART without flow control drops it.
 */
const MAX_UNSENT_INPUT_BYTES = 64 * 1024;

/**
 * A VM's COM1 named pipe (`\\.\pipe\openhvx-<vmId>-com1`) as a serial stream. Hyper-V serves the pipe
 * only while the VM runs, so the stream connects again whenever the pipe goes away or is not there yet,
 * until it is closed; output just stops meanwhile, and input is dropped. `path` is any path
 * `net.connect` takes, so tests use a Unix domain socket.
 */
export class PipeSerialStream implements SerialStream {
  private socket: Socket | null = null;
  private retryTimer?: NodeJS.Timeout;
  private failures = 0;
  private paused = false;
  private finished = false;

  constructor(
    readonly path: string,
    private readonly handlers: SerialHandlers,
    private readonly retry: PipeRetry = PIPE_RETRY,
  ) {
    this.connect();
  }

  write(data: Buffer): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== 'open' || socket.writableLength > MAX_UNSENT_INPUT_BYTES) return;
    socket.write(data);
  }

  pause(): void {
    this.paused = true;
    this.socket?.pause();
  }

  resume(): void {
    this.paused = false;
    this.socket?.resume();
  }

  close(): void {
    this.finished = true;
    clearTimeout(this.retryTimer);
    this.socket?.destroy();
    this.socket = null;
  }

  /** Ends the stream for good (the VM was deleted, the driver is stopping) and says why. */
  end(reason: ConsoleEndReason, message: string): void {
    if (this.finished) return;
    this.close();
    this.handlers.onEnd(reason, message);
  }

  private connect(): void {
    const socket = connect({ path: this.path });
    this.socket = socket;
    socket.on('connect', () => (this.failures = 0));
    socket.on('data', (data: Buffer) => this.handlers.onData(data));
    if (this.paused) socket.pause();
    // Every failure is followed by 'close', which decides what comes next.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.socket !== socket || this.finished) return;
      this.socket = null;
      const delay = Math.min(this.retry.maxMs, this.retry.firstMs * 2 ** this.failures);
      this.failures += 1;
      this.retryTimer = setTimeout(() => this.connect(), delay);
    });
  }
}
