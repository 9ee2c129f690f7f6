import { describe, expect, it } from 'vitest';
import { KeyedQueue } from '../../engine/keyed-queue.ts';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('the per-entity queue', () => {
  it('runs one key’s tasks one after another, in order, whether each succeeds or fails', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const task =
      (name: string, fail = false) =>
      async () => {
        log.push(`${name} start`);
        await tick();
        log.push(`${name} end`);
        if (fail) throw new Error(name);
        return name;
      };
    const a = queue.run('p1', task('a', true));
    const b = queue.run('p1', task('b'));
    const c = queue.run('p1', task('c'));
    await expect(a).rejects.toThrow('a');
    await expect(b).resolves.toBe('b');
    await expect(c).resolves.toBe('c');
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('runs different keys’ tasks side by side', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
    };
    await Promise.all([queue.run('p1', task('p1')), queue.run('p2', task('p2'))]);
    expect(log).toEqual(['p1 start', 'p2 start', 'p1 end', 'p2 end']);
  });

  it('starts a task at once when nothing is queued for its key, also after a key’s queue has drained', async () => {
    const queue = new KeyedQueue();
    let started = false;
    const first = queue.run('p1', async () => {
      started = true;
    });
    expect(started).toBe(true);
    await first;
    await tick();
    started = false;
    void queue.run('p1', async () => {
      started = true;
    });
    expect(started).toBe(true);
  });

  it('a task that throws before it awaits is a rejection, and the key’s next task still runs', async () => {
    const queue = new KeyedQueue();
    const thrown = queue.run('p1', () => {
      throw new Error('at once');
    });
    await expect(thrown).rejects.toThrow('at once');
    await expect(queue.run('p1', async () => 'next')).resolves.toBe('next');
  });
});
