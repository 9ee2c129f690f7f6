import { readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileStore, type JournalDraft, type JournalEntry } from '../../store/index.ts';
import { blobHash } from '../../store/blobs.ts';
import { tempDir } from '../support/temp-dir.ts';

const draft = (entity: string, id: string): JournalDraft => ({
  kind: 'event',
  entity,
  id,
  at: '2022-08-01',
  actor: 'u1',
  event: { type: 'X' },
  version: 2,
  machineVersion: 1,
  recordedAt: '2022-08-01T00:00:00.000Z',
});
const record = (entity: string, id: string) => ({
  entity,
  id,
  version: 2,
  machineVersion: 1,
  snapshot: '{}',
  tags: {},
  seq: 0,
});

describe('file store: entries committed together, and blobs', () => {
  it('commitAll writes a group in one piece; a start that finds part of the last group drops all of it', async () => {
    const dir = await tempDir();
    const store = new FileStore(dir);
    await store.open();
    await store.commit(draft('project', 'p0'), record('project', 'p0'));
    const group = await store.commitAll([
      { draft: draft('filing', 'f1'), record: record('filing', 'f1') },
      { draft: draft('project', 'p1'), record: record('project', 'p1') },
    ]);
    expect(group.map((e) => e.group)).toEqual([
      [1, 2],
      [2, 2],
    ]);
    await store.close({ checkpoint: false });
    // A power cut after the group's first line reached the disk, not its second.
    const path = join(dir, 'journal.jsonl');
    const lines = (await readFile(path, 'utf8')).split('\n');
    await truncate(path, Buffer.byteLength(`${lines[0]}\n${lines[1]}\n`));
    const again = new FileStore(dir);
    const tail: JournalEntry[] = [];
    await again.open((e) => {
      tail.push(e);
    });
    expect(tail.map((e) => e.seq)).toEqual([1]);
    expect(again.tornTail).toMatch(/group/);
    expect(await again.history('filing', 'f1')).toEqual([]);
    // The next entry takes seq 2 again, linked to entry 1.
    const next = await again.commit(draft('project', 'p2'), null);
    expect(next.seq).toBe(2);
    await again.close();
  });

  it('a blob is stored once under its sha256, read back, and an altered one is reported', async () => {
    const dir = await tempDir();
    const store = new FileStore(dir);
    await store.open();
    const bytes = Buffer.from('%PDF-1.4 施工许可证');
    const hash = await store.putBlob(bytes);
    expect(hash).toBe(blobHash(bytes));
    expect(await store.putBlob(bytes)).toBe(hash);
    expect(Buffer.from((await store.getBlob(hash))!)).toEqual(bytes);
    expect(await store.checkBlob(hash)).toBe('ok');
    expect(await store.checkBlob('0'.repeat(64))).toBe('missing');
    expect(await store.getBlob('../journal.jsonl')).toBeUndefined();
    await writeFile(join(dir, 'blobs', hash.slice(0, 2), hash), 'altered');
    expect(await store.checkBlob(hash)).toBe('altered');
    await store.close();
  });
});
