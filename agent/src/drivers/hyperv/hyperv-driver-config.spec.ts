import { join } from 'node:path';
import { DEFAULT_SCRIPT_TIMEOUTS_MS } from './hyperv-script-params';
import { HYPERV_DEFAULTS, parseHypervConfig, resolveHypervConfig } from './hyperv-driver-config';

describe(resolveHypervConfig.name, () => {
  it('fills in the defaults: one datastore at vmRoot, the ProgramData image folder, Windows PowerShell with -File', () => {
    const config = resolveHypervConfig({ dataDir: 'C:\\ProgramData\\OpenHVX\\agent' });
    expect(config).toMatchObject({
      vmRoot: 'C:\\ProgramData\\OpenHVX\\VMs',
      imageDirs: ['C:\\ProgramData\\OpenHVX\\Images'],
      datastores: [{ name: 'default', path: 'C:\\ProgramData\\OpenHVX\\VMs' }],
      diskProvisioning: 'copy',
      defaultSwitch: null,
      reserveGiB: 10,
      guestShutdownTimeoutMs: 120_000,
      scriptTimeoutsMs: DEFAULT_SCRIPT_TIMEOUTS_MS,
    });
    expect(config.hostLoopCommand).toEqual({
      executable: 'powershell.exe',
      args: ['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', join(HYPERV_DEFAULTS.scriptDir, 'host-loop.ps1')],
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('accepts pwsh and full paths to either PowerShell', () => {
    for (const powershell of ['pwsh', 'pwsh.exe', 'C:\\Program Files\\PowerShell\\7\\pwsh.exe', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe']) {
      expect(resolveHypervConfig({ dataDir: 'C:\\a', powershell }).hostLoopCommand.executable).toBe(powershell);
    }
  });

  it('keeps a drive root as it is and trims other trailing backslashes', () => {
    const config = resolveHypervConfig({ dataDir: 'C:\\a', datastores: [{ name: 'd', path: 'D:\\' }, { name: 'e', path: 'E:\\VMs\\' }, { name: 's', path: '\\\\nas\\vms\\' }] });
    expect(config.datastores.map((d) => d.path)).toEqual(['D:\\', 'E:\\VMs', '\\\\nas\\vms']);
  });

  it.each([
    [{ powershell: 'cmd.exe' }, /powershell/],
    [{ powershell: 'powershell.exe -Command iex' }, /powershell/],
    [{ vmRoot: 'VMs' }, /absolute Windows path/],
    [{ vmRoot: 'D:\\VMs\\..\\Windows' }, /characters/],
    [{ imageDirs: ['D:\\Images\\*'] }, /characters/],
    [{ imageDirs: [] }, /imageDirs/],
    [{ datastores: [{ name: 'a', path: 'D:\\x' }, { name: 'A', path: 'E:\\y' }] }, /duplicate datastore 'A'/],
    [{ diskProvisioning: 'thin' as never }, /diskProvisioning/],
    [{ scriptTimeoutsMs: { 'vm-nuke': 5 } as never }, /scriptTimeoutsMs/],
    [{ guestShutdownTimeoutMs: 10 }, /guestShutdownTimeoutMs/],
    [{ guestShutdownTimeoutMs: 400_000 }, /guestShutdownTimeoutMs: 400000 ms leaves too little of the vm-edit script timeout \(600000 ms\)/],
    [{ guestShutdownTimeoutMs: 60_000, scriptTimeoutsMs: { 'vm-edit': 100_000 } }, /at most half of it/],
  ])('refuses %o', (options, message) => {
    expect(() => resolveHypervConfig({ dataDir: 'C:\\a', ...options })).toThrow(message);
  });
});

describe(parseHypervConfig.name, () => {
  it('reads --hyperv-* options: ;-separated lists and name=path datastores', () => {
    const config = parseHypervConfig('C:\\agent', {
      'image-dirs': 'D:\\Images; E:\\Images, old',
      datastores: 'fast=D:\\VMs;bulk=E:\\VMs',
      powershell: 'pwsh',
      'reserve-gib': '25',
      diskProvisioning: 'differencing',
      'guest-shutdown-timeout-ms': '300000',
    });
    expect(config).toMatchObject({
      dataDir: 'C:\\agent',
      imageDirs: ['D:\\Images', 'E:\\Images, old'],
      datastores: [{ name: 'fast', path: 'D:\\VMs' }, { name: 'bulk', path: 'E:\\VMs' }],
      powershell: 'pwsh',
      reserveGiB: 25,
      diskProvisioning: 'differencing',
      guestShutdownTimeoutMs: 300_000,
    });
    expect(() => resolveHypervConfig(config)).not.toThrow();
  });

  it('refuses unknown options and bad values', () => {
    expect(() => parseHypervConfig('C:\\agent', { 'vm-roots': 'D:\\VMs' })).toThrow("unknown hyperv option 'vm-roots'");
    expect(() => parseHypervConfig('C:\\agent', { reserveGiB: 'lots' })).toThrow('must be a number');
    expect(() => parseHypervConfig('C:\\agent', { datastores: 'D:\\VMs' })).toThrow('must be name=path');
  });
});
