import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { JobError } from '../../../src/contracts/agent-protocol';

export type JobResult = { ok: true; output: unknown } | { ok: false; error: JobError };
interface StoredResult {
  result: JobResult;
  finishedAt: number;
}

const KEEP_MAX = 1_000;
const KEEP_FOR_MS = 7 * 24 * 3600_000;

/**
 * Results of finished jobs, kept on disk across restarts: BullMQ may deliver a job again (after a
 * server or agent restart), and the answer must then be the remembered one, not a second run.
 */
export class JobResultStore {
  private results = new Map<string, StoredResult>();

  constructor(private readonly file: string) {
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, StoredResult>;
      this.results = new Map(Object.entries(saved));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`Cannot read ${file}: ${(error as Error).message}`);
    }
  }

  get(jobId: string): JobResult | undefined {
    return this.results.get(jobId)?.result;
  }

  /** Saved synchronously, so a crash right after a job finished cannot lose its result. */
  put(jobId: string, result: JobResult): void {
    this.results.set(jobId, { result, finishedAt: Date.now() });
    this.prune();
    mkdirSync(dirname(this.file), { recursive: true });
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, JSON.stringify(Object.fromEntries(this.results)), { mode: 0o600 });
    renameSync(temp, this.file);
  }

  private prune(): void {
    const oldest = Date.now() - KEEP_FOR_MS;
    for (const [jobId, stored] of this.results) {
      if (stored.finishedAt < oldest || this.results.size > KEEP_MAX) this.results.delete(jobId);
      else break; // Map keeps insertion order: the rest is newer
    }
  }
}
