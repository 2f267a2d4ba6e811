import { afterNextRender, ChangeDetectionStrategy, Component, computed, DestroyRef, effect, ElementRef, inject, input, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Session } from '../../../core/session';
import { ConsoleConnection } from './console-connection';
import { CONSOLE_SOCKET, CONSOLE_TERMINAL, ConsoleTerminal } from './console-terminal';
import { VmApi } from './vm-api';

/**
 * A VM's serial console in a terminal. It connects when shown, and closes the socket and the terminal
 * when it goes away (leaving the tab or the page). Viewers watch read-only: the server ignores their input.
 */
@Component({
  selector: 'app-vm-console',
  imports: [MatButtonModule, MatIconModule, MatProgressBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(window:resize)': 'fit()' },
  template: `
    <div class="bar">
      <p class="status" role="status" [class.error-text]="connection.phase() === 'closed'">{{ connection.status() }}</p>
      @if (connection.phase() === 'closed' || connection.phase() === 'idle') {
        <button mat-stroked-button (click)="connect()"><mat-icon>refresh</mat-icon>Reconnect</button>
      } @else {
        <button mat-button (click)="connection.disconnect()"><mat-icon>link_off</mat-icon>Disconnect</button>
      }
    </div>
    @if (detail(); as text) {
      <p class="muted detail">{{ text }}</p>
    }
    @if (connection.phase() === 'requesting' || connection.phase() === 'connecting') {
      <mat-progress-bar mode="indeterminate" aria-label="Connecting to the console" />
    }
    <div #screen class="screen" [attr.aria-label]="'Serial console' + (readOnly() ? ' (read-only)' : '')"></div>
  `,
  styles: `
    :host {
      display: block;
      padding-top: 8px;
    }
    .bar {
      display: flex;
      align-items: center;
      gap: 16px;
      flex-wrap: wrap;
    }
    .status {
      flex: 1;
      margin: 8px 0;
    }
    .detail {
      margin: 0 0 8px;
    }
    .screen {
      height: 480px;
      padding: 8px;
      background: #000;
      border-radius: 8px;
      overflow: hidden;
    }
  `,
})
export class VmConsole {
  readonly vmId = input.required<string>();

  private readonly api = inject(VmApi);
  private readonly session = inject(Session);
  private readonly destroyRef = inject(DestroyRef);
  private readonly createTerminal = inject(CONSOLE_TERMINAL);
  private readonly screen = viewChild.required<ElementRef<HTMLElement>>('screen');
  private terminal: ConsoleTerminal | null = null;
  protected readonly connection = new ConsoleConnection({
    ticket: () => this.api.consoleTicket(this.vmId()),
    openSocket: inject(CONSOLE_SOCKET),
    output: (bytes) => this.terminal?.write(bytes),
  });
  protected readonly readOnly = computed(() => this.session.readOnly() || this.connection.readOnly());
  /** The server's own words about why the console ended, when they add to the status line. */
  protected readonly detail = computed(() => (this.connection.phase() === 'closed' ? this.connection.endMessage() : ''));

  constructor() {
    afterNextRender(() => {
      const terminal = this.createTerminal();
      terminal.open(this.screen().nativeElement);
      terminal.setReadOnly(this.readOnly());
      terminal.onData((text) => this.connection.send(text));
      this.terminal = terminal;
      this.observeSize();
      void this.connect();
    });
    effect(() => {
      const readOnly = this.readOnly();
      this.terminal?.setReadOnly(readOnly);
    });
    this.destroyRef.onDestroy(() => {
      this.connection.disconnect();
      this.terminal?.dispose();
      this.terminal = null;
    });
  }

  protected async connect(): Promise<void> {
    await this.connection.connect();
    this.terminal?.focus();
  }

  protected fit(): void {
    this.terminal?.fit();
  }

  /** The tab's size settles after it opens, and changes with the layout, not only with the window. */
  private observeSize(): void {
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => this.fit());
    observer.observe(this.screen().nativeElement);
    this.destroyRef.onDestroy(() => observer.disconnect());
  }
}
