import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { ActionableError } from './actionable-error';
import { findExecutable } from './find-executable';
import { runCommand } from './run-command';

export const FERRETDB_VERSION = '1.24.2';
const FERRETDB_MODULE = `github.com/FerretDB/FerretDB@v${FERRETDB_VERSION}`;

export interface EnsureFerretdbOptions {
  /** The binary lives in `<toolsDir>/bin`. */
  toolsDir: string;
  log: (message: string) => void;
  signal?: AbortSignal;
}

/**
 * Returns the path of a working FerretDB binary in `<toolsDir>/bin`, building it with Go first if needed.
 *
 * Not a plain `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2`: that binary panics at
 * startup ("Invalid build/version/version.txt file content") because the module zip lacks that
 * generated file. So we copy the module source out of Go's module cache, add the file, and build the copy.
 */
export async function ensureFerretdb({ toolsDir, log, signal }: EnsureFerretdbOptions): Promise<string> {
  const binary = join(toolsDir, 'bin', process.platform === 'win32' ? 'ferretdb.exe' : 'ferretdb');
  if (reportsExpectedVersion(binary)) return binary;

  const go = findExecutable('go', ['/usr/local/go/bin']);
  if (!go) {
    throw new ActionableError(
      'No MongoDB-compatible database available. Do one of:\n' +
        '  - set MONGODB_URI to an existing MongoDB server, e.g. MONGODB_URI=mongodb://127.0.0.1:27017/openhvx\n' +
        `  - install Go >= 1.22 (https://go.dev/dl/) so FerretDB ${FERRETDB_VERSION} can be built locally (once)\n` +
        '  - put mongod on PATH',
    );
  }

  log(`Building FerretDB ${FERRETDB_VERSION} (first run only, takes a few minutes)…`);
  // Pure-Go SQLite: no C compiler needed. Ignore a GOFLAGS meant for other projects (-mod=vendor…).
  const env = { ...process.env, CGO_ENABLED: '0', GOFLAGS: '', GOWORK: 'off' };
  const moduleDir = await downloadModule(go, env, signal);
  const buildDir = mkdtempSync(join(tmpdir(), `ferretdb-${FERRETDB_VERSION}-src-`));
  const builtBinary = `${binary}.${process.pid}.tmp`; // renamed into place only once it works
  try {
    cpSync(moduleDir, buildDir, { recursive: true });
    makeWritable(buildDir); // the module cache is read-only
    writeFileSync(join(buildDir, 'build', 'version', 'version.txt'), `v${FERRETDB_VERSION}\n`);
    mkdirSync(dirname(binary), { recursive: true });
    const exit = await runCommand(go, ['build', '-trimpath', '-buildvcs=false', '-o', builtBinary, './cmd/ferretdb'], {
      name: 'go build',
      cwd: buildDir,
      env,
      signal,
    });
    signal?.throwIfAborted();
    if (exit.code !== 0 || !reportsExpectedVersion(builtBinary)) {
      throw new ActionableError(
        `Building FerretDB ${FERRETDB_VERSION} with ${go} failed (see the output above).\n` +
          'Fix the Go setup, or set MONGODB_URI to an existing MongoDB server instead.',
      );
    }
    renameSync(builtBinary, binary);
  } finally {
    rmSync(buildDir, { recursive: true, force: true });
    rmSync(builtBinary, { force: true });
  }
  log(`FerretDB ${FERRETDB_VERSION} built: ${binary}`);
  return binary;
}

function reportsExpectedVersion(binary: string): boolean {
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return result.status === 0 && result.stdout.includes(`v${FERRETDB_VERSION}`);
}

/** `go mod download` the FerretDB module (through GOPROXY if not cached) and return its source directory. */
async function downloadModule(go: string, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<string> {
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)(go, ['mod', 'download', '-json', FERRETDB_MODULE], { env, signal, encoding: 'utf8' }));
  } catch (error) {
    signal?.throwIfAborted();
    const failure = error as { stdout?: string; stderr?: string; message: string };
    let reason = failure.stderr?.trim() || failure.message;
    try {
      reason = (JSON.parse(failure.stdout ?? '') as { Error?: string }).Error ?? reason;
    } catch {
      // not JSON: keep stderr
    }
    throw new ActionableError(
      `Could not download the FerretDB ${FERRETDB_VERSION} source with Go: ${reason}\n` +
        'Check access to the Go module proxy (GOPROXY), or set MONGODB_URI to an existing MongoDB server.',
    );
  }
  return (JSON.parse(stdout) as { Dir: string }).Dir;
}

function makeWritable(root: string): void {
  for (const entry of ['', ...readdirSync(root, { recursive: true, encoding: 'utf8' })]) {
    const path = join(root, entry);
    chmodSync(path, statSync(path).mode | 0o200);
  }
}
