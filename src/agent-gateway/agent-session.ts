import { Logger } from '@nestjs/common';
import { WebSocket } from 'ws';
import { AGENT_PROTOCOL_VERSION, AgentCloseCode, AgentMessage, AgentMessageSchema, JobError, parseFrame, ServerMessage } from '../contracts/agent-protocol';
import { decodeConsoleFrame, encodeConsoleFrame } from '../contracts/console-frame';

type Hello = Extract<AgentMessage, { type: 'hello' }>;
type Heartbeat = Extract<AgentMessage, { type: 'heartbeat' }>;
type Inventory = Extract<AgentMessage, { type: 'inventory' }>['inventory'];
export type AgentConsoleMessage = Extract<AgentMessage, { type: 'console.opened' | 'console.ack' | 'console.closed' }>;
export type JobOutcome = { ok: true; output: unknown } | { ok: false; error: JobError };

/** What a session reports to its owner; keeps this class free of Nest services. */
export interface AgentSessionHandlers {
  onHello(session: AgentSession, hello: Hello): Promise<void>;
  onHeartbeat(session: AgentSession, heartbeat: Heartbeat): Promise<void>;
  onInventory(session: AgentSession, inventory: Inventory): Promise<void>;
  onConsoleMessage(session: AgentSession, message: AgentConsoleMessage): void;
  /** Serial output of a console channel. */
  onConsoleData(session: AgentSession, channel: string, payload: Buffer): void;
  onClosed(session: AgentSession): void;
}

interface PendingJob {
  promise: Promise<JobOutcome>;
  settle(outcome: JobOutcome): void;
  onProgress(percent: number, message?: string): void;
}

const HELLO_TIMEOUT_MS = 10_000;

/** One agent WebSocket: validates every frame, runs the hello handshake, and tracks the jobs sent over it. */
export class AgentSession {
  private readonly logger = new Logger(AgentSession.name);
  private readonly pending = new Map<string, PendingJob>();
  private lastSeen = Date.now();
  private readonly watchdog: NodeJS.Timeout;
  /** Set once the hello was accepted and recorded. */
  sessionId: string | null = null;

  constructor(
    readonly hostId: string,
    private readonly socket: WebSocket,
    private readonly handlers: AgentSessionHandlers,
    private readonly silenceLimitMs: number,
  ) {
    socket.on('message', (data, isBinary) => (isBinary ? this.receiveBinary(toBuffer(data)) : void this.receive(data.toString())));
    socket.on('close', () => this.closed());
    socket.on('error', () => socket.terminate());
    const started = Date.now();
    this.watchdog = setInterval(() => {
      if (!this.sessionId && Date.now() - started > HELLO_TIMEOUT_MS) this.close(1008, 'no hello received');
      else if (Date.now() - this.lastSeen > this.silenceLimitMs) this.close(1001, 'agent went silent');
    }, Math.min(1_000, this.silenceLimitMs / 2));
    this.watchdog.unref();
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  send(message: ServerMessage): void {
    if (this.isOpen) this.socket.send(JSON.stringify(message));
  }

  /** Input of a console channel, as a binary frame. */
  sendConsoleData(channel: string, payload: Buffer): void {
    if (this.isOpen) this.socket.send(encodeConsoleFrame(channel, payload));
  }

  close(code: number, reason: string): void {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.close(code, reason);
    else this.socket.terminate();
  }

  /**
   * Sends `job.run` and resolves with the agent's result. A job id already in flight on this session
   * joins the same outcome: BullMQ may hand out a job again, and the agent must not see it twice.
   */
  runJob(jobId: string, action: string, params: unknown, timeoutMs: number, onProgress: PendingJob['onProgress']): Promise<JobOutcome> {
    const existing = this.pending.get(jobId);
    if (existing) return existing.promise;
    let settle!: (outcome: JobOutcome) => void;
    const promise = new Promise<JobOutcome>((resolve) => (settle = resolve));
    // The agent enforces timeoutMs itself; this margin only covers an agent that never answers.
    const timer = setTimeout(() => entry.settle(failure('TIMEOUT', `no result from the agent within ${timeoutMs} ms`, true)), timeoutMs + 5_000);
    const entry: PendingJob = {
      promise,
      onProgress,
      settle: (outcome) => {
        clearTimeout(timer);
        this.pending.delete(jobId);
        settle(outcome);
      },
    };
    this.pending.set(jobId, entry);
    this.send({ type: 'job.run', jobId, action, params, timeoutMs });
    return promise;
  }

  private receiveBinary(frame: Buffer): void {
    this.lastSeen = Date.now();
    const decoded = decodeConsoleFrame(frame);
    if (!decoded) return this.reject('a binary frame must be a console frame (channel id length, channel id, bytes)');
    if (!this.sessionId) return this.reject('the first message must be hello');
    this.handlers.onConsoleData(this, decoded.channel, decoded.payload);
  }

  private async receive(raw: string): Promise<void> {
    this.lastSeen = Date.now();
    const parsed = parseFrame(AgentMessageSchema, raw);
    if (!parsed.ok) return this.reject(parsed.error);
    const message = parsed.message;
    try {
      if (message.type === 'hello') return await this.acceptHello(message);
      if (!this.sessionId) return this.reject('the first message must be hello');
      switch (message.type) {
        case 'heartbeat':
          return await this.handlers.onHeartbeat(this, message);
        case 'inventory':
          return await this.handlers.onInventory(this, message.inventory);
        case 'job.progress':
          return this.pending.get(message.jobId)?.onProgress(message.percent, message.message);
        case 'job.result':
          return this.pending.get(message.jobId)?.settle(message.ok ? { ok: true, output: message.output } : { ok: false, error: message.error });
        case 'console.opened':
        case 'console.ack':
        case 'console.closed':
          return this.handlers.onConsoleMessage(this, message);
        case 'error':
          this.logger.warn(`Agent of host ${this.hostId} reported ${message.code}: ${message.message}`);
          return;
      }
    } catch (error) {
      this.logger.error({ err: error, hostId: this.hostId }, `Failed to handle ${message.type} from an agent`);
    }
  }

  private async acceptHello(hello: Hello): Promise<void> {
    if (hello.protocolVersion !== AGENT_PROTOCOL_VERSION) {
      this.send({
        type: 'error',
        code: 'PROTOCOL_MISMATCH',
        message: `This server speaks agent protocol ${AGENT_PROTOCOL_VERSION}; the agent speaks ${hello.protocolVersion}. Install the agent that matches the server version.`,
      });
      return this.close(AgentCloseCode.ProtocolMismatch, 'protocol version mismatch');
    }
    if (this.sessionId) return this.reject('hello was already received');
    await this.handlers.onHello(this, hello);
  }

  private reject(reason: string): void {
    this.send({ type: 'error', code: 'INVALID_MESSAGE', message: reason });
  }

  private closed(): void {
    clearInterval(this.watchdog);
    for (const job of [...this.pending.values()]) job.settle(failure('AGENT_DISCONNECTED', 'the agent disconnected before answering', true));
    this.handlers.onClosed(this);
  }
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.isBuffer(data) ? data : Buffer.from(data);
}

function failure(code: JobError['code'], message: string, retryable: boolean): JobOutcome {
  return { ok: false, error: { code, message, retryable } };
}
