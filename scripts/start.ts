// `npm start` (through bootstrap.mjs): provides MongoDB and Redis unless MONGODB_URI / REDIS_URL are
// set, builds the server and the agent, runs the server and the demo hosts' sim agents until Ctrl-C,
// then stops everything in reverse order.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ActionableError } from './local-services/actionable-error';
import { launch } from './local-services/launch';
import { exitCode, ManagedProcess } from './local-services/managed-process';
import { provideServices } from './local-services/provide-services';
import { runNpmScript } from './local-services/run-npm-script';
import { waitUntil } from './local-services/wait-until';

const REPO_ROOT = resolve(__dirname, '..');
const SERVER_ENTRY = resolve(REPO_ROOT, 'dist', 'main.js');
const AGENT_ENTRY = resolve(REPO_ROOT, 'agent', 'dist', 'openhvx-agent.js');
const log = (message: string) => console.log(message);

launch(async (signal) => {
  const dataDir = resolve(process.env.OPENHVX_DATA_DIR || resolve(REPO_ROOT, 'data'));
  mkdirSync(dataDir, { recursive: true });
  const services = await provideServices({ dataDir, log, signal });
  try {
    log('Building OpenHVX…');
    await runNpmScript('build', { signal });
    if (!existsSync(SERVER_ENTRY)) {
      throw new ActionableError(`\`npm run build\` succeeded but did not produce ${SERVER_ENTRY}. Check nest-cli.json and tsconfig.build.json.`);
    }

    // Detached: Ctrl-C in the terminal reaches only us, and we stop the server before its databases.
    const server = await ManagedProcess.start(process.execPath, [SERVER_ENTRY], {
      name: 'OpenHVX server',
      pidFile: resolve(dataDir, 'openhvx-server.pid'),
      log,
      cwd: REPO_ROOT,
      detached: true,
      env: {
        ...process.env,
        PORT: process.env.PORT || '8080',
        MONGODB_URI: services.mongo.uri,
        REDIS_URL: services.redis.url,
        OPENHVX_DATA_DIR: dataDir,
      },
    });
    const agents: ManagedProcess[] = [];
    const stopAll = () => void Promise.all(agents.map((agent) => agent.stop(5_000))).finally(() => server.stop(10_000));
    signal.addEventListener('abort', stopAll, { once: true });
    const port = process.env.PORT || '8080';
    startDemoAgents(`http://127.0.0.1:${port}`, dataDir, signal).then(
      (started) => agents.push(...started),
      (error: Error) => log(`Demo hosts not started: ${error.message}`),
    );
    const exit = await server.exited;
    signal.removeEventListener('abort', stopAll);
    await Promise.all(agents.map((agent) => agent.stop(5_000)));
    if (exit.error) throw new ActionableError(`Could not start the server: ${exit.error.message}`);
    if (signal.aborted) return 0; // we stopped it
    log(`OpenHVX server ${server.describeExit()}.`);
    return exitCode(exit);
  } finally {
    await services.stop();
  }
});

/** Runs a sim agent for each demo host the server listed (OPENHVX_DEMO_HOSTS), once the server is ready. */
async function startDemoAgents(serverUrl: string, dataDir: string, signal: AbortSignal): Promise<ManagedProcess[]> {
  await waitUntil('the OpenHVX server', () => answers(`${serverUrl}/api/health/ready`), { timeoutMs: 120_000, signal });
  const manifestFile = resolve(dataDir, 'demo-hosts', 'manifest.json');
  if (!existsSync(manifestFile)) return [];
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { hosts: Array<{ name: string; dataDir: string; enrollToken: string | null }> };
  return Promise.all(
    manifest.hosts.map(({ name, dataDir: agentDir, enrollToken }) => {
      const args = [AGENT_ENTRY, '--server', serverUrl, '--driver', 'sim', '--data-dir', agentDir, '--sim-hostname', name];
      if (enrollToken) args.push('--enroll-token', enrollToken);
      mkdirSync(agentDir, { recursive: true });
      return ManagedProcess.start(process.execPath, args, {
        name: `agent ${name}`,
        logFile: resolve(agentDir, 'agent.log'),
        pidFile: resolve(agentDir, 'agent.pid'),
        cwd: REPO_ROOT,
        detached: true,
      });
    }),
  );
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}
