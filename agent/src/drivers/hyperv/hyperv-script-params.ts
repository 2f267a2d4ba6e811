import { win32 } from 'node:path';
import { ActionParams } from '../../../../src/contracts/agent-protocol';

/**
 * The scripts in agent/scripts the driver runs, and the -Params each one receives. The property names
 * are the ones the scripts read (`$Params.VmId`...); the static spec checks both sides agree.
 * Sizes travel in bytes, as the Hyper-V cmdlets take them.
 */
export const HYPERV_SCRIPTS = ['host-facts', 'inventory', 'vm-create', 'vm-edit', 'vm-clone', 'vm-power', 'vm-delete', 'vm-console-pipe'] as const;
export type HypervScript = (typeof HYPERV_SCRIPTS)[number];

/**
 * How long each script may run before the session is killed. Generous: the job's own timeout (from the
 * server) aborts sooner; these only catch a PowerShell that hangs. Copying an image or a clone's disks
 * and a graceful guest shutdown (Hyper-V gives the guest minutes) are the slow ones.
 */
export const DEFAULT_SCRIPT_TIMEOUTS_MS: Readonly<Record<HypervScript, number>> = Object.freeze({
  'host-facts': 60_000,
  inventory: 300_000,
  'vm-create': 3_600_000,
  'vm-edit': 600_000,
  'vm-clone': 3_600_000,
  'vm-power': 900_000,
  'vm-delete': 900_000,
  'vm-console-pipe': 60_000,
});

export { VM_ID_PATTERN } from '../../../../src/contracts/agent-protocol';

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;

/** COM1 of every OpenHVX VM is this named pipe; the console relay connects to it. */
export function consolePipePath(vmId: string): string {
  return `\\\\.\\pipe\\openhvx-${vmId}-com1`;
}

/** Each VM's disks and Hyper-V files live in one folder of its own, named after its vmId. */
export function vmFolder(datastorePath: string, vmId: string): string {
  return win32.join(datastorePath, vmId);
}

/** Where a VM's cloud-init seed ISO is written, so vm-delete knows what to remove. */
export function seedIsoPath(dataDir: string, vmId: string): string {
  return win32.join(dataDir, 'seeds', `${vmId}.iso`);
}

export interface DatastoreRef {
  name: string;
  path: string;
}

export type HostFactsParams = { Datastores: Array<{ Name: string; Path: string }> };

export function hostFactsParams(datastores: readonly DatastoreRef[]): HostFactsParams {
  return { Datastores: datastores.map((d) => ({ Name: d.name, Path: d.path })) };
}

export type InventoryParams = { ImageDirs: string[] };

export function inventoryParams(imageDirs: readonly string[]): InventoryParams {
  return { ImageDirs: [...imageDirs] };
}

export type VmCreateParams = {
  VmId: string;
  Name: string;
  ImageFileName: string;
  ImageDirs: string[];
  DatastorePath: string;
  Generation: 1 | 2;
  ProcessorCount: number;
  MemoryStartupBytes: number;
  DiskSizeBytes: number;
  DiskProvisioning: 'copy' | 'differencing';
  SwitchName: string | null;
  SecureBootTemplate: string | null;
  SeedIsoPath: string | null;
  ConsolePipePath: string;
  ReserveBytes: number;
  Start: boolean;
};

export interface VmCreateSetting {
  datastorePath: string;
  imageDirs: readonly string[];
  diskProvisioning: 'copy' | 'differencing';
  defaultSwitch: string | null;
  seedIsoPath: string | null;
  reserveGiB: number;
}

export function vmCreateParams(p: ActionParams<'vm.create'>, setting: VmCreateSetting): VmCreateParams {
  return {
    VmId: p.vmId,
    Name: p.name,
    ImageFileName: p.imageFileName,
    ImageDirs: [...setting.imageDirs],
    DatastorePath: setting.datastorePath,
    Generation: p.generation,
    ProcessorCount: p.vcpu,
    MemoryStartupBytes: p.memoryMiB * MIB,
    DiskSizeBytes: p.diskGiB * GIB,
    DiskProvisioning: setting.diskProvisioning,
    SwitchName: p.switchName ?? setting.defaultSwitch,
    SecureBootTemplate: p.secureBootTemplate ?? null,
    SeedIsoPath: setting.seedIsoPath,
    ConsolePipePath: consolePipePath(p.vmId),
    ReserveBytes: setting.reserveGiB * GIB,
    Start: p.start,
  };
}

export type VmEditParams = { VmId: string; ProcessorCount: number | null; MemoryStartupBytes: number | null; DiskSizeBytes: number | null };

export function vmEditParams(p: ActionParams<'vm.edit'>): VmEditParams {
  return {
    VmId: p.vmId,
    ProcessorCount: p.vcpu ?? null,
    MemoryStartupBytes: p.memoryMiB === undefined ? null : p.memoryMiB * MIB,
    DiskSizeBytes: p.diskGiB === undefined ? null : p.diskGiB * GIB,
  };
}

export type VmCloneParams = {
  SourceVmId: string;
  TargetVmId: string;
  TargetName: string;
  DatastorePaths: string[];
  ConsolePipePath: string;
  ReserveBytes: number;
  Start: boolean;
};

export function vmCloneParams(p: ActionParams<'vm.clone'>, datastores: readonly DatastoreRef[], reserveGiB: number): VmCloneParams {
  return {
    SourceVmId: p.source.vmId,
    TargetVmId: p.target.vmId,
    TargetName: p.target.name,
    DatastorePaths: datastores.map((d) => d.path),
    ConsolePipePath: consolePipePath(p.target.vmId),
    ReserveBytes: reserveGiB * GIB,
    Start: p.target.start,
  };
}

export type VmPowerParams = { VmId: string; Action: ActionParams<'vm.power'>['action'] };

export function vmPowerParams(p: ActionParams<'vm.power'>): VmPowerParams {
  return { VmId: p.vmId, Action: p.action };
}

export type VmDeleteParams = { VmId: string; Force: boolean; VmFolders: string[]; SeedIsoPath: string; ImageDirs: string[] };

export function vmDeleteParams(p: ActionParams<'vm.delete'>, setting: { datastores: readonly DatastoreRef[]; imageDirs: readonly string[]; dataDir: string }): VmDeleteParams {
  return {
    VmId: p.vmId,
    Force: p.force,
    // Every datastore: a VM's folder is where it was created, which the request does not say.
    VmFolders: setting.datastores.map((d) => vmFolder(d.path, p.vmId)),
    SeedIsoPath: seedIsoPath(setting.dataDir, p.vmId),
    ImageDirs: [...setting.imageDirs],
  };
}

export type VmConsolePipeParams = { VmId: string; PipePath: string };

export function vmConsolePipeParams(vmId: string): VmConsolePipeParams {
  return { VmId: vmId, PipePath: consolePipePath(vmId) };
}
