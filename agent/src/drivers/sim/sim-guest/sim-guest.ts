import { StringDecoder } from 'node:string_decoder';
import { CloudInitSeed } from '../../../cloud-init/nocloud-seed-iso';
import { SimNic } from '../sim-state';
import { bootMessages, issueAndLogin, loginPrompt, shutdownMessages } from './guest-boot';
import { runCommand, shellPrompt, ShellContext, ShellEffect } from './guest-commands';
import { guestFlavour, GuestFlavour, motdFor } from './guest-flavour';
import { GuestAccount, guestIdentity, GuestIdentity, passwordMatches } from './guest-identity';
import { guestNics } from './guest-network';
import { GuestScript, GuestTimers, NODE_TIMERS, ScriptStep } from './guest-script';
import { GuestTerminal, TerminalEvent } from './guest-terminal';

/** What the guest knows of the VM it runs in: the sim driver's live record of it. */
export interface GuestMachine {
  readonly name: string;
  readonly vcpu: number;
  readonly memoryMiB: number;
  readonly disks: readonly { readonly sizeGiB: number }[];
  readonly nics: readonly SimNic[];
  /** Epoch ms of the last boot; null while off or saved. */
  readonly startedAt: number | null;
  readonly cloudInit?: CloudInitSeed;
  readonly imageFileName?: string;
}

/** Where the guest's serial output goes: a console stream attached to COM1. */
export interface SerialSink {
  deliver(data: Buffer): void;
  /** While true, output that can wait (a running `yes`) waits. */
  readonly paused: boolean;
}

export type GuestHalt = 'poweroff' | 'reboot';

export interface SimGuestOptions {
  machine: () => GuestMachine;
  /** One step of the boot and shutdown sequences, ms (the sim's action delay); 0 plays them at once. */
  stepMs: number;
  clock: () => number;
  /** `poweroff` or `reboot` ran in the guest and its shutdown finished: the VM must turn off or reset. */
  onHalt(kind: GuestHalt): void;
  /** The VM was up before its guest was made (a console opened later, or the agent restarted): getty waits at its login prompt. */
  alreadyUp?: boolean;
  timers?: GuestTimers;
}

/** What getty, login and the shell are doing on ttyS0. */
type Phase = 'off' | 'booting' | 'login' | 'password' | 'login-failed' | 'shell' | 'repeating' | 'halting';

/** pam_faildelay's pause after a wrong password, in steps. */
const FAILED_LOGIN_STEPS = 3;
/** Typed-ahead input the tty keeps while nobody reads it (a paused VM, the pause after a failed login). */
const MAX_TYPE_AHEAD = 4_096;
/** How much a repeating command writes per turn of the event loop. */
const REPEAT_CHUNK_BYTES = 16 * 1024;

/**
 * A simulated Linux guest as seen on its serial port: the boot log when the VM starts, agetty's login
 * prompt, login checking the password cloud-init set (SHA-512 crypt), and a bash-like shell whose
 * `poweroff` and `reboot` really turn the VM off or reset it. The driver tells it about power changes
 * (boot, powerOff, suspend, resume); it tells the driver when the guest halts itself.
 */
export class SimGuest {
  private phase: Phase = 'off';
  private suspended = false;
  private readonly sinks = new Set<SerialSink>();
  private readonly terminal = new GuestTerminal((text) => this.emit(text));
  private readonly script: GuestScript;
  private readonly decoder = new StringDecoder('utf8');
  private typeAhead = '';
  private flavour: GuestFlavour;
  private identity: GuestIdentity;
  /** The shell's users, innermost last: `sudo -i` pushes root, `exit` pops it. */
  private shellUsers: GuestAccount[] = [];
  private loginName = '';
  private repeatLine = '';
  private pumpScheduled = false;

  constructor(private readonly options: SimGuestOptions) {
    this.script = new GuestScript(options.timers ?? NODE_TIMERS);
    ({ flavour: this.flavour, identity: this.identity } = this.readSeed());
    if (options.alreadyUp) this.phase = 'login';
  }

  get state(): Phase {
    return this.phase;
  }

  attach(sink: SerialSink): void {
    this.sinks.add(sink);
    this.pump();
  }

  detach(sink: SerialSink): void {
    this.sinks.delete(sink);
  }

  /** Bytes typed on the console. */
  input(data: Buffer): void {
    if (this.phase === 'off' || this.phase === 'booting' || this.phase === 'halting') return; // nobody reads the tty; getty flushes it when it starts
    this.typeAhead = (this.typeAhead + this.decoder.write(data)).slice(0, MAX_TYPE_AHEAD);
    this.readTypeAhead();
  }

  /** A sink's flow resumed: output that waited can go on. */
  drain(): void {
    this.pump();
  }

  // ---- Power, as the driver sees it ---------------------------------------------------------

  /** Power-on or reset: the boot log, then the login prompt. */
  boot(): void {
    this.reset();
    ({ flavour: this.flavour, identity: this.identity } = this.readSeed());
    const machine = this.options.machine();
    const groups = bootMessages({
      flavour: this.flavour,
      hostname: this.identity.hostname,
      vcpu: machine.vcpu,
      memoryMiB: machine.memoryMiB,
      diskGiB: machine.disks[0]?.sizeGiB ?? 0,
      nics: guestNics(machine.nics),
      seeded: machine.cloudInit !== undefined,
      poweredOnAt: machine.startedAt ?? this.options.clock(),
    });
    this.phase = 'booting';
    this.script.play(this.printSteps(groups), () => {
      this.phase = 'login';
      this.emit(issueAndLogin(this.flavour, this.identity.hostname));
    });
  }

  /** An ACPI shutdown from the host (Stop-VM): the guest prints its way down; powerOff follows. */
  shutdown(): void {
    if (this.phase === 'off' || this.phase === 'halting' || this.suspended) return;
    this.halt('poweroff', false);
  }

  /** Turned off: everything stops, mid-line or not. */
  powerOff(): void {
    this.reset();
  }

  /** Paused or saved: the guest stops where it is. */
  suspend(): void {
    this.suspended = true;
    this.script.suspend();
  }

  resume(): void {
    if (!this.suspended) return;
    this.suspended = false;
    this.script.resume();
    this.readTypeAhead();
    this.pump();
  }

  // ---- The tty ------------------------------------------------------------------------------

  private readTypeAhead(): void {
    while (this.typeAhead.length > 0 && !this.suspended && this.reading()) {
      const { event, consumed } = this.terminal.read(this.typeAhead);
      this.typeAhead = this.typeAhead.slice(consumed);
      if (event) this.handle(event);
    }
  }

  /** Whether a program reads the tty now; otherwise typed input waits. */
  private reading(): boolean {
    return this.phase === 'login' || this.phase === 'password' || this.phase === 'shell' || this.phase === 'repeating';
  }

  private handle(event: TerminalEvent): void {
    switch (this.phase) {
      case 'login':
        return this.onLoginName(event);
      case 'password':
        return this.onPassword(event);
      case 'shell':
        return this.onShellInput(event);
      case 'repeating':
        if (event.kind === 'interrupt') {
          this.phase = 'shell';
          this.prompt();
        }
        return;
    }
  }

  private onLoginName(event: TerminalEvent): void {
    if (event.kind === 'eof') return;
    const name = event.kind === 'line' ? event.line.trim() : '';
    if (name === '') return this.emit(loginPrompt(this.identity.hostname));
    this.loginName = name;
    this.phase = 'password';
    this.terminal.echo = false;
    this.emit('Password: ');
  }

  private onPassword(event: TerminalEvent): void {
    this.terminal.echo = true;
    if (event.kind !== 'line') {
      this.phase = 'login';
      return this.emit(`\r\n${loginPrompt(this.identity.hostname)}`);
    }
    this.emit('\r\n');
    const account = this.identity.accounts.get(this.loginName);
    if (account && passwordMatches(account, event.line)) {
      this.shellUsers = [account];
      this.phase = 'shell';
      const motd = motdFor(this.flavour, this.identity.hostname);
      if (motd.length > 0) this.emit(`${motd.join('\r\n')}\r\n`);
      return this.prompt();
    }
    // login answers a wrong password and an unknown user alike, after the same pause.
    this.phase = 'login-failed';
    this.script.play([{ delayMs: FAILED_LOGIN_STEPS * this.options.stepMs, run: () => this.emit('Login incorrect\r\n') }], () => {
      this.phase = 'login';
      this.emit(loginPrompt(this.identity.hostname));
      this.readTypeAhead();
    });
  }

  private onShellInput(event: TerminalEvent): void {
    if (event.kind === 'interrupt') return this.prompt();
    if (event.kind === 'eof') {
      this.emit('logout\r\n');
      return this.logout();
    }
    const machine = this.options.machine();
    const now = this.options.clock();
    const context: ShellContext = {
      user: this.user,
      identity: this.identity,
      flavour: this.flavour,
      nics: guestNics(machine.nics),
      uptimeSeconds: machine.startedAt === null ? 0 : Math.max(0, Math.floor((now - machine.startedAt) / 1000)),
      now,
      seeded: machine.cloudInit !== undefined,
    };
    const result = runCommand(event.line, context);
    if (result.output) this.emit(result.output);
    this.apply(result.effect);
  }

  private apply(effect: ShellEffect | undefined): void {
    switch (effect?.kind) {
      case undefined:
        return this.prompt();
      case 'logout':
        return this.logout();
      case 'root-shell': {
        const root = this.identity.accounts.get('root');
        if (root) this.shellUsers.push(root);
        return this.prompt();
      }
      case 'halt':
        return this.halt(effect.halt, true);
      case 'repeat':
        this.phase = 'repeating';
        this.repeatLine = effect.line;
        return this.pump();
    }
  }

  private logout(): void {
    this.shellUsers.pop();
    if (this.shellUsers.length > 0) return this.prompt();
    this.phase = 'login';
    this.emit(issueAndLogin(this.flavour, this.identity.hostname));
  }

  /** systemd's way down; a halt asked for in the guest then makes the VM turn off or reset. */
  private halt(kind: GuestHalt, fromGuest: boolean): void {
    const machine = this.options.machine();
    const uptime = machine.startedAt === null ? 0 : (this.options.clock() - machine.startedAt) / 1000;
    this.phase = 'halting';
    this.typeAhead = '';
    this.script.play(this.printSteps(shutdownMessages(kind, uptime)), () => {
      if (fromGuest) this.options.onHalt(kind);
    });
  }

  private get user(): GuestAccount {
    return this.shellUsers[this.shellUsers.length - 1];
  }

  private prompt(): void {
    this.emit(shellPrompt(this.user, this.identity.hostname));
  }

  /** `yes` and the like: as fast as the serial line takes it, one chunk per turn so ^C gets read. */
  private pump(): void {
    if (this.pumpScheduled || this.phase !== 'repeating') return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      if (this.phase !== 'repeating' || this.suspended || this.sinks.size === 0 || [...this.sinks].some((sink) => sink.paused)) return;
      this.emit(this.repeatLine.repeat(Math.max(1, Math.floor(REPEAT_CHUNK_BYTES / this.repeatLine.length))));
      this.pump();
    });
  }

  /** Groups of lines, one step apart. */
  private printSteps(groups: string[][]): ScriptStep[] {
    return groups.map((lines, index) => ({ delayMs: index === 0 ? 0 : this.options.stepMs, run: () => this.emit(lines.map((line) => `${line}\r\n`).join('')) }));
  }

  private reset(): void {
    this.script.cancel();
    this.terminal.reset();
    this.terminal.echo = true;
    this.phase = 'off';
    this.suspended = false;
    this.typeAhead = '';
    this.shellUsers = [];
  }

  private readSeed(): { flavour: GuestFlavour; identity: GuestIdentity } {
    const machine = this.options.machine();
    const flavour = guestFlavour(machine.imageFileName);
    return { flavour, identity: guestIdentity(machine.cloudInit, machine.name, flavour) };
  }

  private emit(text: string): void {
    if (text.length === 0 || this.sinks.size === 0) return;
    const data = Buffer.from(text, 'utf8');
    for (const sink of this.sinks) sink.deliver(data);
  }
}
