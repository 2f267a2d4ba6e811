import { ensureAptPackage } from './apt-install';

describe(ensureAptPackage.name, () => {
  it('answers the path of a program that is already installed, without running apt-get', async () => {
    const log = jest.fn();
    await expect(ensureAptPackage({ executable: 'sh', pkg: 'dash', log })).resolves.toMatch(/\/sh$/);
    expect(log).not.toHaveBeenCalled();
  });
});
