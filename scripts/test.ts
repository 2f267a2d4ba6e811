// `npm test` (through bootstrap.mjs): throw-away MongoDB and Redis (unless MONGODB_URI / REDIS_URL are
// set), a fresh build (the e2e tests boot dist/main.js), then Jest with the forwarded arguments.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
      const resultsFile = join(tempDir, 'jest-results.json');
      const jest = await runCommand(
        process.execPath,
        [resolve(REPO_ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--runInBand', '--json', `--outputFile=${resultsFile}`, ...process.argv.slice(2)],
        {
          name: 'jest',
          cwd: REPO_ROOT,
          signal,
          env: { ...process.env, MONGODB_URI: services.mongo.uri, REDIS_URL: services.redis.url, OPENHVX_TEST_TMP: tempDir },
        },
      );
      printSummary(resultsFile);
      return exitCode(jest);
    } finally {
      await services.stop();
    }
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
});

/** One plain closing line (`Tests: N passed, N failed`) that CI systems read whatever the runner. */
function printSummary(resultsFile: string): void {
  if (!existsSync(resultsFile)) return;
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number };
  const skipped = results.numPendingTests > 0 ? `, ${results.numPendingTests} skipped` : '';
  log(`Tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped}`);
}
