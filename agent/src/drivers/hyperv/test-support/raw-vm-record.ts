import { RawVm } from '../map-script-output';

/** A VM as the scripts return it (ConvertTo-OpenhvxVmRecord): an OpenHVX VM, running, with one disk and NIC. */
export function rawVm(overrides: Partial<RawVm> = {}): RawVm {
  return {
    Id: '5d3a7f0e-8f1c-4a3e-9b52-2f0c1a6d9e01',
    Name: 'web-1',
    State: 'Running',
    Generation: 2,
    ProcessorCount: 2,
    MemoryStartup: 2048 * 1024 ** 2,
    MemoryAssigned: 2048 * 1024 ** 2,
    UptimeSeconds: 3600,
    Notes: 'openhvx:vm-1',
    Disks: [{ Path: 'D:\\VMs\\vm-1\\vm-1.vhdx', Size: 20 * 1024 ** 3, FileSize: 3.5 * 1024 ** 3 }],
    Nics: [{ SwitchName: 'LAN', MacAddress: '00155D010203', IPAddresses: ['10.0.0.5', 'fe80::1'] }],
    ...overrides,
  };
}
