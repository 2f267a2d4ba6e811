import { ConsoleEndReason } from '../../../../src/contracts/agent-protocol';
import { SerialHandlers, SerialStream } from '../host-driver';
import { ResolvedSimConfig } from './sim-config';
import { GuestHalt, SerialSink, SimGuest } from './sim-guest/sim-guest';
import { SimVmRecord } from './sim-state';

/**
 * Output held while the stream is paused, at most; the guest's own output is small (a boot log, a
 * command's answer) and what streams (`yes`) waits for resume, so only a runaway fills it.
 */
const MAX_HELD_OUTPUT_BYTES = 256 * 1024;

/** A console's connection to a sim VM's COM1. */
class SimSerialStream implements SerialStream, SerialSink {
  paused = false;
  private held: Buffer[] = [];
  private heldBytes = 0;

  constructor(
    private readonly guest: SimGuest,
    private readonly handlers: SerialHandlers,
    private readonly closed: (stream: SimSerialStream) => void,
  ) {}

  deliver(data: Buffer): void {
    if (!this.paused) return this.handlers.onData(data);
    // Beyond the hold the bytes are lost, as a UART overruns.
    const kept = data.subarray(0, Math.max(0, MAX_HELD_OUTPUT_BYTES - this.heldBytes));
    if (kept.length === 0) return;
    this.held.push(kept);
    this.heldBytes += kept.length;
  }

  write(data: Buffer): void {
    this.guest.input(data);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    // Delivering may pause the stream again (the reader's window filled up).
    while (!this.paused && this.held.length > 0) {
      const data = this.held.shift() as Buffer;
      this.heldBytes -= data.length;
      this.handlers.onData(data);
    }
    if (!this.paused) this.guest.drain();
  }

  close(): void {
    this.guest.detach(this);
    this.closed(this);
  }

  end(reason: ConsoleEndReason, message: string): void {
    this.close();
    this.handlers.onEnd(reason, message);
  }
}

/** What the driver made of a halt the guest asked for. */
export type GuestHaltOutcome = 'applied' | 'busy' | 'ignored';

interface GuestEntry {
  guest: SimGuest;
  streams: Set<SimSerialStream>;
  /** The VM's power as the guest last heard of it. */
  seen: { state: SimVmRecord['state']; startedAt: number | null };
}

/**
 * The sim host's guests, one per VM whose serial port a console opened (made on first use, so thousands
 * of VMs without a console cost nothing). After every change of VM state the driver calls `sync`, which
 * tells each guest what happened to its VM: booted, turned off, paused or saved, resumed.
 */
export class SimGuests {
  private readonly entries = new Map<string, GuestEntry>();

  constructor(
    private readonly config: ResolvedSimConfig,
    /** Turns the VM off or resets it for its guest; 'busy' while an action works on it (asked again a step later). */
    private readonly onGuestHalt: (vm: SimVmRecord, kind: GuestHalt) => GuestHaltOutcome,
  ) {}

  /** Connects a console to the VM's COM1. */
  openSerial(vm: SimVmRecord, handlers: SerialHandlers): SerialStream {
    const entry = this.entryFor(vm);
    const stream = new SimSerialStream(entry.guest, handlers, (closed) => entry.streams.delete(closed));
    entry.streams.add(stream);
    entry.guest.attach(stream);
    return stream;
  }

  /** The guest of `vm`, if a console ever opened it. */
  guestOf(vm: SimVmRecord): SimGuest | undefined {
    return this.entries.get(vm.hypervisorId)?.guest;
  }

  /** Brings every guest up to date with its VM's power state. */
  sync(vms: (hypervisorId: string) => SimVmRecord | undefined): void {
    for (const [hypervisorId, entry] of this.entries) {
      const vm = vms(hypervisorId);
      if (vm) this.syncOne(vm, entry);
    }
  }

  /** The VM is gone: its consoles end with `reason`. */
  remove(vm: SimVmRecord, reason: ConsoleEndReason, message: string): void {
    this.end(vm.hypervisorId, reason, message);
  }

  removeAll(reason: ConsoleEndReason, message: string): void {
    for (const hypervisorId of [...this.entries.keys()]) this.end(hypervisorId, reason, message);
  }

  private end(hypervisorId: string, reason: ConsoleEndReason, message: string): void {
    const entry = this.entries.get(hypervisorId);
    if (!entry) return;
    this.entries.delete(hypervisorId);
    entry.guest.powerOff();
    for (const stream of [...entry.streams]) stream.end(reason, message);
  }

  private entryFor(vm: SimVmRecord): GuestEntry {
    const existing = this.entries.get(vm.hypervisorId);
    if (existing) return existing;
    const guest = new SimGuest({
      machine: () => vm,
      stepMs: this.config.actionDelayMs,
      clock: this.config.clock,
      onHalt: (kind) => this.halted(vm, kind),
      alreadyUp: vm.state !== 'off',
    });
    if (vm.state === 'paused' || vm.state === 'saved') guest.suspend();
    const entry: GuestEntry = { guest, streams: new Set(), seen: { state: vm.state, startedAt: vm.startedAt } };
    this.entries.set(vm.hypervisorId, entry);
    return entry;
  }

  private halted(vm: SimVmRecord, kind: GuestHalt): void {
    const entry = this.entries.get(vm.hypervisorId);
    if (!entry) return;
    const outcome = this.onGuestHalt(vm, kind);
    if (outcome === 'busy') {
      setTimeout(() => this.halted(vm, kind), Math.max(this.config.actionDelayMs, 50)).unref();
      return;
    }
    if (outcome === 'ignored') return;
    entry.seen = { state: vm.state, startedAt: vm.startedAt };
    if (kind === 'reboot') entry.guest.boot();
    else entry.guest.powerOff();
  }

  private syncOne(vm: SimVmRecord, entry: GuestEntry): void {
    const { seen, guest } = entry;
    if (vm.state === seen.state && vm.startedAt === seen.startedAt) return;
    const was = seen.state;
    entry.seen = { state: vm.state, startedAt: vm.startedAt };
    if (vm.state === 'off') return guest.powerOff();
    if (vm.state === 'paused' || vm.state === 'saved') return guest.suspend();
    // Running again: restored from a pause or a saved state, or else a fresh boot (a start, a reset, a restart to apply an edit).
    if (was === 'paused' || was === 'saved') return guest.resume();
    guest.boot();
  }
}
