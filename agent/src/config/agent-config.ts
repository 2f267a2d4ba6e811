import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export interface AgentConfig {
  serverUrl: string;
  enrollToken?: string;
  driver: 'sim' | 'hyperv';
  dataDir: string;
  /** Jobs run at once; more wait their turn. */
  concurrency: number;
  reconnectBaseMs: number;
  reconnectMaxMs: number;
  /** Options of the sim driver (`--sim-*`), passed through as strings. */
  sim: Record<string, string>;
  /** Options of the hyperv driver (`--hyperv-*`). */
  hyperv: Record<string, string>;
}

export const USAGE = `Usage: openhvx-agent --server <url> [--enroll-token <token>] [--driver hyperv|sim] [--data-dir <dir>]
  --server <url>           control plane URL                          (OPENHVX_SERVER)
  --enroll-token <token>   one-time token from the host's page        (OPENHVX_ENROLL_TOKEN)
  --driver hyperv|sim      hypervisor driver, default hyperv          (OPENHVX_DRIVER)
  --data-dir <dir>         credential, job results, sim state         (OPENHVX_AGENT_DATA_DIR)
  --concurrency <n>        jobs at once, default 4                    (OPENHVX_AGENT_CONCURRENCY)
  --reconnect-max-ms <ms>  longest wait between reconnects, 30000     (OPENHVX_AGENT_RECONNECT_MAX_MS)
  --sim-<option> <value>   sim driver options (see the sim driver)
  --hyperv-<option> <value> hyperv driver options (see the hyperv driver)`;

export class AgentConfigError extends Error {
  override name = 'AgentConfigError';
}

const DEFAULT_DATA_DIR = process.platform === 'win32' ? 'C:\\ProgramData\\OpenHVX\\agent' : './agent-data';

/** Command line first, then environment variables, then defaults. */
export function loadAgentConfig(argv: string[], env: NodeJS.ProcessEnv): AgentConfig {
  const { driverOptions, rest } = splitDriverOptions(argv);
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      strict: true,
      options: {
        server: { type: 'string' },
        'enroll-token': { type: 'string' },
        driver: { type: 'string' },
        'data-dir': { type: 'string' },
        concurrency: { type: 'string' },
        'reconnect-max-ms': { type: 'string' },
      },
    }));
  } catch (error) {
    throw new AgentConfigError(`${(error as Error).message}\n${USAGE}`);
  }
  const text = (name: string, envName: string) => (typeof values[name] === 'string' ? values[name] : env[envName]);

  const serverUrl = text('server', 'OPENHVX_SERVER');
  if (!serverUrl || !/^https?:\/\/\S+$/.test(serverUrl)) throw new AgentConfigError(`--server must be the control plane's http(s) URL\n${USAGE}`);
  const driver = text('driver', 'OPENHVX_DRIVER') ?? 'hyperv';
  if (driver !== 'sim' && driver !== 'hyperv') throw new AgentConfigError(`--driver must be hyperv or sim, not '${driver}'`);
  return {
    serverUrl: serverUrl.replace(/\/+$/, ''),
    enrollToken: text('enroll-token', 'OPENHVX_ENROLL_TOKEN'),
    driver,
    dataDir: resolve(text('data-dir', 'OPENHVX_AGENT_DATA_DIR') ?? DEFAULT_DATA_DIR),
    concurrency: positiveInt('concurrency', text('concurrency', 'OPENHVX_AGENT_CONCURRENCY') ?? '4'),
    reconnectBaseMs: 500,
    reconnectMaxMs: positiveInt('reconnect-max-ms', text('reconnect-max-ms', 'OPENHVX_AGENT_RECONNECT_MAX_MS') ?? '30000'),
    sim: driverOptions.sim,
    hyperv: driverOptions.hyperv,
  };
}

/** `--sim-<name> <value>` and `--hyperv-<name> <value>` (or `=value`) go to the drivers as they are. */
function splitDriverOptions(argv: string[]): { driverOptions: { sim: Record<string, string>; hyperv: Record<string, string> }; rest: string[] } {
  const driverOptions = { sim: {} as Record<string, string>, hyperv: {} as Record<string, string> };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const match = /^--(sim|hyperv)-([a-z0-9-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!match) {
      rest.push(argv[i]);
      continue;
    }
    const value = match[3] ?? argv[++i];
    if (value === undefined) throw new AgentConfigError(`--${match[1]}-${match[2]} needs a value`);
    driverOptions[match[1] as 'sim' | 'hyperv'][match[2]] = value;
  }
  return { driverOptions, rest };
}

function positiveInt(option: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new AgentConfigError(`--${option} must be a positive integer, not '${value}'`);
  return parsed;
}
