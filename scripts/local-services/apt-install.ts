import { findExecutable } from './find-executable';
import { runCommand } from './run-command';

/** Where Debian packages put executables, for a minimal PATH (e.g. under sudo or a service manager). */
export const USUAL_BIN_DIRS = ['/usr/local/bin', '/usr/bin', '/usr/sbin', '/opt/homebrew/bin'];

export interface EnsureAptPackageOptions {
  /** The program wanted, e.g. `redis-server`. */
  executable: string;
  /** The Debian package that provides it, e.g. `redis-server`, or `genisoimage` for `isoinfo`. */
  pkg: string;
  log: (message: string) => void;
  signal?: AbortSignal;
}

/**
 * The full path of `executable`, installing `pkg` with apt-get first when it is missing and this process
 * may (root, on a system with apt-get). Answers undefined when the program cannot be had, so the caller
 * says what the user should do instead.
 */
export async function ensureAptPackage(options: EnsureAptPackageOptions): Promise<string | undefined> {
  const { executable, pkg, log, signal } = options;
  const found = findExecutable(executable, USUAL_BIN_DIRS);
  if (found) return found;
  const aptGet = findExecutable('apt-get', USUAL_BIN_DIRS);
  if (!aptGet || process.getuid?.() !== 0) return undefined;

  log(`${executable} not found: installing ${pkg} with apt-get…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => runCommand(aptGet, ['install', '-y', pkg], { name: 'apt-get', env, signal });
  // A fresh machine or container often has no package lists yet: update once and try again.
  if ((await install()).code !== 0) {
    await runCommand(aptGet, ['update'], { name: 'apt-get', env, signal });
    await install();
  }
  signal?.throwIfAborted();
  return findExecutable(executable, USUAL_BIN_DIRS);
}
