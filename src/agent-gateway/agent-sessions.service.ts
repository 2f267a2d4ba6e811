import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import Redis from 'ioredis';
import { WebSocket } from 'ws';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AgentCloseCode } from '../contracts/agent-protocol';
import { HOST_CREDENTIAL_REVOKED, HostCredentialRevokedEvent } from '../hosts/host-events';
import { HostsService } from '../hosts/hosts.service';
import { REDIS } from '../redis/redis.module';
import { AgentConsoleMessage, AgentSession, AgentSessionHandlers } from './agent-session';
import { HostWorkersService } from './host-workers.service';

/** Broadcast between replicas: a host got a new session (older ones elsewhere must go), or its credential was revoked. */
interface SessionNotice {
  hostId: string;
  sessionId: string | null;
}

/** Where agents' console traffic goes: the console module registers itself at start-up. */
export interface AgentConsoleSink {
  onAgentConnected(hostId: string): void;
  onAgentMessage(hostId: string, message: AgentConsoleMessage): void;
  onAgentData(hostId: string, channel: string, payload: Buffer): void;
  /** The host's session on this replica ended: its console channels are gone with it. */
  onAgentGone(hostId: string): void;
}

/**
 * The agent sessions held by this replica. One session per host across all replicas: a newer
 * connection replaces an older one wherever it lives, announced over Redis pub/sub.
 */
@Injectable()
export class AgentSessionsService implements AgentSessionHandlers, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(AgentSessionsService.name);
  private readonly sessions = new Map<string, AgentSession>();
  private readonly subscriber: Redis;
  private readonly channel: string;
  private consoleSink?: AgentConsoleSink;

  constructor(
    private readonly hosts: HostsService,
    private readonly workers: HostWorkersService,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.subscriber = redis.duplicate({ enableOfflineQueue: true });
    this.subscriber.on('error', () => undefined);
    this.channel = `${config.redis.keyPrefix}agent-sessions`;
  }

  async onModuleInit(): Promise<void> {
    this.subscriber.on('message', (_channel, raw: string) => this.onNotice(JSON.parse(raw) as SessionNotice));
    await this.subscriber.subscribe(this.channel);
  }

  async onApplicationShutdown(): Promise<void> {
    for (const session of this.sessions.values()) session.close(AgentCloseCode.ServerShutdown, 'server shutting down');
    this.subscriber.disconnect();
  }

  open(hostId: string, socket: WebSocket): void {
    // Silence beyond the offline threshold means a hung agent: drop it so it shows offline and reconnects.
    new AgentSession(hostId, socket, this, this.config.hosts.offlineAfterSeconds * 1000);
  }

  attachConsole(sink: AgentConsoleSink): void {
    this.consoleSink = sink;
  }

  /** The session of a host on this replica, if its agent is connected here. */
  get(hostId: string): AgentSession | undefined {
    return this.sessions.get(hostId);
  }

  async onHello(session: AgentSession, hello: Parameters<AgentSessionHandlers['onHello']>[1]): Promise<void> {
    session.sessionId = await this.hosts.recordConnected(session.hostId, hello);
    this.sessions.get(session.hostId)?.close(AgentCloseCode.Replaced, 'replaced by a newer connection');
    this.sessions.set(session.hostId, session);
    await this.publish({ hostId: session.hostId, sessionId: session.sessionId });
    session.send({ type: 'welcome', hostId: session.hostId, heartbeatIntervalMs: this.config.hosts.heartbeatIntervalSeconds * 1000 });
    await this.workers.start(session);
    this.consoleSink?.onAgentConnected(session.hostId);
    this.logger.log(`Agent of host ${session.hostId} connected (${hello.driver}, agent ${hello.agentVersion})`);
  }

  async onHeartbeat(session: AgentSession, heartbeat: Parameters<AgentSessionHandlers['onHeartbeat']>[1]): Promise<void> {
    await this.hosts.recordHeartbeat(session.hostId, session.sessionId!, heartbeat.facts);
  }

  async onInventory(session: AgentSession, inventory: Parameters<AgentSessionHandlers['onInventory']>[1]): Promise<void> {
    await this.hosts.recordInventory(session.hostId, inventory);
  }

  onConsoleMessage(session: AgentSession, message: AgentConsoleMessage): void {
    if (this.sessions.get(session.hostId) === session) this.consoleSink?.onAgentMessage(session.hostId, message);
  }

  onConsoleData(session: AgentSession, channel: string, payload: Buffer): void {
    if (this.sessions.get(session.hostId) === session) this.consoleSink?.onAgentData(session.hostId, channel, payload);
  }

  onClosed(session: AgentSession): void {
    if (this.sessions.get(session.hostId) !== session) return;
    this.sessions.delete(session.hostId);
    this.consoleSink?.onAgentGone(session.hostId);
    void this.workers.stop(session.hostId, session);
    if (session.sessionId) {
      this.hosts.recordDisconnected(session.hostId, session.sessionId).catch((error: Error) => this.logger.warn(error.message));
    }
  }

  @OnEvent(HOST_CREDENTIAL_REVOKED, { promisify: true })
  async onCredentialRevoked({ hostId }: HostCredentialRevokedEvent): Promise<void> {
    await this.publish({ hostId, sessionId: null });
  }

  private onNotice({ hostId, sessionId }: SessionNotice): void {
    const session = this.sessions.get(hostId);
    if (!session || session.sessionId === sessionId) return;
    if (sessionId === null) session.close(AgentCloseCode.Revoked, 'credential revoked');
    else session.close(AgentCloseCode.Replaced, 'replaced by a newer connection');
  }

  private async publish(notice: SessionNotice): Promise<void> {
    await this.redis.publish(this.channel, JSON.stringify(notice));
  }
}
