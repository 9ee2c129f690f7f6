import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { verify } from '../../engine/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { fileEngine, input } from './helpers.ts';

async function dataDirWithHistory(): Promise<string> {
  const dir = await tempDir();
  const engine = await fileEngine(dir);
  await engine.create('project', input({ bond: { allocated: 100 } }), { actor: 'hq' });
  for (let i = 0; i < 5; i++)
    await engine.send('project', 'p1', { type: 'DISBURSE_BOND', amount: 10, at: '2022-08-02' }, { actor: 'fin' });
  await engine.send('project', 'p1', { type: 'DISBURSE_BOND', amount: 999, at: '2022-08-02' }, { actor: 'fin' });
  await engine.close();
  return dir;
}

describe('verify', () => {
  it('passes on an intact data directory', async () => {
    expect(await verify(await dataDirWithHistory())).toMatchObject({
      ok: true,
      entries: 7,
      projects: 1,
      checkpointSeq: 7,
      tornTail: false,
    });
  });

  it('a flipped byte in the journal is caught, naming the entry', async () => {
    const dir = await dataDirWithHistory();
    const path = join(dir, 'journal.jsonl');
    const text = await readFile(path, 'utf8');
    // Turn the third entry's 10 万元 into 19: still valid JSON, still linked, but altered.
    const lines = text.split('\n');
    lines[2] = lines[2]!.replace('"amount":10', '"amount":19');
    await writeFile(path, lines.join('\n'));
    expect(await verify(dir)).toMatchObject({
      ok: false,
      firstBad: { line: 3, seq: 3, reason: expect.stringMatching(/hash mismatch/) },
    });
  });

  it('a torn last line left by a crash is reported, not failed: the next start drops it', async () => {
    const dir = await dataDirWithHistory();
    await writeFile(join(dir, 'journal.jsonl'), `${await readFile(join(dir, 'journal.jsonl'), 'utf8')}{"seq":8,"ki`);
    expect(await verify(dir)).toMatchObject({ ok: true, tornTail: true, entries: 7 });
  });

  it('regression: a checkpoint missing a non-project record is caught (counts compared projects only)', async () => {
    const dir = await tempDir();
    const engine = await fileEngine(dir);
    await engine.create('project', input(), { actor: 'hq' });
    await engine.create(
      'unit',
      { id: 'c:u1', campaignId: 'c', unitId: 'u1', name: '一号镇', group: 'township' },
      { actor: 'hq' },
    );
    await engine.close();
    const path = join(dir, 'store.json');
    const checkpoint = JSON.parse(await readFile(path, 'utf8'));
    checkpoint.records = checkpoint.records.filter((r: { entity: string }) => r.entity !== 'unit');
    await writeFile(path, JSON.stringify(checkpoint));
    expect(await verify(dir)).toMatchObject({
      ok: false,
      firstBad: { reason: expect.stringMatching(/checkpoint holds 1 records, the journal gives 2/) },
    });
  });

  it('a checkpoint that disagrees with the journal is caught', async () => {
    const dir = await dataDirWithHistory();
    const path = join(dir, 'store.json');
    await writeFile(path, (await readFile(path, 'utf8')).replace('\\"disbursed\\":50', '\\"disbursed\\":60'));
    expect(await verify(dir)).toMatchObject({
      ok: false,
      firstBad: { seq: 7, reason: expect.stringMatching(/differs from the journal/) },
    });
  });

  it('`gongjian verify` exits non-zero and names the first bad entry', async () => {
    const dir = await dataDirWithHistory();
    const path = join(dir, 'journal.jsonl');
    const lines = (await readFile(path, 'utf8')).split('\n');
    lines[4] = lines[4]!.replace('"actor":"fin"', '"actor":"fix"');
    await writeFile(path, lines.join('\n'));
    const bin = join(import.meta.dirname, '../../bin/gongjian.js');
    const run = await promisify(execFile)(process.execPath, [bin, 'verify', '--data', dir]).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect('code' in run && run.code).toBe(1);
    expect((run as { stderr: string }).stderr).toMatch(/line 5 \(seq 5\): hash mismatch/);
  });
});
