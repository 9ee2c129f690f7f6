import { appendFile, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FilingService, backupDataDir, verify } from '../../engine/index.ts';
import { FileStore } from '../../store/index.ts';
import { campaignEngine } from '../support/campaign.ts';
import { tempDir } from '../support/temp-dir.ts';

const PDF = Buffer.from('%PDF-1.4 施工许可证 (scan)');

/** A data directory in use: a campaign reviewing clearances, a filing with a PDF attached. */
async function inUse() {
  const dir = await tempDir();
  const { engine } = await campaignEngine(
    {
      units: [{ id: 'u1', name: '一号镇', group: 'township' }],
      review: { events: { REPORT_CLEARANCE: ['naturalResources'] } },
    },
    { store: new FileStore(dir) },
  );
  await engine.create(
    'project',
    {
      id: 'p1',
      name: '项目',
      unitId: 'u1',
      plannedInvestment: 800,
      stage: 'signed',
      land: { requiredMu: 5, houses: 0 },
    },
    { actor: 'hq' },
  );
  const hash = await engine.store.putBlob(PDF);
  const attachment = { hash, name: '许可证.pdf', type: 'application/pdf' as const, size: PDF.length };
  const event = { type: 'REPORT_CLEARANCE', mu: 5, houses: 0, at: '2022-08-10' };
  const filed = await new FilingService(engine).file('p1', event, [attachment], { actor: 'u1-1' }, 'f1');
  expect(filed.status).toBe('filed');
  return { dir, engine, hash };
}

describe('backup (gongjian backup)', () => {
  it('copies a live directory (journal to its last whole line, checkpoint, evidence); the copy verifies', async () => {
    const { dir, engine, hash } = await inUse();
    await engine.store.checkpoint();
    // A line being appended right now: not part of the backup.
    await appendFile(join(dir, 'journal.jsonl'), '{"seq":99,"ki');
    const to = join(await tempDir(), 'copy');
    const summary = await backupDataDir(dir, to);
    expect(summary).toMatchObject({ blobs: 1 });
    expect((await readdir(to)).sort()).toEqual(['blobs', 'journal', 'journal.jsonl', 'store.json']);
    expect((await readFile(join(to, 'journal.jsonl'), 'utf8')).endsWith('}\n')).toBe(true);
    expect(Buffer.from(await readFile(join(to, 'blobs', hash.slice(0, 2), hash)))).toEqual(PDF);
    expect(await verify(to)).toMatchObject({ ok: true, tornTail: false });
    // The copy without its evidence does not verify: the entry naming it is reported.
    await rm(join(to, 'blobs'), { recursive: true });
    expect(await verify(to)).toMatchObject({ ok: false, firstBad: { reason: expect.stringMatching(/missing/) } });
    await expect(backupDataDir(dir, to)).rejects.toThrow(/not empty/);
    await engine.close();
  });
});
