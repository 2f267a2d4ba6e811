import { z } from 'zod';
import {
  HostFacts,
  HostFactsSchema,
  HYPERV_VM_STATES,
  HypervVmState,
  ImageFile,
  Inventory,
  InventorySchema,
  InventoryVm,
  InventoryVmSchema,
  VirtualSwitch,
} from '../../../../src/contracts/agent-protocol';
import { DriverError } from '../host-driver';

/*
 * What the scripts return (PowerShell property names, bytes, Hyper-V's enum names) and its mapping to
 * the wire contract. Both shapes are validated: a script bug must fail the job as INTERNAL here, not send
 * garbage upstream.
 */

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;
const bytes = z.number().nonnegative();

const RawDiskSchema = z.object({ Path: z.string(), Size: bytes, FileSize: bytes });
const RawNicSchema = z.object({
  SwitchName: z.string().nullable(),
  MacAddress: z.string(),
  IPAddresses: z.array(z.string()).nullable().optional(),
});

export const RawVmSchema = z.object({
  Id: z.string().min(1),
  Name: z.string(),
  State: z.string(),
  Generation: z.number().int(),
  ProcessorCount: z.number().int(),
  MemoryStartup: bytes,
  MemoryAssigned: bytes,
  UptimeSeconds: bytes,
  Notes: z.string().nullable(),
  Disks: z.array(RawDiskSchema),
  Nics: z.array(RawNicSchema),
});
export type RawVm = z.infer<typeof RawVmSchema>;

export const RawHostFactsSchema = z.object({
  Hostname: z.string(),
  OsCaption: z.string(),
  OsVersion: z.string(),
  LogicalProcessorCount: z.number().int(),
  MemoryCapacity: bytes,
  FreePhysicalMemoryKiB: bytes,
  Datastores: z.array(z.object({ Name: z.string(), Path: z.string(), Size: bytes, SizeRemaining: bytes })),
});

export const RawInventorySchema = z.object({
  Vms: z.array(RawVmSchema),
  Switches: z.array(z.object({ Name: z.string(), SwitchType: z.string() })),
  Images: z.array(z.object({ FileName: z.string(), Size: bytes, FileSize: bytes })),
});

export const RawDeleteSchema = z.object({ Vm: RawVmSchema.nullable() });
/** How vm-edit took a VM down to change it: not at all, by the guest's own shutdown, or by turning it off. */
export const EDIT_RESTARTS = ['none', 'shutdown', 'turn-off'] as const;
export type EditRestart = (typeof EDIT_RESTARTS)[number];
export const RawEditSchema = z.object({ Vm: RawVmSchema, Restart: z.enum(EDIT_RESTARTS) });
export const RawConsolePipeSchema = z.object({ PipePath: z.string() });

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue.path.join('.') || '(root)'}: ${issue.message}`;
}

/** Parses what a script returned; anything else is a bug in the script (INTERNAL). */
export function parseScriptOutput<T>(script: string, schema: z.ZodType<T>, output: unknown): T {
  const result = schema.safeParse(output);
  if (!result.success) throw new DriverError('INTERNAL', `${script} returned a result the agent cannot read (${describe(result.error)})`);
  return result.data;
}

function checked<T>(script: string, schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new DriverError('INTERNAL', `${script} reported ${what} outside the protocol (${describe(result.error)})`);
  return result.data;
}

/** Sizes are reported in GiB with two decimals, like the sim driver does. */
function gib(value: number): number {
  return Math.round((value / GIB) * 100) / 100;
}

/**
 * Hyper-V's VM states (Microsoft.HyperV.PowerShell.VMState) to the protocol's. The *Critical variants
 * (storage trouble) keep their base state; FastSaved is a saved state kept in memory.
 */
const VM_STATES: Readonly<Record<string, HypervVmState>> = {
  running: 'running',
  off: 'off',
  starting: 'starting',
  stopping: 'stopping',
  saving: 'saving',
  saved: 'saved',
  pausing: 'pausing',
  paused: 'paused',
  resuming: 'resuming',
  reset: 'starting',
  fastsaved: 'saved',
  fastsaving: 'saving',
  forceshutdown: 'stopping',
  forcereboot: 'starting',
};

export function mapVmState(state: string): HypervVmState {
  const key = state.toLowerCase().replace(/critical$/, '');
  return VM_STATES[key] ?? (HYPERV_VM_STATES.includes(key as HypervVmState) ? (key as HypervVmState) : 'other');
}

/** The VM's OpenHVX id, from the `openhvx:<vmId>` line the scripts write into its notes. */
export function parseMarker(notes: string | null): string | undefined {
  const match = /^\s*openhvx:([A-Za-z0-9][A-Za-z0-9_.-]{0,127})\s*$/m.exec(notes ?? '');
  return match?.[1];
}

/** Hyper-V shows MACs as 12 hex digits; the protocol (like the sim) uses 00:15:5D:01:02:03. */
export function formatMac(mac: string): string {
  return /^[0-9a-f]{12}$/i.test(mac) ? mac.toUpperCase().match(/../g)!.join(':') : mac;
}

export function toInventoryVm(raw: RawVm): InventoryVm {
  const openhvxVmId = parseMarker(raw.Notes);
  return {
    hypervisorId: raw.Id,
    name: raw.Name,
    ...(openhvxVmId ? { openhvxVmId } : {}),
    state: mapVmState(raw.State),
    generation: raw.Generation as 1 | 2,
    vcpu: raw.ProcessorCount,
    // The configured size; what is assigned right now is 0 for a VM that is off.
    memoryMiB: Math.round((raw.MemoryStartup || raw.MemoryAssigned) / MIB),
    uptimeSeconds: raw.UptimeSeconds,
    disks: raw.Disks.map((disk) => ({ path: disk.Path, sizeGiB: gib(disk.Size), usedGiB: gib(disk.FileSize) })),
    nics: raw.Nics.map((nic) => ({ switchName: nic.SwitchName || null, macAddress: formatMac(nic.MacAddress), ipAddresses: nic.IPAddresses ?? [] })),
  };
}

/** A VM a script returned, checked against the wire contract. */
export function mapVm(script: string, output: unknown): InventoryVm {
  return checked(script, InventoryVmSchema, toInventoryVm(parseScriptOutput(script, RawVmSchema, output)), 'a VM');
}

export function mapHostFacts(output: unknown): HostFacts {
  const raw = parseScriptOutput('host-facts', RawHostFactsSchema, output);
  const facts: HostFacts = {
    hostname: raw.Hostname,
    os: raw.OsCaption,
    hypervVersion: raw.OsVersion,
    cpuCores: raw.LogicalProcessorCount,
    memoryMiB: Math.floor(raw.MemoryCapacity / MIB),
    freeMemoryMiB: Math.floor(raw.FreePhysicalMemoryKiB / 1024),
    datastores: raw.Datastores.map((d) => ({ name: d.Name, path: d.Path, totalGiB: gib(d.Size), freeGiB: gib(d.SizeRemaining) })),
  };
  return checked('host-facts', HostFactsSchema, facts, 'host facts');
}

const SWITCH_TYPES: Readonly<Record<string, VirtualSwitch['type']>> = { external: 'external', internal: 'internal', private: 'private' };

export function mapInventory(output: unknown): Inventory {
  const raw = parseScriptOutput('inventory', RawInventorySchema, output);
  const images = new Map<string, ImageFile>();
  for (const image of raw.Images) {
    const key = image.FileName.toLowerCase();
    // The first image folder wins, as vm-create searches them in order.
    if (!key.endsWith('.vhdx') || images.has(key)) continue;
    images.set(key, { fileName: image.FileName, sizeGiB: gib(image.Size > 0 ? image.Size : image.FileSize) });
  }
  const inventory: Inventory = {
    vms: raw.Vms.map(toInventoryVm),
    switches: raw.Switches.map((s) => {
      const type = SWITCH_TYPES[s.SwitchType.toLowerCase()];
      if (!type) throw new DriverError('INTERNAL', `inventory reported switch '${s.Name}' of unknown type '${s.SwitchType}'`);
      return { name: s.Name, type };
    }),
    images: [...images.values()],
  };
  return checked('inventory', InventorySchema, inventory, 'an inventory');
}
