import { PipeSerialStream } from './hyperv-serial';
import { PipeServer, until } from './test-support/pipe-server';

/** Against a real Unix domain socket standing in for the VM's named pipe. */
describe(PipeSerialStream.name, () => {
  let pipe: PipeServer;
  let stream: PipeSerialStream | undefined;
  let output: string;
  let ends: Array<[string, string]>;

  const openStream = () => {
    stream = new PipeSerialStream(pipe.path, { onData: (data) => (output += data.toString()), onEnd: (reason, message) => ends.push([reason, message]) }, { firstMs: 20, maxMs: 80 });
    return stream;
  };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeEach(() => {
    pipe = new PipeServer();
    output = '';
    ends = [];
  });
  afterEach(async () => {
    stream?.close();
    stream = undefined;
    await pipe.dispose();
  });

  it("delivers the guest's output and writes input to the pipe", async () => {
    await pipe.start();
    const subject = openStream();
    await until(() => pipe.connections === 1);
    pipe.print('login: ');
    subject.write(Buffer.from('root\n'));
    await until(() => output === 'login: ' && pipe.received === 'root\n');
    expect(output).toBe('login: ');
    expect(pipe.received).toBe('root\n');
  });

  it('connects again when the pipe goes away and comes back, as when the VM restarts, without ending the stream', async () => {
    await pipe.start();
    const subject = openStream();
    await until(() => pipe.connections === 1);
    pipe.print('before ');
    await until(() => output === 'before ');

    await pipe.stop();
    await sleep(150);
    subject.write(Buffer.from('typed while off\n'));
    await pipe.start();
    await until(() => pipe.connections === 2);
    pipe.print('after');
    await until(() => output === 'before after');

    expect(output).toBe('before after');
    expect(pipe.received).toBe('');
    expect(ends).toEqual([]);
  });

  it('waits for a pipe that is not there yet, as for a VM that is off', async () => {
    openStream();
    await sleep(150);
    await pipe.start();
    await until(() => pipe.connections === 1);
    pipe.print('booting');
    await until(() => output === 'booting');
    expect(output).toBe('booting');
  });

  it('holds output back while paused, across a reconnect, and delivers it on resume', async () => {
    await pipe.start();
    const subject = openStream();
    await until(() => pipe.connections === 1);
    subject.pause();
    await pipe.stop();
    await pipe.start();
    await until(() => pipe.connections === 2);
    pipe.print('held');
    await sleep(100);
    expect(output).toBe('');

    subject.resume();
    await until(() => output === 'held');
    expect(output).toBe('held');
  });

  it('stops connecting once closed, and says nothing', async () => {
    const subject = openStream();
    await sleep(50);
    subject.close();
    await pipe.start();
    await sleep(200);
    expect(pipe.connections).toBe(0);
    expect(ends).toEqual([]);
  });

  it('ends once, with its reason, and lets go of the pipe', async () => {
    await pipe.start();
    const subject = openStream();
    await until(() => pipe.connections === 1);
    subject.end('vm-deleted', 'The VM was deleted');
    subject.end('agent-stopping', 'The agent is stopping');
    await pipe.stop();
    await pipe.start();
    await sleep(200);
    expect(ends).toEqual([['vm-deleted', 'The VM was deleted']]);
    expect(pipe.connections).toBe(1);
  });
});
