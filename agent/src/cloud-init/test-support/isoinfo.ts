import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Reads ISO images back with Debian's `isoinfo` (package genisoimage), an independent ISO 9660 reader,
 * so the specs check images against real tooling rather than against our own parser. Missing isoinfo
 * fails the spec with what to do; `npm test` installs it when it can.
 */
export function isoinfo(args: readonly string[]): Buffer {
  const result = spawnSync('isoinfo', args, { maxBuffer: 64 * 1024 * 1024 });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error('isoinfo is not installed, so the seed ISOs cannot be read back: run `sudo apt-get install -y genisoimage` (npm test does it when run as root)');
  }
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`isoinfo ${args.join(' ')} exited with ${result.status}: ${result.stderr.toString()}`);
  return result.stdout;
}

/** `isoinfo -d`: the volume descriptor summary (Volume id, Joliet level...). */
export function describeIso(isoPath: string): string {
  return isoinfo(['-d', '-i', isoPath]).toString('utf8');
}

/** Every path in the image, from the Joliet directory (or the primary one, with its `;1` versions). */
export function listIso(isoPath: string, hierarchy: 'joliet' | 'primary' = 'joliet'): string[] {
  const args = hierarchy === 'joliet' ? ['-f', '-J', '-i', isoPath] : ['-f', '-i', isoPath];
  return isoinfo(args)
    .toString('utf8')
    .split('\n')
    .filter((line) => line.length > 0);
}

/** The bytes of one file; throws when the image does not hold it (isoinfo -x alone prints nothing then). */
export function readIsoFile(isoPath: string, path: string, hierarchy: 'joliet' | 'primary' = 'joliet'): Buffer {
  if (!listIso(isoPath, hierarchy).includes(path)) throw new Error(`${isoPath} holds no ${path}`);
  return isoinfo(hierarchy === 'joliet' ? ['-J', '-i', isoPath, '-x', path] : ['-i', isoPath, '-x', path]);
}

/** Runs `read` on `image` written to a temp file, which is removed afterwards. */
export function withIsoFile<T>(image: Uint8Array, read: (isoPath: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'openhvx-iso-'));
  try {
    const isoPath = join(dir, 'image.iso');
    writeFileSync(isoPath, image);
    return read(isoPath);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
