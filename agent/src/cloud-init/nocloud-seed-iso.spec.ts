import { ActionParamsSchemas } from '../../../src/contracts/agent-protocol';
import { buildNoCloudSeedIso, CloudInitSeed } from './nocloud-seed-iso';
import { describeIso, listIso, readIsoFile, withIsoFile } from './test-support/isoinfo';

const seed: CloudInitSeed = {
  metaData: 'instance-id: vm-1\nlocal-hostname: café-01\n',
  userData: '#cloud-config\nusers:\n  - name: zoë\n    gecos: "Zoë Ünal — 管理者"\n    passwd: $6$rounds=4096$salt$hash\n',
  networkConfig: 'version: 2\nethernets:\n  eth0:\n    dhcp4: true\n',
};

describe(buildNoCloudSeedIso.name, () => {
  it('writes a CIDATA volume with meta-data, user-data and network-config as UTF-8, under their exact names', () => {
    withIsoFile(buildNoCloudSeedIso(seed), (iso) => {
      expect(describeIso(iso)).toMatch(/^Volume id: CIDATA$/m);
      expect(listIso(iso)).toEqual(['/meta-data', '/network-config', '/user-data']);
      expect(readIsoFile(iso, '/meta-data')).toEqual(Buffer.from(seed.metaData, 'utf8'));
      expect(readIsoFile(iso, '/user-data')).toEqual(Buffer.from(seed.userData, 'utf8'));
      expect(readIsoFile(iso, '/network-config')).toEqual(Buffer.from(seed.networkConfig!, 'utf8'));
    });
  });

  it('leaves network-config out when the seed has none, and keeps an empty user-data', () => {
    withIsoFile(buildNoCloudSeedIso({ metaData: 'instance-id: vm-2\n', userData: '' }), (iso) => {
      expect(listIso(iso)).toEqual(['/meta-data', '/user-data']);
      expect(readIsoFile(iso, '/user-data')).toEqual(Buffer.alloc(0));
    });
  });

  it('holds the largest seed the protocol allows, byte for byte', () => {
    // Three UTF-8 bytes per character: the worst case of the contract's character limits.
    const largest = ActionParamsSchemas['vm.create'].parse({
      vmId: 'vm-1', name: 'x', imageFileName: 'x.vhdx', generation: 2, vcpu: 1, memoryMiB: 512, diskGiB: 1, start: false,
      cloudInit: { metaData: '€'.repeat(65_536), userData: '#'.repeat(100) + '管'.repeat(262_044), networkConfig: 'ü'.repeat(65_536) },
    }).cloudInit!;
    const image = buildNoCloudSeedIso(largest);
    withIsoFile(image, (iso) => {
      expect(readIsoFile(iso, '/user-data')).toEqual(Buffer.from(largest.userData, 'utf8'));
      expect(readIsoFile(iso, '/meta-data')).toEqual(Buffer.from(largest.metaData, 'utf8'));
    });
    expect(image.length).toBeLessThan(1.3 * 1024 * 1024);
  });

  it('gives the same bytes for the same seed, and different bytes for another', () => {
    expect(buildNoCloudSeedIso(seed).equals(buildNoCloudSeedIso({ ...seed }))).toBe(true);
    expect(buildNoCloudSeedIso(seed).equals(buildNoCloudSeedIso({ ...seed, metaData: 'instance-id: vm-9\n' }))).toBe(false);
  });
});
