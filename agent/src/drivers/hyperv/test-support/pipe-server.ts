import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Plays Hyper-V's side of a VM's COM1 named pipe with a Unix domain socket: it listens while the VM
 * "runs" and goes away when it stops, dropping the connected client.
 */
export class PipeServer {
  private readonly dir = mkdtempSync(join(tmpdir(), 'openhvx-pipe-'));
  readonly path = join(this.dir, 'com1.sock');
  /** What clients wrote, over every connection. */
  received = '';
  connections = 0;
  private server: Server | null = null;
  private client: Socket | null = null;

  /** The VM starts: the pipe exists. */
  async start(): Promise<void> {
    const server = createServer((socket) => {
      this.connections += 1;
      this.client = socket;
      socket.on('data', (data) => (this.received += data.toString()));
      socket.on('error', () => undefined);
    });
    server.listen(this.path);
    await once(server, 'listening');
    this.server = server;
  }

  /** The VM stops: the pipe and its connection go. */
  async stop(): Promise<void> {
    this.client?.destroy();
    this.client = null;
    const server = this.server;
    this.server = null;
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  /** The guest printing on its serial port. */
  print(text: string): void {
    if (!this.client) throw new Error('no client is connected to the pipe');
    this.client.write(text);
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Polls until `check` holds (or gives up after about two seconds, letting the next expectation fail). */
export async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}
