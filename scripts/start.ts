// `npm start` (through bootstrap.mjs): provides MongoDB and Redis unless MONGODB_URI / REDIS_URL are
// set, builds the server and runs it until Ctrl-C, then stops everything in reverse order.
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ActionableError } from './local-services/actionable-error';
import { launch } from './local-services/launch';
import { exitCode, ManagedProcess } from './local-services/managed-process';
import { provideServices } from './local-services/provide-services';
import { runNpmScript } from './local-services/run-npm-script';

const REPO_ROOT = resolve(__dirname, '..');
const SERVER_ENTRY = resolve(REPO_ROOT, 'dist', 'main.js');
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
    const stopServer = () => void server.stop(10_000);
    signal.addEventListener('abort', stopServer, { once: true });
    const exit = await server.exited;
    signal.removeEventListener('abort', stopServer);
    if (exit.error) throw new ActionableError(`Could not start the server: ${exit.error.message}`);
    if (signal.aborted) return 0; // we stopped it
    log(`OpenHVX server ${server.describeExit()}.`);
    return exitCode(exit);
  } finally {
    await services.stop();
  }
});
