import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DatastoreRef, DEFAULT_SCRIPT_TIMEOUTS_MS, HYPERV_SCRIPTS, HypervScript } from './hyperv-script-params';

export interface HypervDriverConfig {
  /** The driver's folder in the agent's data folder; nothing is kept there yet (seed ISOs go in each VM's folder). */
  dataDir: string;
  /** Where VMs go when no other datastore is configured: the default datastore's folder. */
  vmRoot?: string;
  /** Folders searched, in order, for the `.vhdx` images a VM is created from. */
  imageDirs?: string[];
  /** Datastores VMs are placed on (`<path>\<vmId>` per VM); default: one named `default` at vmRoot. */
  datastores?: DatastoreRef[];
  /** `powershell.exe` (Windows PowerShell 5.1, on every Hyper-V host) or `pwsh` (PowerShell 7), or a full path to either. */
  powershell?: string;
  /** Folder of host-loop.ps1 and the scripts; default agent/scripts. */
  scriptDir?: string;
  /** `copy` gives each VM an independent disk; `differencing` is instant but ties VMs to an image file that must then never change. */
  diskProvisioning?: 'copy' | 'differencing';
  /** Switch for VMs created without one; default the host's first switch by name. */
  defaultSwitch?: string;
  /** Space a create or clone must leave free on its datastore, so running VMs' disks can still grow. */
  reserveGiB?: number;
  /**
   * How long the guest has to shut down when an edit restarts its VM, before the VM is turned off. Shorter
   * than the vm-edit script timeout, which would otherwise kill the edit with the VM down.
   */
  guestShutdownTimeoutMs?: number;
  startTimeoutMs?: number;
  scriptTimeoutsMs?: Partial<Record<HypervScript, number>>;
  /** Host output that is not an answer (cmdlet warnings, stderr), for the agent's log. */
  onHostOutput?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Replaces the PowerShell command line: tests run a stand-in host loop. */
  hostLoopCommand?: { executable: string; args: string[]; env?: Record<string, string> };
}

export interface ResolvedHypervConfig {
  readonly dataDir: string;
  readonly vmRoot: string;
  readonly imageDirs: readonly string[];
  readonly datastores: readonly DatastoreRef[];
  readonly powershell: string;
  readonly scriptDir: string;
  readonly diskProvisioning: 'copy' | 'differencing';
  readonly defaultSwitch: string | null;
  readonly reserveGiB: number;
  readonly guestShutdownTimeoutMs: number;
  readonly startTimeoutMs: number;
  readonly scriptTimeoutsMs: Readonly<Record<HypervScript, number>>;
  readonly onHostOutput: (line: string, stream: 'stdout' | 'stderr') => void;
  readonly hostLoopCommand: { readonly executable: string; readonly args: readonly string[]; readonly env?: Readonly<Record<string, string>> };
}

/** The bundle (agent/dist/openhvx-agent.js) ships the scripts beside itself; from source they live in agent/scripts. */
function defaultScriptDir(): string {
  const bundled = join(__dirname, 'scripts');
  return existsSync(join(bundled, 'host-loop.ps1')) ? bundled : join(__dirname, '..', '..', '..', 'scripts');
}

export const HYPERV_DEFAULTS = Object.freeze({
  vmRoot: 'C:\\ProgramData\\OpenHVX\\VMs',
  imageDirs: Object.freeze(['C:\\ProgramData\\OpenHVX\\Images']),
  powershell: 'powershell.exe',
  scriptDir: defaultScriptDir(),
  diskProvisioning: 'copy' as const,
  reserveGiB: 10,
  // Hyper-V's own Stop-VM -Force gives applications about this long; most guests need far less.
  guestShutdownTimeoutMs: 120_000,
  startTimeoutMs: 60_000,
});

/**
 * A local or UNC folder: the scripts hand these to Hyper-V and to -LiteralPath, and compare them as
 * prefixes, so relative paths, `..` and wildcard characters are refused up front.
 */
const windowsFolder = z
  .string()
  .min(3)
  .max(240)
  .regex(/^(?:[A-Za-z]:\\|\\\\[^\\/]+\\[^\\/]+)/, 'must be an absolute Windows path (C:\\... or \\\\server\\share\\...)')
  .refine((p) => !/[<>"|?*\u0000-\u001f]/.test(p.slice(2)) && !/(^|\\)\.\.(\\|$)/.test(p) && !p.includes('/'), 'has characters a Windows folder path cannot have');

const datastoreSchema = z.object({ name: z.string().min(1).max(255), path: windowsFolder });

function uniqueBy<T>(key: (item: T) => string, what: string) {
  return (items: readonly T[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    for (const item of items) {
      const k = key(item).toLowerCase();
      if (seen.has(k)) ctx.addIssue({ code: 'custom', message: `duplicate ${what} '${key(item)}'` });
      seen.add(k);
    }
  };
}

const configSchema = z.object({
  dataDir: z.string().min(1),
  vmRoot: windowsFolder.optional(),
  imageDirs: z.array(windowsFolder).min(1).max(32).optional(),
  datastores: z.array(datastoreSchema).min(1).max(64).superRefine(uniqueBy((d: DatastoreRef) => d.name, 'datastore')).optional(),
  powershell: z
    .string()
    .regex(/^(?:.*[\\/])?(?:powershell|pwsh)(?:\.exe)?$/i, "must be powershell.exe or pwsh (or a full path to one)")
    .optional(),
  scriptDir: z.string().min(1).optional(),
  diskProvisioning: z.enum(['copy', 'differencing']).optional(),
  defaultSwitch: z.string().min(1).max(255).optional(),
  reserveGiB: z.number().nonnegative().max(1_048_576).optional(),
  guestShutdownTimeoutMs: z.number().int().min(1_000).optional(),
  startTimeoutMs: z.number().int().positive().optional(),
  scriptTimeoutsMs: z.partialRecord(z.enum(HYPERV_SCRIPTS), z.number().int().positive()).optional(),
});

/** Validates the configuration once at boot; a bad option throws an Error naming it. */
export function resolveHypervConfig(config: HypervDriverConfig): ResolvedHypervConfig {
  const { onHostOutput, hostLoopCommand, ...options } = config;
  const result = configSchema.safeParse(Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)));
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`invalid hyperv option ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const parsed = result.data;
  const scriptTimeoutsMs = Object.freeze({ ...DEFAULT_SCRIPT_TIMEOUTS_MS, ...parsed.scriptTimeoutsMs });
  const guestShutdownTimeoutMs = parsed.guestShutdownTimeoutMs ?? HYPERV_DEFAULTS.guestShutdownTimeoutMs;
  // The edit still has to change the VM and start it again once the guest is down.
  if (guestShutdownTimeoutMs > scriptTimeoutsMs['vm-edit'] / 2) {
    throw new Error(`invalid hyperv option guestShutdownTimeoutMs: ${guestShutdownTimeoutMs} ms leaves too little of the vm-edit script timeout (${scriptTimeoutsMs['vm-edit']} ms); at most half of it`);
  }
  const vmRoot = parsed.vmRoot ?? HYPERV_DEFAULTS.vmRoot;
  const powershell = parsed.powershell ?? HYPERV_DEFAULTS.powershell;
  const scriptDir = parsed.scriptDir ?? HYPERV_DEFAULTS.scriptDir;
  // Without a trailing backslash, except a drive root: `D:` alone means the current folder of drive D.
  const folder = (path: string) => (/^[A-Za-z]:\\$/.test(path) ? path : path.replace(/\\+$/, ''));
  const datastores = (parsed.datastores ?? [{ name: 'default', path: vmRoot }]).map((d) => Object.freeze({ name: d.name, path: folder(d.path) }));
  const command = hostLoopCommand ?? {
    executable: powershell,
    // -File, not -Command -: with -Command -, PowerShell reads stdin as code, and stdin carries request data.
    args: ['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', join(scriptDir, 'host-loop.ps1')],
  };
  return Object.freeze({
    dataDir: parsed.dataDir,
    vmRoot,
    imageDirs: Object.freeze([...(parsed.imageDirs ?? HYPERV_DEFAULTS.imageDirs)]),
    datastores: Object.freeze(datastores),
    powershell,
    scriptDir,
    diskProvisioning: parsed.diskProvisioning ?? HYPERV_DEFAULTS.diskProvisioning,
    defaultSwitch: parsed.defaultSwitch ?? null,
    reserveGiB: parsed.reserveGiB ?? HYPERV_DEFAULTS.reserveGiB,
    guestShutdownTimeoutMs,
    startTimeoutMs: parsed.startTimeoutMs ?? HYPERV_DEFAULTS.startTimeoutMs,
    scriptTimeoutsMs,
    onHostOutput: onHostOutput ?? (() => undefined),
    hostLoopCommand: Object.freeze({ ...command, args: Object.freeze([...command.args]) }),
  });
}

const OPTION_KEYS = ['vmRoot', 'imageDirs', 'datastores', 'powershell', 'scriptDir', 'diskProvisioning', 'defaultSwitch', 'reserveGiB', 'guestShutdownTimeoutMs', 'startTimeoutMs'] as const;
type OptionKey = (typeof OPTION_KEYS)[number];

/**
 * Builds a HypervDriverConfig from `--hyperv-<option> <value>` strings. Options are named as on the
 * command line (`vm-root`, `image-dirs`, `reserve-gib`...) or in camelCase (`vmRoot`): vm-root,
 * image-dirs, datastores, powershell, script-dir, disk-provisioning, default-switch, reserve-gib,
 * guest-shutdown-timeout-ms, start-timeout-ms. Lists are `;`-separated because Windows paths may hold commas:
 * `--hyperv-image-dirs "D:\Images;E:\Images"`, `--hyperv-datastores "fast=D:\VMs;bulk=E:\VMs"`.
 * Unknown options are refused, so a typo fails at start.
 */
export function parseHypervConfig(dataDir: string, options: Record<string, string>): HypervDriverConfig {
  const values: Partial<Record<OptionKey, string>> = {};
  for (const [name, value] of Object.entries(options)) {
    const key = OPTION_KEYS.find((k) => k.toLowerCase() === name.replace(/-/g, '').toLowerCase());
    if (!key) throw new Error(`unknown hyperv option '${name}'`);
    values[key] = value;
  }
  const list = (value: string | undefined) => value?.split(';').map((item) => item.trim()).filter((item) => item.length > 0);
  const number = (key: OptionKey) => {
    if (values[key] === undefined) return undefined;
    const value = Number(values[key]);
    if (!Number.isFinite(value)) throw new Error(`hyperv option ${key} must be a number, not '${values[key]}'`);
    return value;
  };
  const diskProvisioning = values.diskProvisioning;
  if (diskProvisioning !== undefined && diskProvisioning !== 'copy' && diskProvisioning !== 'differencing') {
    throw new Error(`hyperv option diskProvisioning must be copy or differencing, not '${diskProvisioning}'`);
  }
  return {
    dataDir,
    vmRoot: values.vmRoot,
    imageDirs: list(values.imageDirs),
    datastores: list(values.datastores)?.map((entry) => {
      const at = entry.indexOf('=');
      if (at <= 0) throw new Error(`hyperv datastore '${entry}' must be name=path`);
      return { name: entry.slice(0, at).trim(), path: entry.slice(at + 1).trim() };
    }),
    powershell: values.powershell,
    scriptDir: values.scriptDir,
    diskProvisioning,
    defaultSwitch: values.defaultSwitch,
    reserveGiB: number('reserveGiB'),
    guestShutdownTimeoutMs: number('guestShutdownTimeoutMs'),
    startTimeoutMs: number('startTimeoutMs'),
  };
}
