import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ImageFile, VirtualSwitch } from '../../../../src/contracts/agent-protocol';

export interface SimDatastoreConfig {
  name: string;
  totalGiB: number;
  /** Folder VMs are placed in; defaults to `<name>:\OpenHVX` for a drive letter, else a CSV-style path. */
  path?: string;
}

/**
 * What a simulated host is made of. Only `dataDir` is required; everything else has a default (most in
 * SIM_DEFAULTS). `onCrash` and `clock` exist for tests and cannot come from a CLI.
 */
export interface SimConfig {
  /** The host's own folder: `sim-host.json` (its VMs) and `sim-faults.json` (injected faults) live here. */
  dataDir: string;
  /** Defaults to `sim-` and a hash of the resolved dataDir: distinct per host, stable across restarts. */
  hostname?: string;
  cpuCores?: number;
  memoryMiB?: number;
  datastores?: SimDatastoreConfig[];
  /** Base duration of one step of an action (a create is about 3 steps); 0 makes every action immediate. */
  actionDelayMs?: number;
  /** The image library, on the first datastore. */
  images?: ImageFile[];
  switches?: VirtualSwitch[];
  /** Called when an injected crash fires; the default kills the process like a killed host agent would die. */
  onCrash?: () => void;
  /** Epoch milliseconds; injectable so uptime can be tested without waiting. */
  clock?: () => number;
}

export interface ResolvedSimDatastore {
  readonly name: string;
  readonly totalGiB: number;
  readonly path: string;
}

export interface ResolvedSimConfig {
  readonly dataDir: string;
  readonly hostname: string;
  readonly cpuCores: number;
  readonly memoryMiB: number;
  readonly datastores: readonly ResolvedSimDatastore[];
  readonly actionDelayMs: number;
  readonly images: readonly ImageFile[];
  readonly switches: readonly VirtualSwitch[];
  readonly onCrash: () => void;
  readonly clock: () => number;
}

export const SIM_DEFAULTS = Object.freeze({
  cpuCores: 16,
  memoryMiB: 65_536,
  datastores: [{ name: 'D', totalGiB: 2_000 }] as readonly SimDatastoreConfig[],
  actionDelayMs: 300,
  images: [
    { fileName: 'ubuntu-24.04.vhdx', sizeGiB: 2.5 },
    { fileName: 'rocky-10.vhdx', sizeGiB: 2 },
    { fileName: 'debian-13.vhdx', sizeGiB: 1.5 },
  ] as readonly ImageFile[],
  switches: [{ name: 'Default Switch', type: 'internal' }] as readonly VirtualSwitch[],
});

/** Exit code of a SIGKILLed process, so a supervisor sees the same thing as for a killed agent. */
const KILLED_EXIT_CODE = 137;

export function defaultDatastorePath(name: string): string {
  return /^[A-Za-z]$/.test(name) ? `${name.toUpperCase()}:\\OpenHVX` : `C:\\ClusterStorage\\${name}\\OpenHVX`;
}

function defaultHostname(dataDir: string): string {
  return `sim-${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 8)}`;
}

const positiveInt = z.coerce.number().int().positive();
const datastoreSchema = z.object({ name: z.string().min(1).max(255), totalGiB: z.coerce.number().positive(), path: z.string().min(1).max(1024).optional() });
const imageSchema = z.object({ fileName: z.string().min(1).max(255), sizeGiB: z.coerce.number().nonnegative() });
const switchSchema = z.object({ name: z.string().min(1).max(255), type: z.enum(['external', 'internal', 'private']) });

/**
 * `name=value,name=value` (a CLI flag or an environment variable) to `[{[key]: name, [valueKey]: value}]`.
 * `=` rather than `:` because datastore names are drive letters.
 */
function pairList(keyName: string, valueName: string) {
  return (input: unknown) => {
    if (typeof input !== 'string') return input;
    return input
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry.length > 0)
      .map((entry) => {
        const at = entry.lastIndexOf('=');
        return at < 0 ? { [keyName]: entry } : { [keyName]: entry.slice(0, at).trim(), [valueName]: entry.slice(at + 1).trim() };
      });
  };
}

const unique = <T>(key: (item: T) => string, what: string) =>
  (items: T[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    for (const item of items) {
      const k = key(item).toLowerCase();
      if (seen.has(k)) ctx.addIssue({ code: 'custom', message: `duplicate ${what} '${key(item)}'` });
      seen.add(k);
    }
  };

const cliSchema = z.strictObject({
  dataDir: z.string().min(1),
  hostname: z.string().min(1).max(255).optional(),
  cpuCores: positiveInt.optional(),
  memoryMiB: positiveInt.optional(),
  actionDelayMs: z.coerce.number().int().nonnegative().optional(),
  datastores: z.preprocess(pairList('name', 'totalGiB'), z.array(datastoreSchema).min(1).max(64).superRefine(unique((d) => d.name, 'datastore'))).optional(),
  images: z.preprocess(pairList('fileName', 'sizeGiB'), z.array(imageSchema).max(1_000).superRefine(unique((i) => i.fileName, 'image'))).optional(),
  switches: z.preprocess(pairList('name', 'type'), z.array(switchSchema).max(256).superRefine(unique((s) => s.name, 'switch'))).optional(),
});

/** Option names as written in camelCase (JSON) or kebab-case (`--sim-action-delay-ms`), case-insensitively. */
const OPTION_NAMES = new Map(Object.keys(cliSchema.shape).map((key) => [key.toLowerCase(), key]));

/**
 * Builds a SimConfig from options as a CLI, environment or JSON file gives them, validated once at boot.
 *
 * Keys, camelCase or kebab-case (`action-delay-ms`); unknown keys are refused, so a typo fails loudly:
 * - `dataDir`: string, required; `hostname`: string, defaults to one derived from dataDir
 * - `cpuCores`, `memoryMiB`, `actionDelayMs`: numbers or numeric strings
 * - `datastores`: `[{ name, totalGiB, path? }]` or `"D=2000,E=500"`
 * - `images`: `[{ fileName, sizeGiB }]` or `"ubuntu-24.04.vhdx=2.5,rocky-10.vhdx=2"`
 * - `switches`: `[{ name, type }]` or `"Default Switch=internal,LAN=external"`
 *
 * Absent keys are left undefined so SIM_DEFAULTS apply; throws an Error naming the bad option.
 */
export function parseSimConfig(input: Record<string, unknown>): SimConfig {
  const defined = Object.fromEntries(
    Object.entries(input)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [OPTION_NAMES.get(key.replaceAll('-', '').toLowerCase()) ?? key, value]),
  );
  const result = cliSchema.safeParse(defined);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`invalid sim option ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data;
}

/** Fills in the defaults; the driver only ever reads the resolved, frozen form. */
export function resolveSimConfig(config: SimConfig): ResolvedSimConfig {
  const datastores = (config.datastores ?? SIM_DEFAULTS.datastores).map((d) =>
    Object.freeze({ name: d.name, totalGiB: d.totalGiB, path: d.path ?? defaultDatastorePath(d.name) }),
  );
  if (datastores.length === 0) throw new Error('a simulated host needs at least one datastore');
  return Object.freeze({
    dataDir: config.dataDir,
    hostname: config.hostname ?? defaultHostname(config.dataDir),
    cpuCores: config.cpuCores ?? SIM_DEFAULTS.cpuCores,
    memoryMiB: config.memoryMiB ?? SIM_DEFAULTS.memoryMiB,
    datastores: Object.freeze(datastores),
    actionDelayMs: config.actionDelayMs ?? SIM_DEFAULTS.actionDelayMs,
    images: Object.freeze((config.images ?? SIM_DEFAULTS.images).map((i) => Object.freeze({ ...i }))),
    switches: Object.freeze((config.switches ?? SIM_DEFAULTS.switches).map((s) => Object.freeze({ ...s }))),
    onCrash: config.onCrash ?? (() => process.exit(KILLED_EXIT_CODE)),
    clock: config.clock ?? Date.now,
  });
}
