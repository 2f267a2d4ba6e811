import { DriverError } from '../host-driver';
import { formatMac, mapHostFacts, mapInventory, mapVm, mapVmState, parseMarker, toInventoryVm } from './map-script-output';
import { rawVm } from './test-support/raw-vm-record';

const GIB = 1024 ** 3;

function internalError(work: () => unknown): DriverError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(DriverError);
    expect((error as DriverError).code).toBe('INTERNAL');
    return error as DriverError;
  }
  throw new Error('expected an INTERNAL DriverError');
}

describe('map-script-output', () => {
  it('maps a VM record to the protocol: ids, state, sizes, MAC, addresses', () => {
    expect(toInventoryVm(rawVm())).toEqual({
      hypervisorId: '5d3a7f0e-8f1c-4a3e-9b52-2f0c1a6d9e01',
      name: 'web-1',
      openhvxVmId: 'vm-1',
      state: 'running',
      generation: 2,
      vcpu: 2,
      memoryMiB: 2048,
      uptimeSeconds: 3600,
      disks: [{ path: 'D:\\VMs\\vm-1\\vm-1.vhdx', sizeGiB: 20, usedGiB: 3.5 }],
      nics: [{ switchName: 'LAN', macAddress: '00:15:5D:01:02:03', ipAddresses: ['10.0.0.5', 'fe80::1'] }],
    });
  });

  it('reports the configured memory of a VM that is off, and no OpenHVX id for a VM without the marker', () => {
    const vm = toInventoryVm(rawVm({ State: 'Off', MemoryAssigned: 0, UptimeSeconds: 0, Notes: 'created by hand', Nics: [{ SwitchName: null, MacAddress: '000000000000', IPAddresses: null }] }));
    expect(vm.memoryMiB).toBe(2048);
    expect(vm).not.toHaveProperty('openhvxVmId');
    expect(vm.nics).toEqual([{ switchName: null, macAddress: '00:00:00:00:00:00', ipAddresses: [] }]);
  });

  it.each([
    ['Running', 'running'],
    ['Off', 'off'],
    ['Saved', 'saved'],
    ['FastSaved', 'saved'],
    ['PausedCritical', 'paused'],
    ['RunningCritical', 'running'],
    ['Starting', 'starting'],
    ['Reset', 'starting'],
    ['ComponentServicing', 'other'],
    ['Hibernated', 'other'],
  ])('maps Hyper-V state %s to %s', (state, expected) => {
    expect(mapVmState(state)).toBe(expected);
  });

  it('finds the marker on a line of its own among other notes', () => {
    expect(parseMarker('Web server for ACME\r\nopenhvx:64f1c0ffee\r\nowner: ops')).toBe('64f1c0ffee');
    expect(parseMarker('see openhvx:vm-1 for details')).toBeUndefined();
    expect(parseMarker(null)).toBeUndefined();
    expect(formatMac('00155dABCDEF')).toBe('00:15:5D:AB:CD:EF');
  });

  it('refuses a VM record the protocol cannot carry, as an INTERNAL error', () => {
    expect(internalError(() => mapVm('vm-power', { Id: 'x', Name: 'web' })).message).toMatch(/^vm-power returned a result the agent cannot read/);
    expect(internalError(() => mapVm('vm-power', rawVm({ Generation: 3 }))).message).toMatch(/^vm-power reported a VM outside the protocol \(generation/);
    expect(internalError(() => mapVm('vm-power', rawVm({ ProcessorCount: 0 }))).message).toContain('vcpu');
    expect(internalError(() => mapVm('vm-power', 'VM started')).message).toContain('cannot read');
    expect(internalError(() => mapVm('vm-power', [rawVm(), rawVm()])).message).toContain('cannot read');
  });

  it('maps host facts from bytes and KiB', () => {
    const facts = mapHostFacts({
      Hostname: 'HV01',
      OsCaption: 'Microsoft Windows Server 2022 Datacenter',
      OsVersion: '10.0.20348',
      LogicalProcessorCount: 32,
      MemoryCapacity: 256 * GIB,
      FreePhysicalMemoryKiB: 100 * 1024 * 1024,
      Datastores: [{ Name: 'fast', Path: 'D:\\VMs', Size: 1000 * GIB, SizeRemaining: 812.345 * GIB }],
    });
    expect(facts).toEqual({
      hostname: 'HV01',
      os: 'Microsoft Windows Server 2022 Datacenter',
      hypervVersion: '10.0.20348',
      cpuCores: 32,
      memoryMiB: 262_144,
      freeMemoryMiB: 102_400,
      datastores: [{ name: 'fast', path: 'D:\\VMs', totalGiB: 1000, freeGiB: 812.35 }],
    });
    expect(internalError(() => mapHostFacts({ Hostname: 'HV01' })).message).toMatch(/^host-facts returned/);
  });

  it('maps an inventory: switch types, .vhdx images once each (first folder wins), their virtual size', () => {
    const inventory = mapInventory({
      Vms: [rawVm(), rawVm({ Id: 'other', Name: 'legacy', Notes: '' })],
      Switches: [
        { Name: 'LAN', SwitchType: 'External' },
        { Name: 'Default Switch', SwitchType: 'Internal' },
      ],
      Images: [
        { FileName: 'ubuntu-24.04.vhdx', Size: 2.5 * GIB, FileSize: 1.2 * GIB },
        { FileName: 'UBUNTU-24.04.vhdx', Size: 9 * GIB, FileSize: 9 * GIB },
        { FileName: 'broken.vhdx', Size: 0, FileSize: 0.5 * GIB },
        { FileName: 'notes.vhdx.txt', Size: 0, FileSize: 1 },
      ],
    });
    expect(inventory.vms.map((vm) => vm.openhvxVmId)).toEqual(['vm-1', undefined]);
    expect(inventory.switches).toEqual([
      { name: 'LAN', type: 'external' },
      { name: 'Default Switch', type: 'internal' },
    ]);
    expect(inventory.images).toEqual([
      { fileName: 'ubuntu-24.04.vhdx', sizeGiB: 2.5 },
      { fileName: 'broken.vhdx', sizeGiB: 0.5 },
    ]);
    expect(internalError(() => mapInventory({ Vms: [], Switches: [{ Name: 'x', SwitchType: 'Weird' }], Images: [] })).message).toContain("unknown type 'Weird'");
  });
});
