import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { SimFaults, writeSimFaults } from '../../agent/src/drivers/sim/sim-faults';

export const AGENT_BUNDLE = join(__dirname, '..', '..', 'agent', 'dist', 'openhvx-agent.js');

export interface AgentProcess {
  child: ChildProcess;
  dataDir: string;
  output(): string;
  /** Resolves once the agent printed a line matching `pattern`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited(): Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** A real agent process (the bundle `npm test` builds) with the sim driver. */
export function startAgent(options: { serverUrl: string; dataDir: string; enrollToken?: string; args?: string[] }): AgentProcess {
  const args = [AGENT_BUNDLE, '--server', options.serverUrl, '--driver', 'sim', '--data-dir', options.dataDir, '--reconnect-max-ms', '1000'];
  if (options.enrollToken) args.push('--enroll-token', options.enrollToken);
  const child = spawn(process.execPath, [...args, ...(options.args ?? [])], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  return {
    child,
    dataDir: options.dataDir,
    output: () => text,
    exited: () => exit,
    async waitForOutput(pattern, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(text)) {
        if (child.exitCode !== null) throw new Error(`agent exited (${child.exitCode}) before printing ${pattern}:\n${text}`);
        if (Date.now() > deadline) throw new Error(`agent did not print ${pattern} within ${timeoutMs} ms:\n${text}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        await exit;
      }
    },
  };
}

/** Faults the sim driver of a running agent reads before each action. */
export function setSimFaults(agentDataDir: string, faults: SimFaults): void {
  writeSimFaults(join(agentDataDir, 'sim'), faults);
}

/** Polls `probe` until it returns a value that passes `accept`. */
export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  do {
    last = await probe();
    if (accept(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  } while (Date.now() < deadline);
  throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
}
