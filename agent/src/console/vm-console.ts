import { ConsoleEndReason } from '../../../src/contracts/agent-protocol';
import { DriverError, HostDriver, SerialStream, SerialTarget } from '../drivers/host-driver';
import { ConsoleChannel } from './console-channel';

export interface VmConsoleEvents {
  /** The stream ended or could not open; its channels were told why. */
  ended(console: VmConsole): void;
  log(message: string): void;
}

/**
 * One VM's serial stream, shared by every channel open on that VM: output goes to all of them, input
 * from any of them goes to the stream, and the stream pauses while any of them is out of credit, so
 * the slowest reader sets the pace and no channel holds more than its window.
 */
export class VmConsole {
  private stream: SerialStream | null = null;
  private readonly channels = new Set<ConsoleChannel>();
  private paused = false;
  private finished = false;

  constructor(
    readonly target: SerialTarget,
    private readonly events: VmConsoleEvents,
  ) {}

  /** Closed (its last channel left, or the connection dropped) or ended: it takes no more channels. */
  get isFinished(): boolean {
    return this.finished;
  }

  /** Opens the stream; channels that attach meanwhile are told once it is open. */
  async open(driver: Pick<HostDriver, 'openSerial'>): Promise<void> {
    let stream: SerialStream;
    try {
      stream = await driver.openSerial(this.target, { onData: (data) => this.output(data), onEnd: (reason, message) => this.end(reason, message) });
    } catch (error) {
      const notFound = error instanceof DriverError && error.code === 'NOT_FOUND';
      this.end(notFound ? 'vm-not-found' : 'error', error instanceof Error ? error.message : String(error));
      return;
    }
    if (this.finished) return stream.close();
    this.stream = stream;
    for (const channel of this.channels) channel.opened(this.write);
    this.updateFlow();
  }

  attach(channel: ConsoleChannel): void {
    this.channels.add(channel);
    if (this.stream) channel.opened(this.write);
  }

  /** Detaches a channel the server closed; the last one to leave closes the stream. */
  detach(channel: ConsoleChannel): void {
    channel.detach();
    this.channels.delete(channel);
    if (this.channels.size === 0) this.close();
    else this.updateFlow();
  }

  input(channel: ConsoleChannel, data: Buffer): void {
    const dropped = channel.input(data, this.stream ? this.write : null);
    if (dropped > 0) this.events.log(`Console channel ${channel.id}: ${dropped} input bytes beyond the window dropped`);
  }

  acknowledgeOutput(channel: ConsoleChannel, bytes: number): void {
    channel.acknowledgeOutput(bytes);
    this.updateFlow();
  }

  /** Detaches every channel without a word to the server (the connection is gone) and closes the stream. */
  close(): void {
    this.finished = true;
    for (const channel of this.channels) channel.detach();
    this.channels.clear();
    this.stream?.close();
    this.stream = null;
  }

  private readonly write = (data: Buffer): void => this.stream?.write(data);

  private output(data: Buffer): void {
    if (this.finished) return;
    for (const channel of this.channels) {
      // Only a driver that delivers output while paused gets here with a full hold.
      const dropped = channel.output(data);
      if (dropped > 0) this.events.log(`Console of VM ${this.target.vmId}: ${dropped} output bytes beyond channel ${channel.id}'s window dropped`);
    }
    this.updateFlow();
  }

  private end(reason: ConsoleEndReason, message: string): void {
    if (this.finished) return;
    this.finished = true;
    this.stream = null;
    for (const channel of this.channels) channel.end(reason, message);
    this.channels.clear();
    this.events.ended(this);
  }

  private updateFlow(): void {
    if (!this.stream) return;
    const blocked = [...this.channels].some((channel) => channel.blocked);
    if (blocked === this.paused) return;
    this.paused = blocked;
    if (blocked) this.stream.pause();
    else this.stream.resume();
  }
}
