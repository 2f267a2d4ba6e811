import { Mutex } from 'async-mutex';

/**
 * One async-mutex per key, created on demand and dropped once nobody waits for it: work for one key
 * runs one at a time in this process, work for different keys runs in parallel.
 */
export class KeyedMutex {
  private readonly entries = new Map<string, { mutex: Mutex; users: number }>();

  async runExclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { mutex: new Mutex(), users: 0 };
      this.entries.set(key, entry);
    }
    entry.users += 1;
    try {
      return await entry.mutex.runExclusive(work);
    } finally {
      entry.users -= 1;
      if (entry.users === 0) this.entries.delete(key);
    }
  }
}
