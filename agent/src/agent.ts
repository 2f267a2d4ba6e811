import { join } from 'node:path';
import { AGENT_PROTOCOL_VERSION, AgentMessage } from '../../src/contracts/agent-protocol';
import { AgentConfig } from './config/agent-config';
import { ConsoleHub } from './console/console-hub';
import { HostDriver } from './drivers/host-driver';
import { CredentialStore, StoredCredential } from './enrollment/credential-store';
import { enroll } from './enrollment/enroll';
import { AgentFatalError } from './agent-fatal-error';
import { JobResultStore } from './jobs/job-result-store';
import { JobRunner } from './jobs/job-runner';
import { AgentConnection } from './transport/agent-connection';
import { AGENT_VERSION } from './version';

/** Inventory is also sent on a timer, so changes made outside OpenHVX (Hyper-V Manager) show up. */
const INVENTORY_INTERVAL_MS = 60_000;
/** Several jobs finishing together produce one inventory report. */
const INVENTORY_DEBOUNCE_MS = 250;

/**
 * The agent's lifecycle: credential (enrolling once if needed), driver, connection, jobs,
 * heartbeats and inventory. Started components are stopped in reverse order.
 */
export class Agent {
  private connection?: AgentConnection;
  private heartbeat?: NodeJS.Timeout;
  private inventoryTimer?: NodeJS.Timeout;
  private inventoryDebounce?: NodeJS.Timeout;

  constructor(
    private readonly config: AgentConfig,
    private readonly driver: HostDriver,
    private readonly log: (message: string) => void,
  ) {}

  async run(signal: AbortSignal): Promise<void> {
    try {
      await this.driver.start();
    } catch (error) {
      throw new AgentFatalError(`The ${this.driver.kind} driver could not start: ${(error as Error).message}`);
    }
    try {
      const { credential, hostId } = await this.obtainCredential();
      this.log(`Host ${hostId} (${this.driver.kind} driver), server ${this.config.serverUrl}`);
      const runner = new JobRunner(
        this.driver,
        new JobResultStore(join(this.config.dataDir, 'job-results.json')),
        this.config.concurrency,
        (message) => this.send(message),
        () => this.scheduleInventory(),
      );
      const consoles = new ConsoleHub(this.driver, {
        send: (message) => this.send(message),
        sendFrame: (frame) => this.sendFrame(frame),
        log: this.log,
      });
      this.driver.onInventoryChange?.(() => this.scheduleInventory());
      this.connection = new AgentConnection(agentSocketUrl(this.config.serverUrl), credential, {
        hello: () => this.hello(),
        onWelcome: ({ heartbeatIntervalMs }) => this.startReporting(heartbeatIntervalMs),
        onJob: (run) => runner.handle(run),
        onConsole: (request) => consoles.handle(request),
        onConsoleInput: (channel, payload) => consoles.input(channel, payload),
        onDisconnected: () => {
          this.stopReporting();
          consoles.closeAll();
        },
      }, { reconnectBaseMs: this.config.reconnectBaseMs, reconnectMaxMs: this.config.reconnectMaxMs, log: this.log });
      try {
        await this.connection.run(signal);
      } finally {
        runner.stop();
        this.stopReporting();
      }
    } finally {
      await this.driver.stop();
    }
  }

  private async obtainCredential(): Promise<StoredCredential> {
    const store = new CredentialStore(this.config.dataDir);
    const saved = store.load();
    if (saved && (!this.config.enrollToken || saved.serverUrl === this.config.serverUrl)) return saved;
    if (!this.config.enrollToken) {
      throw new AgentFatalError(`No host credential in ${store.file}: start the agent once with --enroll-token <token> from the host's page`);
    }
    const { hostId, credential } = await enroll(this.config.serverUrl, this.config.enrollToken, await this.driver.facts());
    const stored = { serverUrl: this.config.serverUrl, hostId, credential };
    store.save(stored);
    this.log(`Enrolled as host ${hostId}; credential saved in ${store.file}`);
    return stored;
  }

  private async hello(): Promise<AgentMessage> {
    return {
      type: 'hello',
      protocolVersion: AGENT_PROTOCOL_VERSION,
      agentVersion: AGENT_VERSION,
      driver: this.driver.kind,
      capabilities: ['jobs', 'inventory', 'console'],
      facts: await this.driver.facts(),
    };
  }

  /** Drops everything while the (simulated) host is silent, as a hung host would. */
  private send(message: AgentMessage): void {
    if (this.driver.isSilent?.()) return;
    this.connection?.send(message);
  }

  private sendFrame(frame: Buffer): void {
    if (this.driver.isSilent?.()) return;
    this.connection?.sendFrame(frame);
  }

  private startReporting(heartbeatIntervalMs: number): void {
    this.stopReporting();
    this.heartbeat = setInterval(() => {
      this.driver.facts().then(
        (facts) => this.send({ type: 'heartbeat', facts }),
        (error: Error) => this.log(`Cannot read host facts: ${error.message}`),
      );
    }, heartbeatIntervalMs);
    this.inventoryTimer = setInterval(() => void this.sendInventory(), INVENTORY_INTERVAL_MS);
    void this.sendInventory();
  }

  private stopReporting(): void {
    clearInterval(this.heartbeat);
    clearInterval(this.inventoryTimer);
    clearTimeout(this.inventoryDebounce);
  }

  private scheduleInventory(): void {
    clearTimeout(this.inventoryDebounce);
    this.inventoryDebounce = setTimeout(() => void this.sendInventory(), INVENTORY_DEBOUNCE_MS);
  }

  private async sendInventory(): Promise<void> {
    try {
      this.send({ type: 'inventory', inventory: await this.driver.inventory() });
    } catch (error) {
      this.log(`Cannot read the inventory: ${(error as Error).message}`);
    }
  }
}

export function agentSocketUrl(serverUrl: string): string {
  const url = new URL('/ws/agent', serverUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}
