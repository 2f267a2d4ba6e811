import { RawData, WebSocket } from 'ws';
import { AgentCloseCode, AgentMessage, parseFrame, ServerMessage, ServerMessageSchema } from '../../../src/contracts/agent-protocol';
import { decodeConsoleFrame } from '../../../src/contracts/console-frame';
import { AgentFatalError } from '../agent-fatal-error';
import { reconnectDelay } from './backoff';

type Welcome = Extract<ServerMessage, { type: 'welcome' }>;
type JobRun = Extract<ServerMessage, { type: 'job.run' }>;
type ConsoleRequest = Extract<ServerMessage, { type: 'console.open' | 'console.ack' | 'console.close' }>;

export interface ConnectionHandlers {
  /** The hello to open each connection with (facts are read fresh every time). */
  hello(): Promise<AgentMessage>;
  onWelcome(welcome: Welcome): void;
  onJob(run: JobRun): void;
  onConsole(request: ConsoleRequest): void;
  /** Input of a console channel (a binary frame). */
  onConsoleInput(channel: string, payload: Buffer): void;
  onDisconnected(): void;
}

export interface ConnectionOptions {
  reconnectBaseMs: number;
  reconnectMaxMs: number;
  log: (message: string) => void;
}

const FATAL_CLOSES: Record<number, string> = {
  [AgentCloseCode.ProtocolMismatch]: 'the server speaks another agent protocol version: install the agent that matches the server',
  [AgentCloseCode.Replaced]: 'another agent connected with this host credential and replaced this one',
  [AgentCloseCode.Revoked]: "this host's credential was revoked (host removed or enrolled again): enroll the host again",
};

/** One WebSocket to `/ws/agent` at a time, reconnected with capped, jittered backoff until stopped. */
export class AgentConnection {
  private socket: WebSocket | null = null;

  constructor(
    private readonly url: string,
    private readonly credential: string,
    private readonly handlers: ConnectionHandlers,
    private readonly options: ConnectionOptions,
  ) {}

  send(message: AgentMessage): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  /** A console frame (see encodeConsoleFrame). */
  sendFrame(frame: Buffer): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(frame, { binary: true });
    return true;
  }

  /** Resolves when `signal` aborts; rejects with AgentFatalError when retrying cannot help. */
  async run(signal: AbortSignal): Promise<void> {
    let attempt = 0;
    while (!signal.aborted) {
      const { welcomed, fatal } = await this.connectOnce(signal);
      if (fatal) throw new AgentFatalError(fatal);
      if (signal.aborted) return;
      attempt = welcomed ? 0 : attempt + 1;
      const delay = reconnectDelay(attempt, this.options.reconnectBaseMs, this.options.reconnectMaxMs);
      this.options.log(`Disconnected; reconnecting in ${delay} ms`);
      await sleep(delay, signal);
    }
  }

  private connectOnce(signal: AbortSignal): Promise<{ welcomed: boolean; fatal?: string }> {
    return new Promise((resolve) => {
      let welcomed = false;
      let fatal: string | undefined;
      const socket = new WebSocket(this.url, { headers: { Authorization: `Bearer ${this.credential}` }, handshakeTimeout: 15_000 });
      this.socket = socket;
      const onAbort = () => socket.close(1001, 'agent stopping');
      signal.addEventListener('abort', onAbort, { once: true });

      socket.on('unexpected-response', (_request, response) => {
        if (response.statusCode === 401 || response.statusCode === 403) {
          fatal = `the server refused this host's credential (HTTP ${response.statusCode}): the host was removed or re-enrolled; enroll it again`;
        } else {
          this.options.log(`Connection refused with HTTP ${response.statusCode}`);
        }
        socket.terminate();
      });
      socket.on('open', () => {
        this.options.log(`Connected to ${this.url}`);
        this.handlers.hello().then(
          (hello) => this.send(hello),
          (error: Error) => {
            this.options.log(`Cannot read host facts for hello: ${error.message}`);
            socket.close(1011, 'cannot build hello');
          },
        );
      });
      socket.on('message', (data, isBinary) => {
        if (isBinary) return this.receiveFrame(data);
        const parsed = parseFrame(ServerMessageSchema, data.toString());
        if (!parsed.ok) {
          this.send({ type: 'error', code: 'INVALID_MESSAGE', message: parsed.error });
          return;
        }
        const message = parsed.message;
        switch (message.type) {
          case 'welcome':
            welcomed = true;
            return this.handlers.onWelcome(message);
          case 'job.run':
            return this.handlers.onJob(message);
          case 'console.open':
          case 'console.ack':
          case 'console.close':
            return this.handlers.onConsole(message);
          case 'error':
            return this.options.log(`Server error ${message.code}: ${message.message}`);
        }
      });
      socket.on('error', (error) => this.options.log(`Connection error: ${error.message}`));
      socket.on('close', (code, reason) => {
        signal.removeEventListener('abort', onAbort);
        this.socket = null;
        this.handlers.onDisconnected();
        const why = FATAL_CLOSES[code];
        if (why) fatal = `${why} (${reason.toString() || code})`;
        resolve({ welcomed, fatal });
      });
    });
  }

  private receiveFrame(data: RawData): void {
    const frame = decodeConsoleFrame(toBuffer(data));
    if (!frame) {
      this.send({ type: 'error', code: 'INVALID_MESSAGE', message: 'a binary frame must be a console frame (channel id length, channel id, bytes)' });
      return;
    }
    this.handlers.onConsoleInput(frame.channel, frame.payload);
  }
}

function toBuffer(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.isBuffer(data) ? data : Buffer.from(data);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
