import { PasswordHasher } from './password-hasher';

describe(PasswordHasher.name, () => {
  const hasher = new PasswordHasher();

  it('hashes with argon2id and a fresh salt each time', async () => {
    const [a, b] = await Promise.all([hasher.hash('correct horse battery'), hasher.hash('correct horse battery')]);
    expect(a).toMatch(/^\$argon2id\$v=19\$m=65536,p=4,t=3\$/);
    expect(a).not.toBe(b);
  });

  it('verifies the right password only', async () => {
    const hash = await hasher.hash('correct horse battery');
    await expect(hasher.verify(hash, 'correct horse battery')).resolves.toBe(true);
    await expect(hasher.verify(hash, 'correct horse batterY')).resolves.toBe(false);
  });

  it('answers false, not an error, for a corrupt hash', async () => {
    await expect(hasher.verify('not-a-hash', 'anything')).resolves.toBe(false);
  });

  it('spends a real verification on unknown accounts and always answers false', async () => {
    const started = process.hrtime.bigint();
    await expect(hasher.verifyAgainstDecoy('decoy-password-for-timing')).resolves.toBe(false);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeGreaterThan(5);
  });
});
