// `npm test` (through bootstrap.mjs): throw-away MongoDB and Redis (unless MONGODB_URI / REDIS_URL are
// set), isoinfo for the cloud-init specs and Chromium for the browser tests, a fresh build (the e2e tests
// boot dist/main.js and the browser tests load the built client), the web client's own tests (Angular's
// runner), then Jest with the forwarded arguments.
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
  await ensureChromium(signal);
  const tempDir = mkdtempSync(join(tmpdir(), 'openhvx-test-'));
  try {
    const services = await provideServices({ dataDir: tempDir, log, signal });
    try {
      log('Building OpenHVX…');
      await runNpmScript('build', { signal });
      const jestArgs = process.argv.slice(2);
      // Arguments pick Jest tests; the client's suite runs with the whole run only.
      const clientResultsFile = join(tempDir, 'client-results.json');
      const client = jestArgs.length === 0 ? await runClientTests(clientResultsFile, signal) : undefined;
      const resultsFile = join(tempDir, 'jest-results.json');
      const jest = await runCommand(
        process.execPath,
        [resolve(REPO_ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--runInBand', '--json', `--outputFile=${resultsFile}`, ...jestArgs],
        {
          name: 'jest',
          cwd: REPO_ROOT,
          signal,
          env: { ...process.env, MONGODB_URI: services.mongo.uri, REDIS_URL: services.redis.url, OPENHVX_TEST_TMP: tempDir },
        },
      );
      printSummary([resultsFile, ...(client ? [clientResultsFile] : [])]);
      return client && client.code !== 0 ? 1 : exitCode(jest);
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

/** The browser tests drive Debian's Chromium through playwright-core; without it they fail and say how to install it. */
async function ensureChromium(signal: AbortSignal): Promise<void> {
  if (await ensureAptPackage({ executable: 'chromium', pkg: 'chromium', log, signal })) return;
  log('chromium not found and not installable from here: the browser tests will fail. Install it with: sudo apt-get install -y chromium');
}

/** The web client's component and service tests (Angular's runner: Vitest), with a Jest-shaped JSON report. */
function runClientTests(resultsFile: string, signal: AbortSignal) {
  log('Testing the web client…');
  const args = ['test', '--', '--reporters=json', '--reporters=default', `--output-file=${resultsFile}`];
  return runCommand(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['--prefix', resolve(REPO_ROOT, 'client'), ...args], { name: 'client tests', signal });
}

/** One plain closing line (`Tests: N passed, N failed`) over every suite, that CI systems read whatever the runner. */
function printSummary(resultsFiles: string[]): void {
  const totals = { passed: 0, failed: 0, skipped: 0 };
  for (const file of resultsFiles.filter((f) => existsSync(f))) {
    const results = JSON.parse(readFileSync(file, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number };
    totals.passed += results.numPassedTests;
    totals.failed += results.numFailedTests;
    totals.skipped += results.numPendingTests;
  }
  const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : '';
  log(`Tests: ${totals.passed} passed, ${totals.failed} failed${skipped}`);
}
