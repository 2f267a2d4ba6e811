import { WebSocket } from 'ws';
import { CONSOLE_WINDOW_BYTES } from '../contracts/agent-protocol';
import { CONSOLE_CLOSE_CODES, ConsoleCloseReason, ConsoleServerMessage } from '../contracts/console';
import { ConsoleControl } from './console-bus';
import { ConsoleGrant } from './console-tickets.service';

/** How the session reaches the agent's side (through the bus) and reports its end. */
export interface BrowserSessionLink {
  toAgent(control: ConsoleControl): void;
  toAgentData(channel: string, payload: Buffer): void;
  ended(session: BrowserConsoleSession, reason: ConsoleCloseReason | 'client-closed'): void;
}

/**
 * One browser's console socket. Output is acknowledged to the agent only once the socket has
 * written it, so a slow browser holds the agent back instead of growing this process's memory;
 * input stops being read from the socket while the agent has a full window of it unacknowledged.
 */
export class BrowserConsoleSession {
  readonly startedAt = new Date();
  bytesFromBrowser = 0;
  bytesToBrowser = 0;
  private inputInFlight = 0;
  private outputToAck = 0;
  private ackScheduled = false;
  private idleTimer?: NodeJS.Timeout;
  private endReason?: ConsoleCloseReason | 'client-closed';

  constructor(
    readonly channel: string,
    readonly grant: ConsoleGrant,
    readonly ip: string | null,
    private readonly socket: WebSocket,
    private readonly link: BrowserSessionLink,
    private readonly idleTimeoutMs: number,
  ) {
    socket.on('message', (data, isBinary) => {
      if (isBinary) this.fromBrowser(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer));
    });
    socket.on('close', () => this.end('client-closed'));
    socket.on('error', () => socket.terminate());
    this.touch();
  }

  get vmId(): string {
    return this.grant.vm.id;
  }

  get ended(): boolean {
    return this.endReason !== undefined;
  }

  start(): void {
    this.say({ type: 'status', state: 'connecting', readOnly: this.grant.readOnly, vm: this.grant.vm });
  }

  opened(): void {
    this.say({ type: 'status', state: 'open', readOnly: this.grant.readOnly, vm: this.grant.vm });
  }

  output(payload: Buffer): void {
    if (this.ended) return;
    this.touch();
    this.bytesToBrowser += payload.length;
    this.socket.send(payload, { binary: true }, (error) => {
      if (error) return;
      this.outputToAck += payload.length;
      this.scheduleAck();
    });
  }

  inputAcknowledged(bytes: number): void {
    this.inputInFlight = Math.max(0, this.inputInFlight - bytes);
    if (this.inputInFlight < CONSOLE_WINDOW_BYTES && this.socket.isPaused) this.socket.resume();
  }

  /** Ends the session: tells the browser why (unless it left), the agent side to close, and the owner. */
  end(reason: ConsoleCloseReason | 'client-closed', message = ''): void {
    if (this.ended) return;
    this.endReason = reason;
    clearTimeout(this.idleTimer);
    if (reason !== 'client-closed') {
      this.say({ type: 'closed', reason, message });
      this.socket.close(CONSOLE_CLOSE_CODES[reason], reason);
    }
    this.link.ended(this, reason);
  }

  private fromBrowser(payload: Buffer): void {
    // A read-only session's keystrokes go nowhere; the browser shows it is read-only.
    if (this.grant.readOnly || this.ended || payload.length === 0) return;
    this.touch();
    this.bytesFromBrowser += payload.length;
    this.inputInFlight += payload.length;
    this.link.toAgentData(this.channel, payload);
    if (this.inputInFlight >= CONSOLE_WINDOW_BYTES) this.socket.pause();
  }

  /** One ack per burst of output rather than one per frame. */
  private scheduleAck(): void {
    if (this.ackScheduled) return;
    this.ackScheduled = true;
    setImmediate(() => {
      this.ackScheduled = false;
      if (this.ended || this.outputToAck === 0) return;
      this.link.toAgent({ op: 'ack', channel: this.channel, bytes: this.outputToAck });
      this.outputToAck = 0;
    });
  }

  private touch(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.end('idle', `Closed after ${Math.round(this.idleTimeoutMs / 1000)} seconds without console traffic`), this.idleTimeoutMs);
    this.idleTimer.unref();
  }

  private say(message: ConsoleServerMessage): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }
}
