import { InjectionToken } from '@angular/core';
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';

/** The terminal the console draws in; behind this interface so tests (and jsdom, which has no canvas) need no xterm. */
export interface ConsoleTerminal {
  open(host: HTMLElement): void;
  write(data: Uint8Array): void;
  /** What the user types or pastes. */
  onData(listener: (data: string) => void): void;
  setReadOnly(readOnly: boolean): void;
  /** Resizes the terminal to its container. */
  fit(): void;
  focus(): void;
  dispose(): void;
}

class XtermConsoleTerminal implements ConsoleTerminal {
  private readonly terminal = new Terminal({
    cursorBlink: true,
    scrollback: 5_000,
    fontFamily: '"Roboto Mono", ui-monospace, Menlo, Consolas, monospace',
    fontSize: 14,
  });
  private readonly fitAddon = new FitAddon();

  constructor() {
    this.terminal.loadAddon(this.fitAddon);
  }

  open(host: HTMLElement): void {
    this.terminal.open(host);
    this.fit();
  }

  write(data: Uint8Array): void {
    this.terminal.write(data);
  }

  onData(listener: (data: string) => void): void {
    this.terminal.onData(listener);
  }

  setReadOnly(readOnly: boolean): void {
    this.terminal.options.disableStdin = readOnly;
  }

  fit(): void {
    // A hidden container (a tab being switched away) has no size to fit to.
    if (this.fitAddon.proposeDimensions()) this.fitAddon.fit();
  }

  focus(): void {
    this.terminal.focus();
  }

  dispose(): void {
    this.terminal.dispose();
  }
}

export const CONSOLE_TERMINAL = new InjectionToken<() => ConsoleTerminal>('ConsoleTerminal', {
  providedIn: 'root',
  factory: () => () => new XtermConsoleTerminal(),
});

/** Opens the console's WebSocket; tests swap in a fake. */
export const CONSOLE_SOCKET = new InjectionToken<(url: string) => WebSocket>('ConsoleSocket', {
  providedIn: 'root',
  factory: () => (url: string) => new WebSocket(url),
});
