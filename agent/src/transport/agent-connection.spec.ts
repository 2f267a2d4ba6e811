import { once } from 'node:events';
import { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { AgentCloseCode, AgentMessage, ServerMessage } from '../../../src/contracts/agent-protocol';
import { decodeConsoleFrame, encodeConsoleFrame } from '../../../src/contracts/console-frame';
import { AgentFatalError } from '../agent-fatal-error';
import { AgentConnection, ConnectionHandlers } from './agent-connection';

/** Against a real WebSocket server playing the control plane. */
describe(AgentConnection.name, () => {
  let server: WebSocketServer;
  let url: string;

  beforeEach(async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(server, 'listening');
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws/agent`;
  });
  afterEach(async () => {
    for (const client of server.clients) client.terminate();
    await new Promise((resolve) => server.close(resolve));
  });

  function connection(handlers: Partial<ConnectionHandlers> = {}) {
    const received: string[] = [];
    const subject = new AgentConnection(
      url,
      'ohxh_secret',
      {
        hello: async () => ({ type: 'heartbeat' }) as AgentMessage,
        onWelcome: () => received.push('welcome'),
        onJob: (run) => received.push(`job ${run.jobId}`),
        onConsole: (request) => received.push(`${request.type} ${request.channel}`),
        onConsoleInput: (channel, payload) => received.push(`input ${channel} ${payload.toString()}`),
        onDisconnected: () => received.push('disconnected'),
        ...handlers,
      },
      { reconnectBaseMs: 10, reconnectMaxMs: 20, log: () => undefined },
    );
    return { subject, received };
  }

  const nextClient = async () => {
    const [socket, request] = (await once(server, 'connection')) as [WebSocket, { headers: Record<string, string> }];
    const messages: unknown[] = [];
    const frames: Buffer[] = [];
    socket.on('message', (data, isBinary) => (isBinary ? frames.push(data as Buffer) : messages.push(JSON.parse(data.toString()))));
    return { socket, request, messages, frames };
  };
  const send = (socket: WebSocket, message: ServerMessage | string) => socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  };

  it('presents its credential, opens with hello, dispatches welcome and jobs, and answers malformed frames', async () => {
    const controller = new AbortController();
    const { subject, received } = connection();
    const running = subject.run(controller.signal);
    const client = await nextClient();
    expect(client.request.headers.authorization).toBe('Bearer ohxh_secret');
    await until(() => client.messages.length === 1);
    expect(client.messages[0]).toEqual({ type: 'heartbeat' });

    send(client.socket, { type: 'welcome', hostId: 'h1', heartbeatIntervalMs: 1000 });
    send(client.socket, { type: 'job.run', jobId: 'j1', action: 'host.refresh', params: {}, timeoutMs: 1000 });
    send(client.socket, '{"type":"job.run"}');
    await until(() => client.messages.length === 2 && received.length === 2);
    expect(received).toEqual(['welcome', 'job j1']);
    expect(client.messages[1]).toEqual({ type: 'error', code: 'INVALID_MESSAGE', message: expect.stringContaining('invalid message') });

    controller.abort();
    await running;
  });

  it('routes console requests and console frames, sends console frames, and answers a binary frame that is not one', async () => {
    const controller = new AbortController();
    const { subject, received } = connection();
    const running = subject.run(controller.signal);
    const client = await nextClient();
    await until(() => client.messages.length === 1);

    send(client.socket, { type: 'console.open', channel: 'chan-0001', vmId: 'vm-1', hypervisorId: null });
    client.socket.send(encodeConsoleFrame('chan-0001', Buffer.from('ls\n')));
    send(client.socket, { type: 'console.ack', channel: 'chan-0001', bytes: 10 });
    send(client.socket, { type: 'console.close', channel: 'chan-0001' });
    client.socket.send(Buffer.from([0, 1, 2]));
    await until(() => received.length === 4 && client.messages.length === 2);
    expect(received).toEqual(['console.open chan-0001', 'input chan-0001 ls\n', 'console.ack chan-0001', 'console.close chan-0001']);
    expect(client.messages[1]).toEqual({ type: 'error', code: 'INVALID_MESSAGE', message: expect.stringContaining('console frame') });

    expect(subject.sendFrame(encodeConsoleFrame('chan-0001', Buffer.from('login: ')))).toBe(true);
    await until(() => client.frames.length === 1);
    expect(decodeConsoleFrame(client.frames[0])).toEqual({ channel: 'chan-0001', payload: Buffer.from('login: ') });

    controller.abort();
    await running;
    expect(subject.sendFrame(encodeConsoleFrame('chan-0001', Buffer.from('x')))).toBe(false);
  });

  it('reconnects after an ordinary close', async () => {
    const controller = new AbortController();
    const { subject, received } = connection();
    const running = subject.run(controller.signal);
    (await nextClient()).socket.close(1001, 'server restarting');
    await nextClient();
    expect(received).toContain('disconnected');
    controller.abort();
    await running;
  });

  it.each([
    [AgentCloseCode.ProtocolMismatch, /another agent protocol version/],
    [AgentCloseCode.Replaced, /another agent connected with this host credential/],
    [AgentCloseCode.Revoked, /credential was revoked/],
  ])('stops for good on close code %d', async (code, message) => {
    const { subject } = connection();
    const running = subject.run(new AbortController().signal);
    (await nextClient()).socket.close(code, 'bye');
    await expect(running).rejects.toThrow(AgentFatalError);
    await expect(running).rejects.toThrow(message);
  });

  it('stops for good when the server refuses the credential at the upgrade', async () => {
    server.close();
    server = new WebSocketServer({ port: 0, host: '127.0.0.1', verifyClient: (_info, done) => done(false, 401) });
    await once(server, 'listening');
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws/agent`;
    const { subject } = connection();
    await expect(subject.run(new AbortController().signal)).rejects.toThrow(/refused this host's credential \(HTTP 401\)/);
  });
});
