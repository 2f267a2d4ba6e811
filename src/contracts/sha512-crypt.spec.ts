import { execFileSync } from 'node:child_process';
import { hashPassword, isSha512CryptHash, MAX_VERIFIABLE_ROUNDS, verifyPassword } from './sha512-crypt';

/** Test vectors from Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512" specification. */
const DREPPER_VECTORS = [
  { plaintext: 'Hello world!', hash: '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1' },
  {
    plaintext: 'Hello world!',
    hash: '$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.',
  },
  {
    plaintext: 'This is just a test',
    hash: '$6$rounds=5000$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0',
  },
  {
    plaintext: 'a very much longer text to encrypt.  This one even stretches over morethan one line.',
    hash: '$6$rounds=1400$anotherlongsalts$POfYwTEok97VWcjxIiSOjiykti.o/pQs.wPvMxQ6Fm7I6IoYN3CmLs66x9t0oSwbtEW7o7UmJEiDwGqd8p4ur1',
  },
  {
    plaintext: 'we have a short salt string but not a short password',
    hash: '$6$rounds=77777$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5CxtgfiAc0',
  },
  {
    plaintext: 'the minimum number is still observed',
    hash: '$6$rounds=1000$roundstoolow$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX.',
  },
];

/** glibc's (libxcrypt's) crypt(3) through perl, which every Debian system has: one process for many hashes. */
function systemCrypt(inputs: { password: string; salt: string }[]): string[] {
  const lines = inputs.map(({ password, salt }) => `${salt}\t${Buffer.from(password).toString('hex')}\n`).join('');
  const script = 'chomp; my ($salt, $hex) = split /\\t/; print crypt(pack("H*", $hex), $salt), "\\n"';
  return execFileSync('perl', ['-ne', script], { input: lines }).toString().trimEnd().split('\n');
}

function opensslSha512Crypt(plaintext: string, salt: string): string {
  return execFileSync('openssl', ['passwd', '-6', '-salt', salt, '-stdin'], { input: plaintext }).toString().trim();
}

describe('sha512-crypt', () => {
  it.each(DREPPER_VECTORS)('verifies the specification vector $hash', ({ plaintext, hash }) => {
    expect(verifyPassword(plaintext, hash)).toBe(true);
    expect(verifyPassword(`${plaintext}x`, hash)).toBe(false);
  });

  it('verifies what `openssl passwd -6` produces on this machine', () => {
    const hash = opensslSha512Crypt('Hello world!', 'saltstring');
    expect(hash).toBe(DREPPER_VECTORS[0].hash);
    expect(verifyPassword('Hello world!', hash)).toBe(true);
  });

  it('hashes as $6$ with a fresh 16-character salt and glibc default rounds', () => {
    const [first, second] = [hashPassword('correct horse battery'), hashPassword('correct horse battery')];
    expect(first).toMatch(/^\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/);
    expect(isSha512CryptHash(first)).toBe(true);
    expect(first.split('$')[2]).not.toBe(second.split('$')[2]);
  });

  it("matches the system's crypt(3) for passwords of 0 to 300 bytes, multiples of 64 and non-ASCII included", () => {
    const lengths = [...Array.from({ length: 70 }, (_, bytes) => bytes), 127, 128, 129, 191, 192, 193, 255, 256, 257, 300];
    const passwords = lengths.map((bytes) => 'ä'.repeat(bytes >> 1) + 'x'.repeat(bytes & 1));
    const hashes = passwords.map(hashPassword);
    const salts = hashes.map((hash) => hash.slice(0, hash.lastIndexOf('$')));
    expect(systemCrypt(passwords.map((password, i) => ({ password, salt: salts[i] })))).toEqual(hashes);
  });

  it('verifies its own hashes for the right password only', () => {
    const hash = hashPassword('correct horse battery');
    expect(verifyPassword('correct horse battery', hash)).toBe(true);
    expect(verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(verifyPassword('', hash)).toBe(false);
  });

  it.each([
    ['not a hash', 'Hello world!', 'not-a-hash'],
    ['another algorithm', 'Hello world!', '$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5'],
    ['a truncated digest', 'Hello world!', DREPPER_VECTORS[0].hash.slice(0, -1)],
    // glibc writes rounds=5000 back, so a stored rounds=05000 never matches on a real system either.
    ['rounds with a leading zero', 'This is just a test', DREPPER_VECTORS[2].hash.replace('rounds=5000', 'rounds=05000')],
    // The right digest for the salt cut to 16 characters, which a login on a real system still refuses.
    ['an over-long salt', 'Hello world!', '$6$saltstringsaltstring$e.3mR68CqZEpesEX1HlFZT6sEanSOjM/b5UoDyDo00a8syek2cJldMjrbtKP86.FJvzluVR7nc3DNzelAwTxj.'],
  ])('answers false, not an error, for %s', (_case, plaintext, hash) => {
    expect(() => verifyPassword(plaintext, hash)).not.toThrow();
    expect(verifyPassword(plaintext, hash)).toBe(false);
  });

  it('refuses to spend more than the round cap on a hash, even a correct one', () => {
    // Drepper's vector with 123,456 rounds: correct, but costlier than any hash we accept.
    const costly = '$6$rounds=123456$asaltof16chars..$BtCwjqMJGx5hrJhZywWvt0RLE8uZ4oPwcelCjmw2kSYu.Ec6ycULevoBK25fs2xXgMNrCzIMVcgEJAstJeonj1';
    expect(MAX_VERIFIABLE_ROUNDS).toBeLessThan(123_456);
    const started = Date.now();
    expect(verifyPassword('a short string', costly)).toBe(false);
    expect(Date.now() - started).toBeLessThan(50);
  });
});
