import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppendFile } from '../../store/append-file.ts';
import { FileStore, StoreError, type JournalDraft } from '../../store/index.ts';
import { tempDir } from '../support/temp-dir.ts';

// Hardening issue, defect 3: on ENOSPC every commit failed for good, even after space returned.

/** A real file whose writes fail (after writing `partial` bytes) while `failing` is set. */
async function flakyFile(path: string) {
  const handle = await open(path, 'a');
  const control = { failing: false, partial: 3 };
  const write = handle.write.bind(handle) as (b: Buffer, o: number, l: number) => Promise<{ bytesWritten: number }>;
  const datasync = handle.datasync.bind(handle);
  const enospc = () => Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
  Object.assign(handle, {
    datasync: async () => {
      if (control.failing) throw enospc();
      return datasync();
    },
    write: async (buffer: Buffer, offset: number, length: number) => {
      if (!control.failing) return write(buffer, offset, length);
      if (control.partial > 0) {
        // Part of the batch reaches the file, then the disk is full.
        await write(buffer, offset, Math.min(control.partial, length));
        control.partial = 0;
        return { bytesWritten: Math.min(3, length) };
      }
      throw enospc();
    },
  });
  return { handle, control };
}

describe('a journal write that fails', () => {
  it('is refused, leaves no partial bytes behind, and the next append works once the disk can be written', async () => {
    const dir = await tempDir();
    const path = join(dir, 'journal.jsonl');
    const { handle, control } = await flakyFile(path);
    const failures: string[] = [];
    const file = new AppendFile<number>(handle, 0, { onFailure: (f) => failures.push(f.code) });
    await file.append(Buffer.from('one\n'), 1);
    control.failing = true;
    await expect(file.append(Buffer.from('two\n'), 2)).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(failures).toEqual(['ENOSPC']);
    expect(file.failure).toMatchObject({ code: 'ENOSPC' });
    control.failing = false;
    await file.append(Buffer.from('three\n'), 3);
    expect(file.failure).toBeNull();
    await file.close();
    expect(await readFile(path, 'utf8')).toBe('one\nthree\n');
  });

  it(
    'in the file store: a refused commit keeps the hash chain unbroken, and commits resume without a ' + 'restart',
    async () => {
      const dir = await tempDir();
      const store = new FileStore(dir);
      await store.open();
      const draft = (n: number): JournalDraft => ({
        kind: 'refusal',
        entity: 'project',
        id: 'p1',
        at: '2022-08-01',
        actor: 'a',
        event: { n },
        version: 1,
        machineVersion: 1,
        recordedAt: 'x',
      });
      await store.commit(draft(1), null);
      // Swap in a failing handle for the journal.
      const { handle, control } = await flakyFile(join(dir, 'journal.jsonl'));
      const internals = store as unknown as { file: AppendFile<{ seq: number; hash: string }> };
      const real = internals.file;
      internals.file = new AppendFile(handle, real.durableBytes, (real as unknown as { hooks: object }).hooks);
      control.failing = true;
      const failed = await Promise.allSettled([store.commit(draft(2), null), store.commit(draft(3), null)]);
      expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
      expect((failed[0] as PromiseRejectedResult).reason).toBeInstanceOf(StoreError);
      expect((failed[0] as PromiseRejectedResult).reason).toMatchObject({
        code: 'journalWrite',
        message: expect.stringContaining('ENOSPC'),
      });
      expect(await store.health()).toMatchObject({ status: 'degraded', journal: { code: 'ENOSPC' } });
      control.failing = false;
      const resumed = await store.commit(draft(4), null);
      expect(resumed.seq).toBe(2);
      expect(await store.health()).toEqual({ status: 'ok' });
      await internals.file.close();
      internals.file = real;
      await store.close();
      const lines = (await readFile(join(dir, 'journal.jsonl'), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { seq: number; event: { n: number }; prevHash: string; hash: string });
      expect(lines.map((l) => [l.seq, l.event.n])).toEqual([
        [1, 1],
        [2, 4],
      ]);
      expect(lines[1]!.prevHash).toBe(lines[0]!.hash);
    },
  );
});
