import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AgentConsoleMessage } from '../agent-gateway/agent-session';
import { AgentConsoleSink, AgentSessionsService } from '../agent-gateway/agent-sessions.service';
import { ConsoleBus, ConsoleBusMessage } from './console-bus';

/**
 * The agent side of console channels, on the replica that holds a host's agent socket: requests
 * from browser sessions (on any replica) go to the agent, and what the agent answers goes back to
 * the channel's topic.
 */
@Injectable()
export class ConsoleAgentRelay implements AgentConsoleSink, OnModuleInit {
  private readonly logger = new Logger(ConsoleAgentRelay.name);
  private readonly channelsByHost = new Map<string, Set<string>>();

  constructor(
    private readonly sessions: AgentSessionsService,
    private readonly bus: ConsoleBus,
  ) {}

  onModuleInit(): void {
    this.sessions.attachConsole(this);
  }

  onAgentConnected(hostId: string): void {
    this.channelsByHost.set(hostId, new Set());
    this.bus.subscribe(this.bus.hostTopic(hostId), (message) => this.fromBrowserSide(hostId, message)).catch((error: Error) => {
      this.logger.warn(`Console requests for host ${hostId} cannot be received: ${error.message}`);
    });
  }

  onAgentMessage(hostId: string, message: AgentConsoleMessage): void {
    const channels = this.channelsByHost.get(hostId);
    if (!channels?.has(message.channel)) return;
    const topic = this.bus.channelTopic(message.channel);
    switch (message.type) {
      case 'console.opened':
        return void this.publish(topic, { op: 'opened', channel: message.channel });
      case 'console.ack':
        return void this.publish(topic, { op: 'ack', channel: message.channel, bytes: message.bytes });
      case 'console.closed':
        channels.delete(message.channel);
        return void this.publish(topic, { op: 'closed', channel: message.channel, reason: message.reason, message: message.message });
    }
  }

  onAgentData(hostId: string, channel: string, payload: Buffer): void {
    if (!this.channelsByHost.get(hostId)?.has(channel)) return;
    this.bus.sendData(this.bus.channelTopic(channel), channel, payload).catch(() => undefined);
  }

  onAgentGone(hostId: string): void {
    const channels = this.channelsByHost.get(hostId) ?? new Set<string>();
    this.channelsByHost.delete(hostId);
    void this.bus.unsubscribe(this.bus.hostTopic(hostId));
    for (const channel of channels) {
      void this.publish(this.bus.channelTopic(channel), { op: 'closed', channel, reason: 'agent-disconnected', message: "The host's agent disconnected" });
    }
  }

  private fromBrowserSide(hostId: string, message: ConsoleBusMessage): void {
    const session = this.sessions.get(hostId);
    const channels = this.channelsByHost.get(hostId);
    if (message.kind === 'data') {
      if (session && channels?.has(message.channel)) session.sendConsoleData(message.channel, message.payload);
      return;
    }
    const { control } = message;
    if (control.op === 'open') {
      if (!session || !channels) {
        void this.publish(this.bus.channelTopic(control.channel), { op: 'closed', channel: control.channel, reason: 'agent-disconnected', message: "The host's agent is not connected" });
        return;
      }
      channels.add(control.channel);
      session.send({ type: 'console.open', channel: control.channel, vmId: control.vmId, hypervisorId: control.hypervisorId });
    } else if (control.op === 'ack' && session && channels?.has(control.channel)) {
      session.send({ type: 'console.ack', channel: control.channel, bytes: control.bytes });
    } else if (control.op === 'close' && channels?.delete(control.channel)) {
      session?.send({ type: 'console.close', channel: control.channel });
    }
  }

  private async publish(topic: string, control: Parameters<ConsoleBus['sendControl']>[1]): Promise<void> {
    await this.bus.sendControl(topic, control).catch((error: Error) => this.logger.warn(`Console message not relayed: ${error.message}`));
  }
}
