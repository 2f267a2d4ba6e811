import { ServerMessage } from '../../../src/contracts/agent-protocol';
import { HostDriver } from '../drivers/host-driver';
import { ConsoleChannel, ConsoleLink } from './console-channel';
import { VmConsole } from './vm-console';

export type ConsoleRequest = Extract<ServerMessage, { type: 'console.open' | 'console.ack' | 'console.close' }>;

export interface ConsoleHubLink extends ConsoleLink {
  log(message: string): void;
}

/**
 * The agent's console channels on the current connection (DESIGN.md §4.4): one serial stream per VM,
 * opened with its first channel and closed with its last. Channels belong to one connection, so
 * `closeAll` ends them when it drops; the server opens them again after reconnecting.
 *
 * Requests and frames for channels it does not know are ignored: a channel that just ended may still
 * have an ack or input on the way.
 */
export class ConsoleHub {
  private readonly channels = new Map<string, { channel: ConsoleChannel; vm: VmConsole }>();
  private readonly vms = new Map<string, VmConsole>();

  constructor(
    private readonly driver: Pick<HostDriver, 'openSerial'>,
    private readonly link: ConsoleHubLink,
  ) {}

  handle(request: ConsoleRequest): void {
    switch (request.type) {
      case 'console.open':
        return this.open(request);
      case 'console.ack': {
        const entry = this.channels.get(request.channel);
        return entry?.vm.acknowledgeOutput(entry.channel, request.bytes);
      }
      case 'console.close':
        return this.close(request.channel);
    }
  }

  /** Input typed into a channel. */
  input(channelId: string, payload: Buffer): void {
    const entry = this.channels.get(channelId);
    entry?.vm.input(entry.channel, payload);
  }

  /** The connection dropped: every channel and stream goes, without a word to the server. */
  closeAll(): void {
    for (const vm of this.vms.values()) vm.close();
    this.vms.clear();
    this.channels.clear();
  }

  private open({ channel: channelId, vmId, hypervisorId }: Extract<ConsoleRequest, { type: 'console.open' }>): void {
    if (this.channels.has(channelId)) {
      this.link.send({ type: 'error', code: 'CONSOLE_CHANNEL_TAKEN', message: `console channel ${channelId} is already open` });
      return;
    }
    let vm = this.vms.get(vmId);
    const first = vm === undefined;
    if (vm === undefined) {
      vm = new VmConsole({ vmId, hypervisorId }, { ended: (ended) => this.forget(ended), log: (message) => this.link.log(message) });
      this.vms.set(vmId, vm);
    }
    const channel = new ConsoleChannel(channelId, this.link);
    this.channels.set(channelId, { channel, vm });
    vm.attach(channel);
    if (first) void vm.open(this.driver);
  }

  private close(channelId: string): void {
    const entry = this.channels.get(channelId);
    if (!entry) return;
    this.channels.delete(channelId);
    entry.vm.detach(entry.channel);
    if (entry.vm.isFinished) this.vms.delete(entry.vm.target.vmId);
  }

  private forget(vm: VmConsole): void {
    if (this.vms.get(vm.target.vmId) === vm) this.vms.delete(vm.target.vmId);
    for (const [channelId, entry] of this.channels) {
      if (entry.vm === vm) this.channels.delete(channelId);
    }
  }
}
