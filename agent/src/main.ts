import { Agent } from './agent';
import { AgentFatalError } from './agent-fatal-error';
import { AgentConfigError, loadAgentConfig, USAGE } from './config/agent-config';
import { createDriver } from './drivers/create-driver';

/** The agent process: parse the configuration, run until SIGINT/SIGTERM, exit non-zero on fatal errors. */
async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const log = (message: string) => process.stdout.write(`${new Date().toISOString()} ${message}\n`);
  const config = loadAgentConfig(argv, process.env);
  const controller = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal} received, stopping`);
      controller.abort();
    });
  }
  await new Agent(config, createDriver(config), log).run(controller.signal);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof AgentFatalError || error instanceof AgentConfigError;
    process.stderr.write(`openhvx-agent: ${known ? (error as Error).message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(known ? 2 : 1);
  },
);
