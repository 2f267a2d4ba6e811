import { parseSimConfig, resolveSimConfig, SIM_DEFAULTS } from './sim-config';

describe(parseSimConfig.name, () => {
  it('takes the string forms a CLI or environment gives', () => {
    expect(
      parseSimConfig({
        dataDir: '/var/lib/sim-01',
        hostname: 'sim-01',
        cpuCores: '32',
        memoryMiB: '131072',
        actionDelayMs: '0',
        datastores: 'D=2000, E=500',
        images: 'ubuntu-24.04.vhdx=2.5,alpine.vhdx=0.2',
        switches: 'Default Switch=internal,LAN=external',
        ignoredBecauseUndefined: undefined,
      }),
    ).toEqual({
      dataDir: '/var/lib/sim-01',
      hostname: 'sim-01',
      cpuCores: 32,
      memoryMiB: 131_072,
      actionDelayMs: 0,
      datastores: [
        { name: 'D', totalGiB: 2_000 },
        { name: 'E', totalGiB: 500 },
      ],
      images: [
        { fileName: 'ubuntu-24.04.vhdx', sizeGiB: 2.5 },
        { fileName: 'alpine.vhdx', sizeGiB: 0.2 },
      ],
      switches: [
        { name: 'Default Switch', type: 'internal' },
        { name: 'LAN', type: 'external' },
      ],
    });
  });

  it('takes kebab-case names as `--sim-<option>` flags give them', () => {
    expect(parseSimConfig({ dataDir: '/d', 'action-delay-ms': '0', 'cpu-cores': '8', 'memory-mib': '8192' })).toEqual({
      dataDir: '/d',
      actionDelayMs: 0,
      cpuCores: 8,
      memoryMiB: 8_192,
    });
  });

  it('takes the object forms a JSON config file gives', () => {
    const config = parseSimConfig({ dataDir: '/d', hostname: 'h', datastores: [{ name: 'fast', totalGiB: 100, path: 'F:\\VMs' }] });
    expect(config.datastores).toEqual([{ name: 'fast', totalGiB: 100, path: 'F:\\VMs' }]);
  });

  it.each([
    [{ dataDir: '/d', hostname: 'h', cpuCores: 'many' }, 'cpuCores'],
    [{ dataDir: '/d', hostname: 'h', datastores: 'D=2000,d=10' }, "duplicate datastore 'd'"],
    [{ dataDir: '/d', hostname: 'h', datastores: '' }, 'datastores'],
    [{ dataDir: '/d', hostname: 'h', memoryMb: '1024' }, 'memoryMb'],
    [{ hostname: 'h' }, 'dataDir'],
  ])('refuses %j, naming the bad option', (input, named) => {
    expect(() => parseSimConfig(input)).toThrow(named);
  });
});

describe(resolveSimConfig.name, () => {
  it('fills in the defaults of a 16-core, 64 GiB host with one 2 TB datastore and three images', () => {
    const config = resolveSimConfig({ dataDir: '/d', hostname: 'h' });
    expect(config).toMatchObject({
      cpuCores: 16,
      memoryMiB: 65_536,
      actionDelayMs: 300,
      datastores: [{ name: 'D', totalGiB: 2_000, path: 'D:\\OpenHVX' }],
      images: SIM_DEFAULTS.images,
      switches: [{ name: 'Default Switch', type: 'internal' }],
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('derives a hostname from the dataDir: distinct per host, the same after a restart', () => {
    const a = resolveSimConfig({ dataDir: '/var/lib/a/sim' }).hostname;
    expect(a).toMatch(/^sim-[0-9a-f]{8}$/);
    expect(resolveSimConfig({ dataDir: '/var/lib/a/sim' }).hostname).toBe(a);
    expect(resolveSimConfig({ dataDir: '/var/lib/b/sim' }).hostname).not.toBe(a);
  });

  it('places a datastore that is not a drive letter under a cluster volume path', () => {
    expect(resolveSimConfig({ dataDir: '/d', hostname: 'h', datastores: [{ name: 'ssd-01', totalGiB: 10 }] }).datastores[0].path).toBe(
      'C:\\ClusterStorage\\ssd-01\\OpenHVX',
    );
  });
});
