import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import { AuditService } from '../audit/audit.service';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CONSOLE_END_REASONS, ConsoleEndReason } from '../contracts/agent-protocol';
import type { ConsoleSessionAuditDetails } from '../contracts/audit';
import { CONSOLE_CLOSE_REASONS, ConsoleCloseReason } from '../contracts/console';
import { VM_REMOVED, VmRemovedEvent } from '../vms/vm-events';
import { BrowserConsoleSession } from './browser-console-session';
import { ConsoleBus, ConsoleBusMessage, ConsoleControl } from './console-bus';
import { ConsoleGrant } from './console-tickets.service';

/** Where a redeemed ticket's console runs: the VM's host as known at redemption. */
export interface ConsoleTarget {
  hostId: string;
  hypervisorId: string | null;
}

const AGENT_REASONS: Readonly<Record<ConsoleEndReason, ConsoleCloseReason>> = {
  'vm-not-found': 'vm-not-found',
  'vm-deleted': 'vm-deleted',
  'agent-stopping': 'agent-disconnected',
  error: 'error',
};

/**
 * The browser side of console sessions on this replica: starts them once their ticket is redeemed,
 * relays them to the agent side through the bus, enforces one writer per VM across replicas, and
 * writes each finished session to the audit trail.
 */
@Injectable()
export class ConsoleSessionsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ConsoleSessionsService.name);
  private readonly sessions = new Map<string, { session: BrowserConsoleSession; hostId: string }>();

  constructor(
    private readonly bus: ConsoleBus,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.bus.subscribe(this.bus.everyReplicaTopic, (message) => this.fromEveryReplicaTopic(message));
  }

  onApplicationShutdown(): void {
    for (const { session } of [...this.sessions.values()]) session.end('server-shutdown', 'The server is restarting; reconnect in a moment');
  }

  async start(socket: WebSocket, grant: ConsoleGrant, target: ConsoleTarget, ip: string | null): Promise<void> {
    const channel = randomBytes(18).toString('base64url');
    const session = new BrowserConsoleSession(channel, grant, ip, socket, {
      toAgent: (control) => void this.publish(this.bus.hostTopic(target.hostId), control),
      toAgentData: (id, payload) => void this.bus.sendData(this.bus.hostTopic(target.hostId), id, payload).catch(() => undefined),
      ended: (ended, reason) => void this.ended(ended, target.hostId, reason),
    }, this.config.console.idleTimeoutSeconds * 1000);
    this.sessions.set(channel, { session, hostId: target.hostId });
    session.start();
    try {
      await this.bus.subscribe(this.bus.channelTopic(channel), (message) => this.fromAgentSide(session, message));
      if (!grant.readOnly) await this.bus.sendControl(this.bus.everyReplicaTopic, { op: 'taken-over', vmId: grant.vm.id, channel });
      const listeners = await this.bus.sendControl(this.bus.hostTopic(target.hostId), { op: 'open', channel, vmId: grant.vm.id, hypervisorId: target.hypervisorId });
      if (listeners === 0) session.end('host-offline', "The VM's host is not connected");
    } catch (error) {
      this.logger.warn(`Console session for VM ${grant.vm.id} could not start: ${(error as Error).message}`);
      session.end('error', 'The console could not be opened; try again');
    }
  }

  /** A deleted VM's consoles close on every replica. */
  @OnEvent(VM_REMOVED, { promisify: true })
  async onVmRemoved({ vmId }: VmRemovedEvent): Promise<void> {
    await this.publish(this.bus.everyReplicaTopic, { op: 'vm-gone', vmId });
  }

  private fromAgentSide(session: BrowserConsoleSession, message: ConsoleBusMessage): void {
    if (message.kind === 'data') return session.output(message.payload);
    const { control } = message;
    if (control.op === 'opened') session.opened();
    else if (control.op === 'ack') session.inputAcknowledged(control.bytes);
    else if (control.op === 'closed') session.end(closeReasonOf(control.reason), control.message);
  }

  private fromEveryReplicaTopic(message: ConsoleBusMessage): void {
    if (message.kind !== 'control') return;
    const { control } = message;
    for (const { session } of [...this.sessions.values()]) {
      if (control.op === 'taken-over' && session.vmId === control.vmId && session.channel !== control.channel && !session.grant.readOnly) {
        session.end('taken-over', 'Another console session of this VM took over');
      } else if (control.op === 'vm-gone' && session.vmId === control.vmId) {
        session.end('vm-deleted', 'The VM was deleted');
      }
    }
  }

  private async ended(session: BrowserConsoleSession, hostId: string, reason: ConsoleCloseReason | 'client-closed'): Promise<void> {
    this.sessions.delete(session.channel);
    await this.bus.unsubscribe(this.bus.channelTopic(session.channel));
    await this.publish(this.bus.hostTopic(hostId), { op: 'close', channel: session.channel });
    const endedAt = new Date();
    await this.audit
      .record({
        action: 'console.session',
        actor: session.grant.principal,
        tenantId: session.grant.tenantId,
        target: { type: 'vm', id: session.grant.vm.id, name: session.grant.vm.name },
        ip: session.ip,
        at: session.startedAt,
        details: {
          readOnly: session.grant.readOnly,
          startedAt: session.startedAt.toISOString(),
          endedAt: endedAt.toISOString(),
          durationMs: endedAt.getTime() - session.startedAt.getTime(),
          bytesFromBrowser: session.bytesFromBrowser,
          bytesToBrowser: session.bytesToBrowser,
          endReason: reason,
        } satisfies ConsoleSessionAuditDetails,
      })
      .catch((error: Error) => this.logger.error(`Console session of VM ${session.vmId} not audited: ${error.message}`));
  }

  private async publish(topic: string, control: ConsoleControl): Promise<void> {
    await this.bus.sendControl(topic, control).catch((error: Error) => this.logger.warn(`Console message not relayed: ${error.message}`));
  }
}

function closeReasonOf(reason: string): ConsoleCloseReason {
  if ((CONSOLE_END_REASONS as readonly string[]).includes(reason)) return AGENT_REASONS[reason as ConsoleEndReason];
  return (CONSOLE_CLOSE_REASONS as readonly string[]).includes(reason) ? (reason as ConsoleCloseReason) : 'error';
}
