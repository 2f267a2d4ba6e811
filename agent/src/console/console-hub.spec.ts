import { AgentMessage, CONSOLE_WINDOW_BYTES, HostFacts, Inventory } from '../../../src/contracts/agent-protocol';
import { decodeConsoleFrame } from '../../../src/contracts/console-frame';
import { DriverError, HostDriver, SerialHandlers, SerialStream, SerialTarget } from '../drivers/host-driver';
import { ConsoleHub, ConsoleRequest } from './console-hub';

const KIB = 1024;

/** A VM's serial port as the driver edge: output when the test says, and nothing while paused, as drivers promise. */
class FakeSerial implements SerialStream {
  readonly written: string[] = [];
  paused = false;
  closed = false;

  constructor(
    readonly target: SerialTarget,
    private readonly handlers: SerialHandlers,
  ) {}

  write(data: Buffer): void {
    this.written.push(data.toString());
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
  close(): void {
    this.closed = true;
  }

  /** The guest printing; answers whether the bytes went out (not while paused). */
  print(data: Buffer | string): boolean {
    if (this.paused || this.closed) return false;
    this.handlers.onData(Buffer.from(data));
    return true;
  }

  end(reason: 'vm-deleted' | 'agent-stopping', message: string): void {
    this.handlers.onEnd(reason, message);
  }
}

class FakeDriver implements HostDriver {
  readonly kind = 'sim' as const;
  readonly streams: FakeSerial[] = [];
  readonly vms = new Set(['vm-1', 'vm-2']);
  failure?: Error;
  /** While set, openSerial waits for it, as a driver that takes a moment to find the VM. */
  gate?: Promise<void>;

  async start() {}
  async stop() {}
  async facts(): Promise<HostFacts> {
    throw new Error('not used');
  }
  async inventory(): Promise<Inventory> {
    throw new Error('not used');
  }
  async run(): Promise<unknown> {
    throw new Error('not used');
  }
  async openSerial(target: SerialTarget, handlers: SerialHandlers): Promise<SerialStream> {
    await this.gate;
    if (this.failure) throw this.failure;
    if (!this.vms.has(target.vmId)) throw new DriverError('NOT_FOUND', `no VM ${target.vmId} on this host`);
    const stream = new FakeSerial(target, handlers);
    this.streams.push(stream);
    return stream;
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe(ConsoleHub.name, () => {
  let driver: FakeDriver;
  let hub: ConsoleHub;
  let messages: AgentMessage[];
  let frames: Array<{ channel: string; payload: Buffer }>;

  beforeEach(() => {
    driver = new FakeDriver();
    messages = [];
    frames = [];
    hub = new ConsoleHub(driver, {
      send: (message) => messages.push(message),
      sendFrame: (frame) => frames.push(decodeConsoleFrame(frame)!),
      log: () => undefined,
    });
  });

  const request = (message: ConsoleRequest) => hub.handle(message);
  const open = (channel: string, vmId = 'vm-1') => request({ type: 'console.open', channel, vmId, hypervisorId: null });
  const ack = (channel: string, bytes: number) => request({ type: 'console.ack', channel, bytes });
  const close = (channel: string) => request({ type: 'console.close', channel });
  const output = (channel: string) => Buffer.concat(frames.filter((f) => f.channel === channel).map((f) => f.payload)).toString();
  const outputBytes = (channel: string) => frames.filter((f) => f.channel === channel).reduce((sum, f) => sum + f.payload.length, 0);
  const ofType = (type: AgentMessage['type']) => messages.filter((m) => m.type === type);

  it('answers console.opened once the stream is open, with one stream per VM whatever the number of channels', async () => {
    let letThrough!: () => void;
    driver.gate = new Promise((resolve) => (letThrough = resolve));
    open('chan-a-0001');
    open('chan-b-0001');
    open('chan-c-0001', 'vm-2');
    await tick();
    expect(messages).toEqual([]);

    letThrough();
    await tick();
    expect(driver.streams.map((s) => s.target)).toEqual([
      { vmId: 'vm-1', hypervisorId: null },
      { vmId: 'vm-2', hypervisorId: null },
    ]);
    expect(messages).toEqual([
      { type: 'console.opened', channel: 'chan-a-0001' },
      { type: 'console.opened', channel: 'chan-b-0001' },
      { type: 'console.opened', channel: 'chan-c-0001' },
    ]);

    open('chan-d-0001');
    expect(messages.at(-1)).toEqual({ type: 'console.opened', channel: 'chan-d-0001' });
    expect(driver.streams).toHaveLength(2);
  });

  it("sends a VM's output to every channel of that VM, and to no other", async () => {
    open('chan-a-0001');
    open('chan-b-0001');
    open('chan-c-0001', 'vm-2');
    await tick();
    driver.streams[0].print('login: ');
    driver.streams[1].print('other VM');
    expect(output('chan-a-0001')).toBe('login: ');
    expect(output('chan-b-0001')).toBe('login: ');
    expect(output('chan-c-0001')).toBe('other VM');
  });

  it('writes input from every channel to the stream and acknowledges it once per channel and tick', async () => {
    open('chan-a-0001');
    open('chan-b-0001');
    hub.input('chan-a-0001', Buffer.from('ro'));
    await tick();
    const stream = driver.streams[0];
    // Input the server sent before console.opened reached it is written once the stream is open.
    expect(stream.written).toEqual(['ro']);
    await tick();
    expect(ofType('console.ack')).toEqual([{ type: 'console.ack', channel: 'chan-a-0001', bytes: 2 }]);

    hub.input('chan-a-0001', Buffer.from('ot\n'));
    hub.input('chan-b-0001', Buffer.from('ls\n'));
    hub.input('chan-a-0001', Buffer.from('pw\n'));
    expect(stream.written).toEqual(['ro', 'ot\n', 'ls\n', 'pw\n']);
    await tick();
    expect(ofType('console.ack')).toEqual([
      { type: 'console.ack', channel: 'chan-a-0001', bytes: 2 },
      { type: 'console.ack', channel: 'chan-a-0001', bytes: 6 },
      { type: 'console.ack', channel: 'chan-b-0001', bytes: 3 },
    ]);
  });

  it("pauses the stream when a channel has a full window unacknowledged, and resumes when the slowest channel's credit returns", async () => {
    open('chan-a-0001');
    open('chan-b-0001');
    await tick();
    const stream = driver.streams[0];
    const chunk = Buffer.alloc(64 * KIB, 'x');
    for (let i = 0; i < 3; i++) expect(stream.print(chunk)).toBe(true);
    expect(stream.paused).toBe(false);
    expect(stream.print(chunk)).toBe(true);
    expect(stream.paused).toBe(true);
    expect([outputBytes('chan-a-0001'), outputBytes('chan-b-0001')]).toEqual([CONSOLE_WINDOW_BYTES, CONSOLE_WINDOW_BYTES]);

    ack('chan-a-0001', CONSOLE_WINDOW_BYTES);
    expect(stream.paused).toBe(true);
    ack('chan-b-0001', 1);
    expect(stream.paused).toBe(false);
  });

  it('sends exactly the window when a chunk overruns it, and the rest once acknowledged', async () => {
    open('chan-a-0001');
    await tick();
    const stream = driver.streams[0];
    stream.print(Buffer.alloc(200 * KIB, 'a'));
    stream.print(Buffer.alloc(100 * KIB, 'b'));
    expect(stream.paused).toBe(true);
    expect(outputBytes('chan-a-0001')).toBe(CONSOLE_WINDOW_BYTES);

    ack('chan-a-0001', 20 * KIB);
    expect(outputBytes('chan-a-0001')).toBe(CONSOLE_WINDOW_BYTES + 20 * KIB);
    expect(stream.paused).toBe(true);
    ack('chan-a-0001', 30 * KIB);
    expect(outputBytes('chan-a-0001')).toBe(300 * KIB);
    expect(stream.paused).toBe(false);
    expect(output('chan-a-0001')).toBe('a'.repeat(200 * KIB) + 'b'.repeat(100 * KIB));
  });

  it('closes the stream when the last channel of its VM closes, and opens a new one for the next channel', async () => {
    open('chan-a-0001');
    open('chan-b-0001');
    await tick();
    const first = driver.streams[0];
    close('chan-a-0001');
    expect(first.closed).toBe(false);
    first.print('still here');
    expect(output('chan-b-0001')).toBe('still here');
    expect(output('chan-a-0001')).toBe('');

    close('chan-b-0001');
    expect(first.closed).toBe(true);
    open('chan-c-0001');
    await tick();
    expect(driver.streams).toHaveLength(2);
    expect(driver.streams[1].closed).toBe(false);
    expect(ofType('console.closed')).toEqual([]);
  });

  it('resumes a stream when the channel that held it back closes', async () => {
    open('chan-a-0001');
    open('chan-b-0001');
    await tick();
    const stream = driver.streams[0];
    stream.print(Buffer.alloc(CONSOLE_WINDOW_BYTES));
    ack('chan-a-0001', CONSOLE_WINDOW_BYTES);
    expect(stream.paused).toBe(true);
    close('chan-b-0001');
    expect(stream.paused).toBe(false);
  });

  it('closes a stream that arrives after its last channel left', async () => {
    let letThrough!: () => void;
    driver.gate = new Promise((resolve) => (letThrough = resolve));
    open('chan-a-0001');
    close('chan-a-0001');
    letThrough();
    await tick();
    expect(driver.streams[0].closed).toBe(true);
    expect(messages).toEqual([]);
  });

  it('tells every channel of the VM why its stream ended', async () => {
    open('chan-a-0001');
    open('chan-b-0001');
    open('chan-c-0001', 'vm-2');
    await tick();
    driver.streams[0].end('vm-deleted', 'The VM was deleted');
    expect(ofType('console.closed')).toEqual([
      { type: 'console.closed', channel: 'chan-a-0001', reason: 'vm-deleted', message: 'The VM was deleted' },
      { type: 'console.closed', channel: 'chan-b-0001', reason: 'vm-deleted', message: 'The VM was deleted' },
    ]);

    hub.input('chan-a-0001', Buffer.from('late'));
    await tick();
    expect(driver.streams[0].written).toEqual([]);
    expect(ofType('console.ack')).toEqual([]);
    driver.streams[1].print('unaffected');
    expect(output('chan-c-0001')).toBe('unaffected');
  });

  it('answers vm-not-found when the host has no such VM, and error with the reason for other failures', async () => {
    open('chan-a-0001', 'vm-gone');
    await tick();
    expect(messages).toEqual([{ type: 'console.closed', channel: 'chan-a-0001', reason: 'vm-not-found', message: 'no VM vm-gone on this host' }]);

    driver.failure = new DriverError('HYPERVISOR_ERROR', 'x'.repeat(2_000));
    open('chan-b-0001');
    await tick();
    expect(messages[1]).toEqual({ type: 'console.closed', channel: 'chan-b-0001', reason: 'error', message: 'x'.repeat(1_024) });

    driver.failure = undefined;
    open('chan-c-0001', 'vm-gone');
    await tick();
    expect(messages[2]).toMatchObject({ channel: 'chan-c-0001', reason: 'vm-not-found' });
  });

  it('closes every channel and stream, without a word, when the connection drops', async () => {
    open('chan-a-0001');
    open('chan-b-0001', 'vm-2');
    await tick();
    let letThrough!: () => void;
    driver.gate = new Promise((resolve) => (letThrough = resolve));
    hub.input('chan-a-0001', Buffer.from('typed'));
    open('chan-c-0001', 'vm-3');
    driver.vms.add('vm-3');
    messages.length = 0;

    hub.closeAll();
    letThrough();
    await tick();
    expect(driver.streams.map((s) => s.closed)).toEqual([true, true, true]);
    expect(messages).toEqual([]);

    driver.streams[0].print('after the drop');
    expect(frames).toEqual([]);
    open('chan-a-0001');
    await tick();
    expect(messages).toEqual([{ type: 'console.opened', channel: 'chan-a-0001' }]);
  });

  it('ignores requests and input for channels it does not know, and refuses an id already open', async () => {
    ack('chan-x-0001', 10);
    close('chan-x-0001');
    hub.input('chan-x-0001', Buffer.from('ls'));
    await tick();
    expect(messages).toEqual([]);
    expect(driver.streams).toEqual([]);

    open('chan-a-0001');
    open('chan-a-0001', 'vm-2');
    await tick();
    expect(messages).toEqual([
      { type: 'error', code: 'CONSOLE_CHANNEL_TAKEN', message: 'console channel chan-a-0001 is already open' },
      { type: 'console.opened', channel: 'chan-a-0001' },
    ]);
    expect(driver.streams).toHaveLength(1);
  });
});
