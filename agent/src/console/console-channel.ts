import { AgentMessage, CONSOLE_WINDOW_BYTES, ConsoleEndReason } from '../../../src/contracts/agent-protocol';
import { encodeConsoleFrame } from '../../../src/contracts/console-frame';

/** How a channel reaches the server. */
export interface ConsoleLink {
  send(message: AgentMessage): void;
  sendFrame(frame: Buffer): void;
}

/** The schema's limit on a `console.closed` message. */
const MAX_END_MESSAGE_LENGTH = 1_024;

/**
 * One console channel: one browser session's share of a VM's serial stream. It keeps the output credit
 * the server has granted, holds back the output that does not fit in it (at most one window), holds the
 * input that arrives before the stream is open, and acknowledges input once it is written.
 */
export class ConsoleChannel {
  private state: 'opening' | 'open' | 'gone' = 'opening';
  private unackedOutput = 0;
  private readonly heldOutput = new ByteQueue();
  private readonly heldInput = new ByteQueue();
  private inputToAck = 0;

  constructor(
    readonly id: string,
    private readonly link: ConsoleLink,
  ) {}

  /** Out of credit: the VM's stream must pause until the server acknowledges output. */
  get blocked(): boolean {
    return this.heldOutput.bytes > 0 || this.unackedOutput >= CONSOLE_WINDOW_BYTES;
  }

  /** The stream is open: tells the server, then sends what was held back while it opened. */
  opened(write: (data: Buffer) => void): void {
    if (this.state !== 'opening') return;
    this.state = 'open';
    this.link.send({ type: 'console.opened', channel: this.id });
    for (const data of this.heldInput.takeAll()) this.input(data, write);
    this.flushOutput();
  }

  /** Queues serial output and sends what the credit allows; answers how many bytes did not fit in the hold. */
  output(data: Buffer): number {
    const dropped = this.heldOutput.push(data, CONSOLE_WINDOW_BYTES);
    this.flushOutput();
    return dropped;
  }

  acknowledgeOutput(bytes: number): void {
    this.unackedOutput = Math.max(0, this.unackedOutput - bytes);
    this.flushOutput();
  }

  /**
   * Writes input to the stream, or holds it until the stream opens. Answers how many bytes were dropped:
   * only a server that ignores its input window sends more than the hold takes.
   */
  input(data: Buffer, write: ((data: Buffer) => void) | null): number {
    if (this.state === 'gone' || data.length === 0) return 0;
    if (write === null || this.state === 'opening') return this.heldInput.push(data, CONSOLE_WINDOW_BYTES);
    write(data);
    if (this.inputToAck === 0) setImmediate(() => this.acknowledgeInput());
    this.inputToAck += data.length;
    return 0;
  }

  /** The stream ended or could not open: tells the server why. */
  end(reason: ConsoleEndReason, message: string): void {
    if (this.state === 'gone') return;
    this.detach();
    this.link.send({ type: 'console.closed', channel: this.id, reason, message: message.slice(0, MAX_END_MESSAGE_LENGTH) });
  }

  /** Closed by the server or with the connection: nothing more is sent. */
  detach(): void {
    this.state = 'gone';
    this.heldOutput.takeAll();
    this.heldInput.takeAll();
  }

  private flushOutput(): void {
    if (this.state !== 'open') return;
    while (this.heldOutput.bytes > 0 && this.unackedOutput < CONSOLE_WINDOW_BYTES) {
      const piece = this.heldOutput.take(CONSOLE_WINDOW_BYTES - this.unackedOutput);
      this.unackedOutput += piece.length;
      this.link.sendFrame(encodeConsoleFrame(this.id, piece));
    }
  }

  /** One ack per channel and tick, however many frames the tick wrote; an ack carries at most a window. */
  private acknowledgeInput(): void {
    let bytes = this.state === 'gone' ? 0 : this.inputToAck;
    this.inputToAck = 0;
    while (bytes > 0) {
      const acked = Math.min(bytes, CONSOLE_WINDOW_BYTES);
      this.link.send({ type: 'console.ack', channel: this.id, bytes: acked });
      bytes -= acked;
    }
  }
}

/** Buffers in order, with their total size. */
class ByteQueue {
  private readonly chunks: Buffer[] = [];
  bytes = 0;

  /** Appends what fits under `limit` bytes in all; answers how many bytes did not fit. */
  push(data: Buffer, limit: number): number {
    const room = Math.max(0, limit - this.bytes);
    const kept = data.length <= room ? data : data.subarray(0, room);
    if (kept.length > 0) {
      this.chunks.push(kept);
      this.bytes += kept.length;
    }
    return data.length - kept.length;
  }

  /** Removes and answers up to `max` bytes from the front (part of a chunk when it is larger). */
  take(max: number): Buffer {
    const first = this.chunks[0];
    const piece = first.length <= max ? (this.chunks.shift() as Buffer) : first.subarray(0, max);
    if (piece !== first) this.chunks[0] = first.subarray(max);
    this.bytes -= piece.length;
    return piece;
  }

  takeAll(): Buffer[] {
    this.bytes = 0;
    return this.chunks.splice(0);
  }
}
