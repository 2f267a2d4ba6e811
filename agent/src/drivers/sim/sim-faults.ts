import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { JOB_ERROR_CODES } from '../../../../src/contracts/agent-protocol';
import { DriverError } from '../host-driver';
import { writeFileAtomicSync } from './write-file-atomic-sync';

/**
 * `<dataDir>/sim-faults.json`, written by tests while the agent runs (absent file = no faults):
 *
 * ```json
 * {
 *   "fail":   { "vm.create": { "count": 2, "code": "HYPERVISOR_ERROR", "message": "…", "retryable": false } },
 *   "crash":  { "vm.power": true },
 *   "silent": true
 * }
 * ```
 * - `fail`: the next `count` runs of that action reject with a DriverError (default code HYPERVISOR_ERROR,
 *   not retryable); each run decrements the count in the file.
 * - `crash`: the next run of that action dies after its first progress report, before its change is
 *   saved; the flag is cleared first so the restarted agent completes the re-run job.
 * - `silent`: the agent core stops sending while true, like a hung host.
 *
 * Unknown keys are refused so a typo in a test fails loudly. Prefer `writeSimFaults` (temp file + rename);
 * a plain in-place rewrite also works, as a torn read is retried once after a short pause.
 */
export const SimFaultsSchema = z.strictObject({
  fail: z
    .record(
      z.string(),
      z.strictObject({
        count: z.number().int().nonnegative(),
        code: z.enum(JOB_ERROR_CODES).optional(),
        message: z.string().max(4_096).optional(),
        retryable: z.boolean().optional(),
      }),
    )
    .optional(),
  crash: z.record(z.string(), z.boolean()).optional(),
  silent: z.boolean().optional(),
});
export type SimFaults = z.infer<typeof SimFaultsSchema>;

export const SIM_FAULTS_FILE = 'sim-faults.json';

/** Atomically replaces `<dataDir>/sim-faults.json`; for tests and for the driver's own bookkeeping. */
export function writeSimFaults(dataDir: string, faults: SimFaults): void {
  writeFileAtomicSync(join(dataDir, SIM_FAULTS_FILE), JSON.stringify(faults, null, 2));
}

function parseFaults(file: string, data: unknown): SimFaults {
  const result = SimFaultsSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new DriverError('INTERNAL', `${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data;
}

/** What a run must do after the fault file was consulted. */
export interface FaultPlan {
  crash: boolean;
}

/** How long a torn read of the fault file waits before reading again. */
const TORN_READ_PAUSE_MS = 20;

const NO_FAULTS: FaultPlan = Object.freeze({ crash: false });

/**
 * One host's fault file. All state is per instance: many sim hosts share one process in benchmarks.
 *
 * File access is synchronous (see writeFileAtomicSync): each read-modify-write of a count or flag
 * completes before another action of this host can look, so two concurrent runs never consume one fault.
 */
export class SimFaultInjector {
  private readonly file: string;
  private silentCache: { key: string; silent: boolean } | null = null;

  constructor(private readonly dataDir: string) {
    this.file = join(dataDir, SIM_FAULTS_FILE);
  }

  /** Consults the fault file at the start of an action: throws when a `fail` is armed, consuming one. */
  beginAction(action: string): FaultPlan {
    const faults = this.read();
    if (!faults) return NO_FAULTS;
    const fail = faults.fail?.[action];
    if (fail && fail.count > 0) {
      const rest = { ...faults.fail };
      if (fail.count > 1) rest[action] = { ...fail, count: fail.count - 1 };
      else delete rest[action];
      writeSimFaults(this.dataDir, { ...faults, fail: rest });
      throw new DriverError(fail.code ?? 'HYPERVISOR_ERROR', fail.message ?? `simulated ${action} failure (sim-faults.json)`, fail.retryable ?? false);
    }
    return { crash: faults.crash?.[action] === true };
  }

  /** Disarms a crash before the process dies, so the re-run of the job after a restart completes. */
  clearCrash(action: string): void {
    const faults = this.read();
    if (!faults?.crash?.[action]) return;
    const crash = { ...faults.crash };
    delete crash[action];
    writeSimFaults(this.dataDir, { ...faults, crash });
  }

  /**
   * Asked before every frame the agent core sends, so it must be cheap: a stat per call, and the file is
   * only parsed again when its inode, size or mtime changed (writers rename, so the inode changes).
   */
  isSilent(): boolean {
    const stat = statSync(this.file, { throwIfNoEntry: false });
    if (!stat) {
      this.silentCache = null;
      return false;
    }
    const key = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    if (this.silentCache?.key === key) return this.silentCache.silent;
    let silent = this.silentCache?.silent ?? false;
    try {
      silent = parseFaults(this.file, JSON.parse(readFileSync(this.file, 'utf8'))).silent === true;
    } catch {
      // A broken file is reported by the next action; until it is fixed the last known answer stands.
    }
    this.silentCache = { key, silent };
    return silent;
  }

  /** Null when there is no fault file, which is almost always: an existence check answers that cheaply. */
  private read(): SimFaults | null {
    if (!existsSync(this.file)) return null;
    try {
      return this.readOnce();
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      // A writer that truncates and rewrites in place (plain writeFileSync) can be caught half-way; such
      // a write takes microseconds, so one short pause tells a torn read from a broken file. This is
      // the rare path only, hence the blocking wait in otherwise synchronous code.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, TORN_READ_PAUSE_MS);
      try {
        return this.readOnce();
      } catch (retryError) {
        if (retryError instanceof SyntaxError) throw new DriverError('INTERNAL', `${this.file} is not valid JSON`);
        throw retryError;
      }
    }
  }

  /** Throws a SyntaxError for content that is not JSON, a DriverError for JSON that is not a fault file. */
  private readOnce(): SimFaults | null {
    let raw: string;
    try {
      raw = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return parseFaults(this.file, JSON.parse(raw));
  }
}
