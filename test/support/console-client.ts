import { WebSocket } from 'ws';
import type { ConsoleServerMessage } from '../../src/contracts/console';

/** A browser's side of `/ws/console`, for tests: collects the serial output and the control messages. */
export interface ConsoleClient {
  socket: WebSocket;
  /** Everything the VM's serial port sent, as text. */
  output(): string;
  controls: ConsoleServerMessage[];
  type(text: string): void;
  /** Resolves once the output (after `from`, an index into it) matches; rejects with what arrived on timeout. */
  waitFor(pattern: RegExp, options?: { from?: number; timeoutMs?: number }): Promise<string>;
  waitForControl(predicate: (message: ConsoleServerMessage) => boolean, timeoutMs?: number): Promise<ConsoleServerMessage>;
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens the console; rejects with the HTTP status when the upgrade is refused. */
export async function openConsole(baseUrl: string, path: string): Promise<ConsoleClient> {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${path}`);
  let text = '';
  const controls: ConsoleServerMessage[] = [];
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((listener) => listener());
  socket.on('message', (data, isBinary) => {
    if (isBinary) text += Buffer.from(data as Buffer).toString('utf8');
    else controls.push(JSON.parse(data.toString()) as ConsoleServerMessage);
    notify();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
      notify();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) => reject(new UpgradeRefused(response.statusCode ?? 0)));
    socket.once('error', reject);
  });

  function until<T>(check: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const result = check();
        if (result === undefined) return false;
        clearTimeout(timer);
        listeners.delete(listen);
        resolve(result);
        return true;
      };
      const listen = () => void attempt();
      const timer = setTimeout(() => {
        listeners.delete(listen);
        reject(new Error(`${describe()}\n--- output so far ---\n${JSON.stringify(text.slice(-2_000))}\n--- controls ---\n${JSON.stringify(controls)}`));
      }, timeoutMs);
      if (!attempt()) listeners.add(listen);
    });
  }

  return {
    socket,
    output: () => text,
    controls,
    type: (input) => socket.send(Buffer.from(input, 'utf8')),
    waitFor: (pattern, { from = 0, timeoutMs = 10_000 } = {}) =>
      until(() => pattern.exec(text.slice(from))?.[0], timeoutMs, () => `console output never matched ${pattern}`),
    waitForControl: (predicate, timeoutMs = 10_000) => until(() => controls.find(predicate), timeoutMs, () => 'the expected control message never came'),
    closed,
  };
}

export class UpgradeRefused extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused with HTTP ${status}`);
  }
}
