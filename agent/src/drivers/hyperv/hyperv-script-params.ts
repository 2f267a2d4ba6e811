import { win32 } from 'node:path';
import { ActionParams } from '../../../../src/contracts/agent-protocol';
import { SEED_ISO_FILE_NAME } from '../../cloud-init/nocloud-seed-iso';

/**
 * The scripts in agent/scripts the driver runs, and the -Params each one receives. The property names
 * are the ones the scripts read (`$Params.VmId`...); the static spec checks both sides agree.
 * Sizes travel in bytes, as the Hyper-V cmdlets take them.
 */
export const HYPERV_SCRIPTS = ['host-facts', 'inventory', 'vm-create', 'vm-edit', 'vm-clone', 'vm-power', 'vm-delete', 'vm-adopt', 'vm-console-pipe'] as const;
export type HypervScript = (typeof HYPERV_SCRIPTS)[number];

/**
 * How long each script may run before the session is killed. Generous: the job's own timeout (from the
 * server) aborts sooner; these only catch a PowerShell that hangs. Copying an image or a clone's disks
 * and a graceful guest shutdown (Hyper-V gives the guest minutes) are the slow ones. vm-edit's must leave
 * room for the guest's shutdown wait of a restarting edit, plus the change and the start (the config checks).
 */
export const DEFAULT_SCRIPT_TIMEOUTS_MS: Readonly<Record<HypervScript, number>> = Object.freeze({
  'host-facts': 60_000,
  inventory: 300_000,
  'vm-create': 3_600_000,
  'vm-edit': 600_000,
  'vm-clone': 3_600_000,
  'vm-power': 900_000,
  'vm-delete': 900_000,
  'vm-adopt': 120_000,
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

/**
 * A VM's cloud-init seed ISO goes in its folder as `<SeedIsoFileName>`, so vm-delete and a rollback
 * remove it with the folder. The file name rather than a full path, because vm-clone picks the folder
 * itself (on the datastore of the source's disks).
 *
 * The seed ISO travels to the script as base64 JSON data, and the script writes it inside the step it
 * rolls back: written any earlier, a create refused by the script's checks (name taken, no space) or a
 * re-run answered with the existing VM would leave a file behind or overwrite the ISO that VM has
 * attached. At most ~1.6 MB of text with the protocol's seed limits, under the 2 MB that even old
 * ConvertFrom-Json accepts.
 */
export type SeedIsoParams = { SeedIsoFileName: string; SeedIsoBase64: string | null };

function seedIsoParams(seedIso: Uint8Array | null): SeedIsoParams {
  return { SeedIsoFileName: SEED_ISO_FILE_NAME, SeedIsoBase64: seedIso === null ? null : Buffer.from(seedIso).toString('base64') };
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
  ConsolePipePath: string;
  ReserveBytes: number;
  Start: boolean;
} & SeedIsoParams;

export interface VmCreateSetting {
  datastorePath: string;
  imageDirs: readonly string[];
  diskProvisioning: 'copy' | 'differencing';
  defaultSwitch: string | null;
  /** The NoCloud seed ISO image, or null for a VM without cloud-init. */
  seedIso: Uint8Array | null;
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
    ...seedIsoParams(setting.seedIso),
    ConsolePipePath: consolePipePath(p.vmId),
    ReserveBytes: setting.reserveGiB * GIB,
    Start: p.start,
  };
}

export type VmEditParams = {
  VmId: string;
  ProcessorCount: number | null;
  MemoryStartupBytes: number | null;
  DiskSizeBytes: number | null;
  /** A running VM whose change needs it off is shut down, changed and started again (else VM_MUST_BE_OFF). */
  Restart: boolean;
  /** How long the guest has to shut down before the VM is turned off. */
  ShutdownTimeoutSeconds: number;
};

export function vmEditParams(p: ActionParams<'vm.edit'>, guestShutdownTimeoutMs: number): VmEditParams {
  return {
    VmId: p.vmId,
    ProcessorCount: p.vcpu ?? null,
    MemoryStartupBytes: p.memoryMiB === undefined ? null : p.memoryMiB * MIB,
    DiskSizeBytes: p.diskGiB === undefined ? null : p.diskGiB * GIB,
    Restart: p.restart ?? false,
    ShutdownTimeoutSeconds: Math.ceil(guestShutdownTimeoutMs / 1000),
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
} & SeedIsoParams;

/** `seedIso`: the copy's own seed (new instance-id and hostname), or null to attach none. */
export function vmCloneParams(p: ActionParams<'vm.clone'>, datastores: readonly DatastoreRef[], reserveGiB: number, seedIso: Uint8Array | null): VmCloneParams {
  return {
    SourceVmId: p.source.vmId,
    TargetVmId: p.target.vmId,
    TargetName: p.target.name,
    DatastorePaths: datastores.map((d) => d.path),
    ConsolePipePath: consolePipePath(p.target.vmId),
    ReserveBytes: reserveGiB * GIB,
    Start: p.target.start,
    ...seedIsoParams(seedIso),
  };
}

export type VmPowerParams = { VmId: string; Action: ActionParams<'vm.power'>['action'] };

export function vmPowerParams(p: ActionParams<'vm.power'>): VmPowerParams {
  return { VmId: p.vmId, Action: p.action };
}

export type VmDeleteParams = { VmId: string; Force: boolean; VmFolders: string[]; ImageDirs: string[] };

export function vmDeleteParams(p: ActionParams<'vm.delete'>, setting: { datastores: readonly DatastoreRef[]; imageDirs: readonly string[] }): VmDeleteParams {
  return {
    VmId: p.vmId,
    Force: p.force,
    // Every datastore: a VM's folder (its disks and seed ISO) is where it was created, which the request does not say.
    VmFolders: setting.datastores.map((d) => vmFolder(d.path, p.vmId)),
    ImageDirs: [...setting.imageDirs],
  };
}

/** `PipePath`: where COM1 goes when the VM is off (a running VM keeps its port until the console connects it). */
export type VmAdoptParams = { VmId: string; HypervisorId: string; PipePath: string };

export function vmAdoptParams(p: ActionParams<'vm.adopt'>): VmAdoptParams {
  return { VmId: p.vmId, HypervisorId: p.hypervisorId, PipePath: consolePipePath(p.vmId) };
}

export type VmConsolePipeParams = { VmId: string; PipePath: string };

export function vmConsolePipeParams(vmId: string): VmConsolePipeParams {
  return { VmId: vmId, PipePath: consolePipePath(vmId) };
}
