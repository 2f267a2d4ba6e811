// `npm test` (through bootstrap.mjs): throw-away MongoDB and Redis (unless MONGODB_URI / REDIS_URL are
// set), isoinfo for the cloud-init specs, a fresh build (the e2e tests boot dist/main.js), then Jest
// with the forwarded arguments.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureAptPackage } from './local-services/apt-install';
import { launch } from './local-services/launch';
import { exitCode } from './local-services/managed-process';
import { provideServices } from './local-services/provide-services';
import { runCommand } from './local-services/run-command';
import { runNpmScript } from './local-services/run-npm-script';

const REPO_ROOT = resolve(__dirname, '..');
const log = (message: string) => console.log(message);

launch(async (signal) => {
  await ensureIsoinfo(signal);
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

/**
 * The cloud-init specs read the agent's seed ISOs back with isoinfo (Debian package genisoimage). When it
 * cannot be installed the run goes on: those specs then fail and say how to install it.
 */
async function ensureIsoinfo(signal: AbortSignal): Promise<void> {
  if (await ensureAptPackage({ executable: 'isoinfo', pkg: 'genisoimage', log, signal })) return;
  log('isoinfo not found and not installable from here: the cloud-init specs will fail. Install it with: sudo apt-get install -y genisoimage');
}

/** One plain closing line (`Tests: N passed, N failed`) that CI systems read whatever the runner. */
function printSummary(resultsFile: string): void {
  if (!existsSync(resultsFile)) return;
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number };
  const skipped = results.numPendingTests > 0 ? `, ${results.numPendingTests} skipped` : '';
  log(`Tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped}`);
}
