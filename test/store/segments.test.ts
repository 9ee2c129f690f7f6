import { readFileSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { backupDataDir, Engine, verify } from '../../engine/index.ts';
import { FileStore } from '../../store/index.ts';
import { decodeSegmentIndex, encodeSegmentIndex } from '../../store/segments.ts';
import { tempDir } from '../support/temp-dir.ts';
import { input } from '../engine/helpers.ts';

/** A data directory whose journal was sealed into several compressed segments. */
async function segmented(): Promise<{ dir: string; views: unknown; history: unknown }> {
  const dir = await tempDir();
  const store = new FileStore(dir, { checkpointEvery: 40, segmentBytes: 8 * 1024 });
  const engine = new Engine({ store, clock: () => '2023-01-01T00:00:00.000Z' });
  await engine.open();
  for (const id of ['a', 'b', 'c'])
    await engine.create('project', input({ id, bond: { allocated: 1 } }), { actor: 'hq' });
  for (let i = 0; i < 150; i++) {
    const id = ['a', 'b', 'c'][i % 3]!;
    const event = { type: 'ALLOCATE_BOND', amount: 1, at: '2022-08-02' };
    await engine.send('project', id, event, { actor: 'fin', idempotencyKey: `k-${i}` });
    if (i % 40 === 39) await store.settled();
  }
  await store.settled();
  const views = engine.list('project');
  const history = await engine.history('project', 'b');
  await engine.close();
  return { dir, views, history };
}

/** A start on `dir` reads what the segmented run wrote: records, a history, an idempotency key. */
async function expectStartedAsBefore(dir: string, views: unknown, history: unknown): Promise<void> {
  const engine = new Engine({ store: new FileStore(dir) });
  await engine.open();
  expect(engine.list('project')).toEqual(views);
  expect(await engine.history('project', 'b')).toEqual(history);
  // A retry of the very first event (now in a compressed segment) gets its first outcome again.
  const retry = await engine.send(
    'project',
    'a',
    { type: 'ALLOCATE_BOND', amount: 1, at: '2022-08-02' },
    { actor: 'fin', idempotencyKey: 'k-0' },
  );
  expect(retry).toMatchObject({ status: 'accepted', replayed: true, seq: 4 });
  await engine.close();
}

describe('a journal that stays small: sealed, compressed, indexed segments', () => {
  it('a journal past segmentBytes is sealed at a checkpoint, compressed in blocks, its index beside it', async () => {
    const { dir } = await segmented();
    const files = await readdir(join(dir, 'journal'));
    const compressed = files.filter((f) => f.endsWith('.jsonl.gz'));
    expect(compressed.length).toBeGreaterThanOrEqual(2);
    expect(files.filter((f) => f.endsWith('.idx'))).toHaveLength(compressed.length);
    // No raw copy is left once compressed; what the active file holds is small.
    expect(files.filter((f) => f.endsWith('.jsonl'))).toEqual([]);
    const active = await readFile(join(dir, 'journal.jsonl'), 'utf8');
    expect(active.length).toBeLessThan(16 * 1024);
    // Each compressed file inflates to whole journal lines.
    for (const f of compressed) {
      const lines = gunzipSync(readFileSync(join(dir, 'journal', f)))
        .toString('utf8')
        .trimEnd()
        .split('\n');
      for (const line of lines) expect(JSON.parse(line)).toHaveProperty('hash');
    }
  });

  it('entries after a position: from the segment that holds it on, across segments and the active file', async () => {
    const { dir } = await segmented();
    const store = new FileStore(dir, { readOnly: true });
    await store.open();
    const seqs = async (after: number) => {
      const out: number[] = [];
      for await (const e of store.entries({ after })) out.push(e.seq);
      return out;
    };
    const last = store.position();
    expect(store.stats().segments).toBeGreaterThanOrEqual(2);
    for (const after of [0, 1, 40, 77, 120, last - 1, last])
      expect(await seqs(after)).toEqual(Array.from({ length: last - after }, (_, i) => after + i + 1));
    await store.close();
  });

  it('after a restart, histories, idempotency keys and records read across segments as before', async () => {
    const { dir, views, history } = await segmented();
    await expectStartedAsBefore(dir, views, history);
  });

  it('without a checkpoint the whole journal is replayed through every segment, indexed from its .idx', async () => {
    const { dir, views, history } = await segmented();
    await rm(join(dir, 'store.json'));
    await expectStartedAsBefore(dir, views, history);
  });

  it('a long replay says how far it is: a start every progressEvery entries, verify too, then start-up', async () => {
    const { dir } = await segmented();
    await rm(join(dir, 'store.json'));
    const heard: number[] = [];
    const engine = new Engine({ store: new FileStore(dir) });
    await engine.open({ onReplay: (entries) => heard.push(entries), progressEvery: 50 });
    expect(heard).toEqual([50, 100, 150]);
    await engine.close();
    const progress: unknown[] = [];
    const report = await verify(dir, { onProgress: (p) => progress.push(p), progressEvery: 100 });
    expect(report).toMatchObject({ ok: true, entries: 153 });
    expect(progress).toEqual([
      { phase: 'replay', entries: 100, total: 153 },
      { phase: 'startUp', entries: 153, total: 153 },
    ]);
  });

  it('a replay through a segment whose index places an entry elsewhere stops, naming the line', async () => {
    const { dir } = await segmented();
    await rm(join(dir, 'store.json'));
    const folder = join(dir, 'journal');
    const [file] = (await readdir(folder)).filter((f) => f.endsWith('.idx')).sort();
    const index = decodeSegmentIndex(readFileSync(join(folder, file!)));
    const ends = Float64Array.from(index.ends);
    ends[5]! += 1;
    await writeFile(join(folder, file!), encodeSegmentIndex({ ...index, ends }));
    const error = await new FileStore(dir).open().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'journalCorrupt', seq: index.firstSeq + 5 });
    expect(String((error as Error).message)).toMatch(/index places this entry elsewhere/);
  });

  it('verify proves the hash chain across segments and finds an entry altered inside a compressed one', async () => {
    const { dir } = await segmented();
    const report = await verify(dir);
    expect(report).toMatchObject({ ok: true, entries: 153, projects: 3 });
    const [first] = (await readdir(join(dir, 'journal'))).filter((f) => f.endsWith('.jsonl.gz')).sort();
    const path = join(dir, 'journal', first!);
    const text = gunzipSync(readFileSync(path)).toString('utf8');
    const altered = text.replace('"amount":1,', '"amount":2,');
    expect(altered).not.toBe(text);
    await writeFile(path, gzipSync(Buffer.from(altered)));
    const bad = await verify(dir);
    expect(bad.ok).toBe(false);
    expect(bad.firstBad?.reason).toMatch(/hash mismatch/);
  });

  it('an index of format 3 (.idx.json, all JSON) is still read: the same records, histories and keys', async () => {
    const { dir, views, history } = await segmented();
    const folder = join(dir, 'journal');
    for (const file of (await readdir(folder)).filter((f) => f.endsWith('.idx'))) {
      const { subjectCounts, subjectSeqs, ...index } = decodeSegmentIndex(readFileSync(join(folder, file)));
      const seqs = Array.from(subjectSeqs);
      const nested = Array.from(subjectCounts, (count) => seqs.splice(0, count));
      const json = {
        format: 3,
        ...index,
        ends: Array.from(index.ends),
        keys: Array.from(index.keys),
        keySeqs: Array.from(index.keySeqs),
        subjectSeqs: nested,
      };
      await writeFile(join(folder, `${file}.json`), JSON.stringify(json));
      await rm(join(folder, file));
    }
    await expectStartedAsBefore(dir, views, history);
  });

  it('a segment index round-trips through its binary form from any offset; one cut short is refused', async () => {
    const { dir } = await segmented();
    const folder = join(dir, 'journal');
    const [file] = (await readdir(folder)).filter((f) => f.endsWith('.idx')).sort();
    const bytes = readFileSync(join(folder, file!));
    const index = decodeSegmentIndex(bytes);
    expect(index.ends.length).toBe(index.lastSeq - index.firstSeq + 1);
    expect(Array.from(index.subjectCounts).reduce((a, b) => a + b, 0)).toBe(index.subjectSeqs.length);
    // Not on an 8-byte boundary (as a slice of a larger buffer may be): the same index.
    const shifted = Buffer.concat([Buffer.from([0]), bytes]).subarray(1);
    expect(decodeSegmentIndex(shifted)).toEqual(index);
    expect(decodeSegmentIndex(encodeSegmentIndex(index))).toEqual(index);
    await writeFile(join(folder, file!), bytes.subarray(0, bytes.length - 16));
    const error = await new FileStore(dir).open().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'segmentIndexCorrupt' });
    expect(String((error as Error).message)).toMatch(/cut short/);
  });

  it('a missing segment stops the start, naming the entries missing', async () => {
    const { dir } = await segmented();
    const names = (await readdir(join(dir, 'journal'))).sort();
    const second = names.filter((f) => f.endsWith('.jsonl.gz'))[1]!;
    await rm(join(dir, 'journal', second));
    await rm(join(dir, 'journal', second.replace('.jsonl.gz', '.idx')));
    const error = await new FileStore(dir).open().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'segmentGap' });
    expect(String((error as Error).message)).toMatch(/entry \d+ expected/);
  });

  it('a compression cut short by a crash: the raw segment is used and compressed at the next start', async () => {
    const { dir, views } = await segmented();
    const [gz] = (await readdir(join(dir, 'journal'))).filter((f) => f.endsWith('.jsonl.gz')).sort();
    const raw = join(dir, 'journal', gz!.replace('.gz', ''));
    // As a crash during compression leaves it: the raw file, half a compressed one, no index.
    await writeFile(raw, gunzipSync(readFileSync(join(dir, 'journal', gz!))));
    await writeFile(join(dir, 'journal', gz!), 'half');
    await rm(join(dir, 'journal', gz!.replace('.jsonl.gz', '.idx')));
    const store = new FileStore(dir);
    const engine = new Engine({ store });
    await engine.open();
    expect(engine.list('project')).toEqual(views);
    await store.settled();
    const files = await readdir(join(dir, 'journal'));
    expect(files).toContain(gz);
    expect(files).toContain(gz!.replace('.jsonl.gz', '.idx'));
    expect(files).not.toContain(gz!.replace('.gz', ''));
    await engine.close();
    expect((await verify(dir)).ok).toBe(true);
  });

  it('a backup copies every segment and verifies', async () => {
    const { dir } = await segmented();
    const copy = join(await tempDir(), 'copy');
    await backupDataDir(dir, copy);
    expect(await verify(copy)).toMatchObject({ ok: true, entries: 153 });
    // The hold on sealing is gone once the backup is done.
    expect(await readdir(join(dir, 'journal'))).not.toContain('HOLD');
  });
});

describe('read-only beside a running server', () => {
  it('a raw segment compressed and removed after a read-only store opened: read from its compressed twin', async () => {
    const { dir } = await segmented();
    const folder = join(dir, 'journal');
    const [gz] = (await readdir(folder)).filter((f) => f.endsWith('.jsonl.gz')).sort();
    const idx = gz!.replace('.jsonl.gz', '.idx');
    const [packed, index] = [readFileSync(join(folder, gz!)), readFileSync(join(folder, idx))];
    // As the server left it a moment ago: sealed, not yet compressed.
    await writeFile(join(folder, gz!.replace('.gz', '')), gunzipSync(packed));
    await rm(join(folder, gz!));
    await rm(join(folder, idx));
    const reader = new FileStore(dir, { readOnly: true });
    await reader.open();
    // …and now the server compresses it and removes the raw file.
    await writeFile(join(folder, gz!), packed);
    await writeFile(join(folder, idx), index);
    await rm(join(folder, gz!.replace('.gz', '')));
    let entries = 0;
    for await (const { entry } of reader.lines()) entries = entry.seq;
    expect(entries).toBe(153);
    await reader.close();
  });
});
