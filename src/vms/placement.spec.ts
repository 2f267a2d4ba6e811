import { choosePlacement, PlacementHost, PlacementPolicy, PlacementRequest } from './placement';

const policy: PlacementPolicy = { cpuOvercommit: 4, memoryReserveMiB: 2_048 };
const request: PlacementRequest = { vcpu: 2, memoryMiB: 4_096, diskGiB: 20, imageFileName: 'ubuntu.vhdx' };

function host(overrides: Partial<PlacementHost> & { name: string }): PlacementHost {
  return {
    id: overrides.name,
    cpuCores: 8,
    memoryMiB: 34_816,
    datastoreFreeGiB: [500],
    imageFiles: new Set(['ubuntu.vhdx']),
    claimedVcpu: 0,
    claimedMemoryMiB: 0,
    inFlightDiskGiB: 0,
    ...overrides,
  };
}

const chosen = (hosts: PlacementHost[], req = request) => {
  const result = choosePlacement(req, hosts, policy);
  return 'host' in result ? result.host.name : result.refusal;
};

describe('choosePlacement', () => {
  it('refuses when there is no candidate host at all', () => {
    expect(chosen([])).toBe('no-host');
  });

  it('only considers hosts that have the image', () => {
    expect(chosen([host({ name: 'a', imageFiles: new Set(['rocky.vhdx']) })])).toBe('no-image');
    expect(chosen([host({ name: 'a', imageFiles: new Set(['rocky.vhdx']) }), host({ name: 'b' })])).toBe('b');
  });

  it('counts vCPUs against cores times the overcommit ratio', () => {
    expect(chosen([host({ name: 'a', claimedVcpu: 30 })])).toBe('a'); // 30 + 2 = 32 = 8 cores x 4
    expect(chosen([host({ name: 'a', claimedVcpu: 31 })])).toBe('no-room');
    const strict = choosePlacement(request, [host({ name: 'a', claimedVcpu: 7 })], { ...policy, cpuOvercommit: 1 });
    expect(strict).toEqual({ refusal: 'no-room' });
  });

  it('keeps the host memory reserve free', () => {
    expect(chosen([host({ name: 'a', claimedMemoryMiB: 34_816 - 2_048 - 4_096 })])).toBe('a');
    expect(chosen([host({ name: 'a', claimedMemoryMiB: 34_816 - 2_048 - 4_095 })])).toBe('no-room');
  });

  it('needs one datastore with room for the whole disk, after disks still being created', () => {
    expect(chosen([host({ name: 'a', datastoreFreeGiB: [15, 15] })])).toBe('no-room');
    expect(chosen([host({ name: 'a', datastoreFreeGiB: [15, 30] })])).toBe('a');
    expect(chosen([host({ name: 'a', datastoreFreeGiB: [30], inFlightDiskGiB: 11 })])).toBe('no-room');
  });

  it('spreads: the host with the most headroom after placement wins, whichever resource is tighter', () => {
    const busyCpu = host({ name: 'busy-cpu', claimedVcpu: 24 });
    const busyMemory = host({ name: 'busy-memory', claimedMemoryMiB: 24_000 });
    const idle = host({ name: 'idle' });
    expect(chosen([busyCpu, busyMemory, idle])).toBe('idle');
    expect(chosen([busyCpu, busyMemory])).toBe('busy-cpu'); // 6/32 CPU free beats ~14% memory free
  });

  it('breaks ties by name so placement is deterministic', () => {
    expect(chosen([host({ name: 'b' }), host({ name: 'a' })])).toBe('a');
  });

  it('fills hosts evenly when placing one VM after another', () => {
    const hosts = [host({ name: 'a' }), host({ name: 'b' }), host({ name: 'c' })];
    const placed: string[] = [];
    for (let i = 0; i < 6; i++) {
      const result = choosePlacement(request, hosts, policy);
      if (!('host' in result)) throw new Error(result.refusal);
      result.host.claimedVcpu += request.vcpu;
      result.host.claimedMemoryMiB += request.memoryMiB;
      placed.push(result.host.name);
    }
    expect(placed.sort()).toEqual(['a', 'a', 'b', 'b', 'c', 'c']);
  });
});
