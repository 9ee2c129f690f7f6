import { appendFile, readFile, rename, truncate, writeFile } from 'node:fs/promises';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FileStore, StoreError, type JournalDraft, type JournalEntry } from '../../store/index.ts';
import { tempDir } from '../support/temp-dir.ts';

function draft(id: string, version: number): JournalDraft {
  return {
    kind: 'event',
    entity: 'project',
    id,
    at: '2022-08-01',
    actor: 'u1',
    event: { type: 'X' },
    version,
    machineVersion: 1,
    recordedAt: '2022-08-01T00:00:00.000Z',
  };
}

async function storeWith(entries: number, options = {}): Promise<string> {
  const dir = await tempDir();
  const store = new FileStore(dir, options);
  await store.open();
  for (let i = 1; i <= entries; i++)
    await store.commit(draft('p1', i), {
      entity: 'project',
      id: 'p1',
      version: i,
      machineVersion: 1,
      snapshot: '{}',
      tags: {},
      seq: 0,
    });
  await store.close();
  return dir;
}

describe('FileStore recovery', () => {
  it('a torn last line (crash mid-append) is dropped with a warning, and the store carries on', async () => {
    const dir = await storeWith(3);
    await appendFile(join(dir, 'journal.jsonl'), '{"seq":4,"kind":"ev');
    const warnings: string[] = [];
    const store = new FileStore(dir, { onWarning: (w) => warnings.push(w) });
    await store.open();
    expect(warnings.join()).toMatch(/torn last line 4/);
    const entry = await store.commit(draft('p1', 4), null);
    expect(entry.seq).toBe(4);
    await store.close();
    const lines = (await readFile(join(dir, 'journal.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l).seq)).toEqual([1, 2, 3, 4]);
  });

  it('a malformed line in the middle stops the start, naming the line', async () => {
    const dir = await storeWith(3);
    const path = join(dir, 'journal.jsonl');
    const lines = (await readFile(path, 'utf8')).split('\n');
    lines[1] = lines[1]!.slice(0, 20);
    await writeFile(path, lines.join('\n'));
    const error = await new FileStore(dir).open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toMatch(/line 2: not valid JSON/);
    expect((error as StoreError).zh).toMatch(/第 2 行/);
  });

  it('a truncated checkpoint is set aside and everything is rebuilt from the journal', async () => {
    const dir = await storeWith(3);
    const checkpoint = join(dir, 'store.json');
    await truncate(checkpoint, (await stat(checkpoint)).size - 10);
    const warnings: string[] = [];
    const store = new FileStore(dir, { onWarning: (w) => warnings.push(w) });
    const tail: JournalEntry[] = [];
    await store.open((e) => {
      tail.push(e);
    });
    expect(tail.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(warnings.join()).toMatch(/unreadable .* rebuilding from the journal/);
    await store.close();
  });

  it('a checkpoint ahead of its journal (journal lost or truncated) stops the start', async () => {
    const dir = await storeWith(3);
    await writeFile(join(dir, 'journal.jsonl'), '');
    await expect(new FileStore(dir).open()).rejects.toMatchObject({ code: 'checkpointAhead' });
  });

  it('a checkpoint of format 1 (each snapshot an object) is still read, and rewritten as format 2', async () => {
    const dir = await storeWith(3);
    const path = join(dir, 'store.json');
    const current = JSON.parse(await readFile(path, 'utf8'));
    expect(current.format).toBe(2);
    expect(typeof current.records[0].snapshot).toBe('string');
    current.format = 1;
    for (const record of current.records) record.snapshot = { context: { n: record.version } };
    await writeFile(path, JSON.stringify(current));
    const store = new FileStore(dir);
    await store.open();
    expect(store.get('project', 'p1')).toMatchObject({ version: 3, snapshot: '{"context":{"n":3}}' });
    await store.commit(draft('p1', 4), null);
    await store.close();
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ format: 2, lastSeq: 4 });
  });

  it('keepRecords: false (verify) keeps the position only; records are read one at a time, as at open', async () => {
    const dir = await storeWith(4);
    const normal = new FileStore(dir, { readOnly: true });
    await normal.open();
    const expected = normal.list('project');
    await normal.close();
    const records = async (store: FileStore) => {
      const out = [];
      for await (const record of store.checkpointRecords()) out.push(record);
      return out;
    };
    const lean = new FileStore(dir, { readOnly: true, keepRecords: false });
    await lean.open();
    expect(lean.checkpointSeq).toBe(4);
    expect(lean.list('project')).toEqual([]);
    // A server writing a newer checkpoint meanwhile (renamed over the old) changes nothing read.
    const other = await storeWith(6);
    await rename(join(other, 'store.json'), join(dir, 'store.json'));
    expect(await records(lean)).toEqual(expected);
    expect(await records(lean)).toEqual(expected);
    await lean.close();
    // Format 1, written as one line: read whole, snapshots as text.
    const formerDir = await storeWith(3);
    const path = join(formerDir, 'store.json');
    const old = JSON.parse(await readFile(path, 'utf8'));
    old.format = 1;
    for (const record of old.records) record.snapshot = { context: { n: record.version } };
    await writeFile(path, JSON.stringify(old));
    const former = new FileStore(formerDir, { readOnly: true, keepRecords: false });
    await former.open();
    expect((await records(former)).map((r) => r.snapshot)).toEqual(['{"context":{"n":3}}']);
    await former.close();
  });

  it('a checkpoint cut short is an error when its records are read one at a time', async () => {
    const dir = await storeWith(3);
    const path = join(dir, 'store.json');
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.slice(0, text.lastIndexOf(']}')));
    const lean = new FileStore(dir, { readOnly: true, keepRecords: false });
    await lean.open();
    await expect(async () => {
      for await (const _ of lean.checkpointRecords());
    }).rejects.toThrow(/cut short/);
    await lean.close();
  });

  it("sync: 'close' (a simulation's own store) writes each commit at once and keeps them all after close", async () => {
    const dir = await storeWith(5, { sync: 'close' });
    const lines = (await readFile(join(dir, 'journal.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l).seq)).toEqual([1, 2, 3, 4, 5]);
    const store = new FileStore(dir);
    await store.open();
    expect(store.get('project', 'p1')?.version).toBe(5);
    await store.close();
  });

  it('checkpoints are written after N entries, off the commit path', async () => {
    const dir = await tempDir();
    const store = new FileStore(dir, { checkpointEvery: 10 });
    await store.open();
    for (let i = 1; i <= 25; i++)
      await store.commit(draft('p1', i), {
        entity: 'project',
        id: 'p1',
        version: i,
        machineVersion: 1,
        snapshot: '{}',
        tags: {},
        seq: 0,
      });
    await store.settled();
    const checkpoint = JSON.parse(await readFile(join(dir, 'store.json'), 'utf8'));
    expect(checkpoint.lastSeq).toBeGreaterThanOrEqual(20);
    await store.close();
  });
});

describe('one process per data directory', () => {
  it('a second store on the same directory in this process is refused', async () => {
    const dir = await tempDir();
    const first = new FileStore(dir);
    await first.open();
    await expect(new FileStore(dir).open()).rejects.toMatchObject({ code: 'locked' });
    await first.close();
    const second = new FileStore(dir);
    await second.open();
    await second.close();
  });

  it('a directory held by another live process is refused, naming its pid', async () => {
    const dir = await tempDir();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    try {
      await writeFile(
        join(dir, 'LOCK'),
        JSON.stringify({ pid: child.pid, host: (await import('node:os')).hostname(), since: '2022-08-01T00:00:00Z' }),
      );
      const error = (await new FileStore(dir).open().catch((e: unknown) => e)) as StoreError;
      expect(error.code).toBe('locked');
      expect(error.message).toContain(`process ${child.pid}`);
      expect(error.zh).toContain(`进程 ${child.pid}`);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a lock left by a dead process is taken over', async () => {
    const dir = await tempDir();
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => child.on('exit', r));
    await writeFile(
      join(dir, 'LOCK'),
      JSON.stringify({ pid: child.pid, host: (await import('node:os')).hostname(), since: '2022-08-01T00:00:00Z' }),
    );
    const store = new FileStore(dir);
    await store.open();
    await store.close();
  });
});
