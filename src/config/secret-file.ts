import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Reads a secret kept in a file, or null when the file does not exist. */
export function readSecretFile(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Writes a secret readable only by the owner (mode 0600). */
export function writeSecretFile(path: string, value: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
}

/** A random password that is easy to copy from a terminal: URL-safe, 20 characters. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}
