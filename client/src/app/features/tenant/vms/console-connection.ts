import { computed, signal } from '@angular/core';
import { CONSOLE_CLOSE_CODES, type ConsoleCloseReason, type ConsoleServerMessage, type ConsoleTicket } from '@contracts/console';
import { apiErrorMessage } from '../../../core/api-error';

export type ConsolePhase = 'idle' | 'requesting' | 'connecting' | 'open' | 'closed';

/** Why a console ended: the server's reasons, plus a connection lost without one and a ticket refused. */
export type ConsoleEnd = ConsoleCloseReason | 'lost' | 'refused';

export const CONSOLE_END_TEXT: Readonly<Record<ConsoleEnd, string>> = {
  'taken-over': 'Another session took over this console',
  idle: 'The console was closed after a while without activity',
  'vm-deleted': 'The VM was deleted',
  'vm-not-found': 'The VM was not found on its host',
  'agent-disconnected': "The host's agent disconnected",
  'host-offline': "The VM's host is offline",
  'server-shutdown': 'The server is restarting',
  error: 'The console failed',
  lost: 'The connection was lost',
  refused: 'The console could not be opened',
};

const SOCKET_OPEN = 1;
const reasonOfCode = (code: number): ConsoleCloseReason | undefined =>
  (Object.keys(CONSOLE_CLOSE_CODES) as ConsoleCloseReason[]).find((reason) => CONSOLE_CLOSE_CODES[reason] === code);

export interface ConsoleConnectionOptions {
  /** A fresh single-use ticket for each connection. */
  ticket: () => Promise<ConsoleTicket>;
  openSocket: (url: string) => WebSocket;
  /** Serial output, as it arrives. */
  output: (bytes: Uint8Array) => void;
}

/**
 * One VM's serial console over `/ws/console`: binary frames are raw serial bytes both ways, text frames
 * the server's JSON status and close messages. Knows nothing of the terminal that shows it.
 */
export class ConsoleConnection {
  readonly phase = signal<ConsolePhase>('idle');
  readonly readOnly = signal(false);
  readonly vmName = signal<string | null>(null);
  readonly end = signal<ConsoleEnd | null>(null);
  /** The server's own words about the end, when it gave some. */
  readonly endMessage = signal('');
  readonly status = computed(() => {
    switch (this.phase()) {
      case 'idle':
        return 'Not connected';
      case 'requesting':
        return 'Connecting…';
      case 'connecting':
        return "Connecting to the VM's serial port…";
      case 'open':
        return `Connected to ${this.vmName() ?? 'the VM'}${this.readOnly() ? ' · read-only: you can watch but not type' : ''}`;
      case 'closed':
        return `Disconnected: ${CONSOLE_END_TEXT[this.end() ?? 'lost']}`;
    }
  });

  private socket: WebSocket | null = null;
  /** Counts connects and disconnects, so an answer to an abandoned attempt is dropped. */
  private attempt = 0;
  private readonly encoder = new TextEncoder();

  constructor(private readonly options: ConsoleConnectionOptions) {}

  async connect(): Promise<void> {
    this.disconnect();
    const attempt = this.attempt;
    this.phase.set('requesting');
    this.end.set(null);
    this.endMessage.set('');
    let ticket: ConsoleTicket;
    try {
      ticket = await this.options.ticket();
    } catch (error) {
      if (attempt === this.attempt) this.finish('refused', apiErrorMessage(error));
      return;
    }
    if (attempt !== this.attempt) return;
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    const socket = this.options.openSocket(scheme + location.host + ticket.url);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    this.phase.set('connecting');
    socket.onmessage = (event: MessageEvent) => {
      if (this.socket !== socket) return;
      if (typeof event.data === 'string') this.control(JSON.parse(event.data) as ConsoleServerMessage);
      else this.options.output(new Uint8Array(event.data as ArrayBuffer));
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.phase() !== 'closed') this.finish(reasonOfCode(event.code) ?? 'lost', event.reason);
    };
  }

  /** Sends what the user typed, unless the session is read-only. */
  send(text: string): void {
    if (!this.socket || this.socket.readyState !== SOCKET_OPEN || this.phase() !== 'open' || this.readOnly()) return;
    this.socket.send(this.encoder.encode(text));
  }

  disconnect(): void {
    this.attempt++;
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000);
    this.phase.set('idle');
  }

  private control(message: ConsoleServerMessage): void {
    if (message.type === 'status') {
      this.readOnly.set(message.readOnly);
      this.vmName.set(message.vm.name);
      this.phase.set(message.state);
    } else {
      this.finish(message.reason, message.message);
    }
  }

  private finish(end: ConsoleEnd, message: string): void {
    this.end.set(end);
    this.endMessage.set(message);
    this.phase.set('closed');
  }
}
