import { randomUUID } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Writes `path` through a temp file renamed over it, so a process killed mid-write (the crash fault does
 * exactly that) leaves the previous content intact.
 *
 * Synchronous on purpose: the files are a few KB, and a sync write+rename costs about half of the two
 * thread-pool round trips of its async twin, which dominate a benchmark host running at actionDelayMs 0.
 * It also makes "saved before the job answers" hold without any write queue, and gives concurrent
 * actions of one host nothing to interleave with.
 */
export function writeFileAtomicSync(path: string, content: string): void {
  const temp = `${path}.${randomUUID()}.tmp`;
  try {
    writeFileSync(temp, content);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
