// Hand-written (Drepper's "Unix crypt using SHA-256 and SHA-512", SHA-512 half) on node:crypto, because
// no npm package was both right and usable here:
// - unixcrypt hashes every password of exactly 64, 128, 192 or 256 bytes wrongly (step 10 adds no
//   digest bytes when the length is a multiple of 64), and from 2.0 on it is ESM-only with an
//   import-only export map that neither Jest (CommonJS) nor the Nest build can require;
// - sha512crypt-node and sha512-crypt-ts hash non-ASCII passwords wrongly (they treat UTF-16 code
//   units as bytes), refuse salts glibc accepts, and the former ships mocha as a runtime dependency;
// - shacrypt and @vlasky/shacrypt are native addons, which the agent's esbuild bundle cannot carry.
// The spec checks this file against the specification's vectors and against `openssl passwd -6`.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The alphabet crypt(3) uses for salts and digests (not RFC 4648 base64). */
const CRYPT_ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SALT_LENGTH = 16;
const DEFAULT_ROUNDS = 5_000;
const DIGEST_BYTES = 64;

/**
 * Costlier hashes are refused rather than computed: a seed written by a tenant (raw user-data) can
 * carry any `rounds=`, and verifying 999,999,999 rounds would stall whoever checks a login.
 */
export const MAX_VERIFIABLE_ROUNDS = 100_000;

// Only shapes that glibc's crypt reproduces character for character (rounds within its range and
// without leading zeros, a salt of at most 16 characters), so a hash recomputed from the parsed parts
// is comparable byte for byte with the stored one.
const SHA512_CRYPT_HASH = /^\$6\$(?:rounds=([1-9][0-9]{3,8})\$)?([./0-9A-Za-z]{1,16})\$[./0-9A-Za-z]{86}$/;

/**
 * SHA-512 crypt (`$6$<16-character salt>$<digest>`), the format cloud-init's `passwd` writes to the
 * guest's /etc/shadow. glibc's default 5,000 rounds, so no `rounds=` field: every libcrypt reads it.
 */
export function hashPassword(plaintext: string): string {
  return sha512Crypt(plaintext, randomSalt(), DEFAULT_ROUNDS, false);
}

/** Whether `plaintext` matches a SHA-512 crypt hash; false (never an error) for anything malformed. */
export function verifyPassword(plaintext: string, hash: string): boolean {
  const match = SHA512_CRYPT_HASH.exec(hash);
  if (!match) return false;
  const [, roundsField, salt] = match;
  const rounds = roundsField === undefined ? DEFAULT_ROUNDS : Number(roundsField);
  if (rounds > MAX_VERIFIABLE_ROUNDS) return false;
  const computed = sha512Crypt(plaintext, salt, rounds, roundsField !== undefined);
  return timingSafeEqual(Buffer.from(computed), Buffer.from(hash));
}

export function isSha512CryptHash(value: string): boolean {
  return SHA512_CRYPT_HASH.test(value);
}

/** 64 symbols: each random byte maps to one without bias. */
function randomSalt(): string {
  return Array.from(randomBytes(SALT_LENGTH), (byte) => CRYPT_ALPHABET[byte % CRYPT_ALPHABET.length]).join('');
}

/** The specification's steps 1-22; `salt` and `rounds` are already within the specification's limits. */
function sha512Crypt(plaintext: string, salt: string, rounds: number, showRounds: boolean): string {
  const password = Buffer.from(plaintext, 'utf8');
  const saltBytes = Buffer.from(salt, 'ascii');

  const digestB = sha512(password, saltBytes, password);
  const hashA = createHash('sha512').update(password).update(saltBytes);
  hashA.update(repeatToLength(digestB, password.length));
  for (let length = password.length; length > 0; length >>= 1) hashA.update(length & 1 ? digestB : password);
  const digestA = hashA.digest();

  const passwordSequence = repeatToLength(sha512(...Array<Buffer>(password.length).fill(password)), password.length);
  const saltSequence = repeatToLength(sha512(...Array<Buffer>(16 + digestA[0]).fill(saltBytes)), saltBytes.length);

  let digestC = digestA;
  for (let round = 0; round < rounds; round++) {
    const hashC = createHash('sha512').update(round % 2 ? passwordSequence : digestC);
    if (round % 3) hashC.update(saltSequence);
    if (round % 7) hashC.update(passwordSequence);
    digestC = hashC.update(round % 2 ? digestC : passwordSequence).digest();
  }

  return `$6$${showRounds ? `rounds=${rounds}$` : ''}${salt}$${encodeDigest(digestC)}`;
}

function sha512(...parts: Buffer[]): Buffer {
  const hash = createHash('sha512');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** `digest` repeated, the last copy cut, to exactly `length` bytes (steps 10, 16 and 20). */
function repeatToLength(digest: Buffer, length: number): Buffer {
  const copies = Array<Buffer>(Math.ceil(length / DIGEST_BYTES)).fill(digest);
  return Buffer.concat(copies, length);
}

/** Step 22: the digest's bytes in the specification's order, three at a time, six bits per character. */
function encodeDigest(digest: Buffer): string {
  let encoded = '';
  for (let group = 0; group < 21; group++) {
    const [first, second, third] = rotate([group, group + 21, group + 42], group % 3);
    encoded += encode24Bits(digest[first], digest[second], digest[third], 4);
  }
  return encoded + encode24Bits(0, 0, digest[63], 2);
}

function rotate(indexes: number[], by: number): number[] {
  return [...indexes.slice(by), ...indexes.slice(0, by)];
}

function encode24Bits(high: number, middle: number, low: number, characters: number): string {
  let bits = (high << 16) | (middle << 8) | low;
  let encoded = '';
  for (let i = 0; i < characters; i++, bits >>= 6) encoded += CRYPT_ALPHABET[bits & 0x3f];
  return encoded;
}
