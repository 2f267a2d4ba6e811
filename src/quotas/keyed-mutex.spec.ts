import { setTimeout as sleep } from 'node:timers/promises';
import { KeyedMutex } from './keyed-mutex';

describe(KeyedMutex.name, () => {
  it('runs work for one key one at a time, in arrival order', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const job = (name: string, ms: number) => mutex.runExclusive('tenant', async () => {
      log.push(`start ${name}`);
      await sleep(ms);
      log.push(`end ${name}`);
      return name;
    });
    expect(await Promise.all([job('a', 20), job('b', 1), job('c', 5)])).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('runs work for different keys side by side', async () => {
    const mutex = new KeyedMutex();
    let running = 0;
    let most = 0;
    await Promise.all(['a', 'b', 'c'].map((key) => mutex.runExclusive(key, async () => {
      running += 1;
      most = Math.max(most, running);
      await sleep(10);
      running -= 1;
    })));
    expect(most).toBe(3);
  });

  it('passes a failure to its caller and goes on with the next work for the key', async () => {
    const mutex = new KeyedMutex();
    const failing = mutex.runExclusive('tenant', async () => {
      throw new Error('boom');
    });
    const next = mutex.runExclusive('tenant', async () => 'next');
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
    await expect(mutex.runExclusive('tenant', async () => 'later')).resolves.toBe('later');
  });
});
