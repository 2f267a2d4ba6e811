import { ManagedProcess, type ProcessExit } from './managed-process';

export interface RunCommandOptions {
  name?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  shell?: boolean;
  /** Stops the command (SIGTERM, then SIGKILL) when aborted. */
  signal?: AbortSignal;
}

/** Runs a command with the terminal as its stdio and resolves when it ends (never rejects on a non-zero exit). */
export async function runCommand(command: string, args: string[], options: RunCommandOptions = {}): Promise<ProcessExit> {
  const { signal, name = command, ...spawnOptions } = options;
  signal?.throwIfAborted();
  const child = await ManagedProcess.start(command, args, { name, ...spawnOptions });
  const stop = () => void child.stop();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    return await child.exited;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}
