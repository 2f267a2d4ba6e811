// `npm test` (through bootstrap.mjs): throw-away MongoDB and Redis (unless MONGODB_URI / REDIS_URL are
// set), a fresh build (the e2e tests boot dist/main.js), then Jest with the forwarded arguments.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launch } from './local-services/launch';
import { exitCode } from './local-services/managed-process';
import { provideServices } from './local-services/provide-services';
import { runCommand } from './local-services/run-command';
import { runNpmScript } from './local-services/run-npm-script';

const REPO_ROOT = resolve(__dirname, '..');
const log = (message: string) => console.log(message);

launch(async (signal) => {
  const tempDir = mkdtempSync(join(tmpdir(), 'openhvx-test-'));
  try {
    const services = await provideServices({ dataDir: tempDir, log, signal });
    try {
      log('Building OpenHVX…');
      await runNpmScript('build', { signal });
      const jest = await runCommand(
        process.execPath,
        [resolve(REPO_ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--runInBand', ...process.argv.slice(2)],
        {
          name: 'jest',
          cwd: REPO_ROOT,
          signal,
          env: { ...process.env, MONGODB_URI: services.mongo.uri, REDIS_URL: services.redis.url, OPENHVX_TEST_TMP: tempDir },
        },
      );
      return exitCode(jest);
    } finally {
      await services.stop();
    }
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
});
