import { createHash, randomBytes } from 'node:crypto';

/** Opaque bearer secrets carry 256 bits of entropy, so a fast hash is enough to store them safely. */
export function newTokenSecret(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
