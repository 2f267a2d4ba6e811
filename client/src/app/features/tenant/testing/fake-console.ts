import type { ConsoleServerMessage } from '@contracts/console';
import type { ConsoleTerminal } from '../vms/console-terminal';

/** A console WebSocket the test plays the server side of. */
export class FakeConsoleSocket {
  binaryType: BinaryType = 'blob';
  readyState = 0;
  readonly sent: unknown[] = [];
  closedWith: number | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;

  constructor(readonly url: string) {}

  send(data: unknown): void {
    this.sent.push(data);
  }

  close(code = 1000): void {
    this.closedWith = code;
    this.readyState = 3;
  }

  // The server's side.
  open(): void {
    this.readyState = 1;
  }

  say(message: ConsoleServerMessage): void {
    this.onmessage?.({ data: JSON.stringify(message) } as MessageEvent);
  }

  output(text: string): void {
    this.onmessage?.({ data: new TextEncoder().encode(text).buffer } as MessageEvent);
  }

  drop(code: number, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason } as CloseEvent);
  }
}

/** Records what the console draws and lets the test type. */
export class FakeTerminal implements ConsoleTerminal {
  readonly written: string[] = [];
  readOnly = false;
  disposed = false;
  opened = false;
  private listener: ((data: string) => void) | null = null;

  open(): void {
    this.opened = true;
  }
  write(data: Uint8Array): void {
    this.written.push(new TextDecoder().decode(data));
  }
  onData(listener: (data: string) => void): void {
    this.listener = listener;
  }
  setReadOnly(readOnly: boolean): void {
    this.readOnly = readOnly;
  }
  fit(): void {}
  focus(): void {}
  dispose(): void {
    this.disposed = true;
  }

  type(text: string): void {
    this.listener?.(text);
  }
}

/** Providers-ready factories that keep every socket and terminal made, newest last. */
export function consoleFakes() {
  const sockets: FakeConsoleSocket[] = [];
  const terminals: FakeTerminal[] = [];
  return {
    sockets,
    terminals,
    openSocket: (url: string) => {
      const socket = new FakeConsoleSocket(url);
      sockets.push(socket);
      return socket as unknown as WebSocket;
    },
    createTerminal: () => {
      const terminal = new FakeTerminal();
      terminals.push(terminal);
      return terminal;
    },
  };
}
