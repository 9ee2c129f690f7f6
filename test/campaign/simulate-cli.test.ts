import { execFile, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { verify } from '../../engine/index.ts';
import { tempDir } from '../support/temp-dir.ts';

const BIN = join(import.meta.dirname, '../../bin/gongjian.js');
const CHALING = join(import.meta.dirname, '../../scenarios/chaling-2022.json');
const run = (...args: string[]) => promisify(execFile)(process.execPath, [BIN, ...args], { maxBuffer: 50_000_000 });

describe('gongjian simulate', () => {
  it('prints the published figures and writes a printable HTML report', async () => {
    const dir = await tempDir();
    const { stdout } = await run('simulate', '--scenario', CHALING, '--report', join(dir, 'campaign.html'));
    for (const line of [
      / 7 {2}投产项目/,
      / 8 {2}达产项目/,
      / 10 {2}推进专项债项目/,
      / 1296 {2}完成征拆供地/,
      / 153 {2}完成房屋拆迁/,
      / 20 {2}湘商回株/,
      /1018\.5 亩任务 land task: met on 2022-08-30/,
    ])
      expect(stdout).toMatch(line);
    const html = await readFile(join(dir, 'campaign.html'), 'utf8');
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('2022-08 督查通报');
    expect(html).toContain('约谈情况全县通报');
    expect(html).not.toMatch(/<script|https?:\/\//);
  }, 30_000);

  it('writes the JSON report with the binding totals, byte-identical for the same seed', async () => {
    const dir = await tempDir();
    await run('simulate', '--scenario', CHALING, '--seed', '5', '--report', join(dir, 'a.json'));
    await run('simulate', '--scenario', CHALING, '--seed', '5', '--report', join(dir, 'b.json'));
    const a = await readFile(join(dir, 'a.json'), 'utf8');
    expect(await readFile(join(dir, 'b.json'), 'utf8')).toBe(a);
    expect(JSON.parse(a)).toMatchObject({
      totals: { intoProduction: 7, landTaskMet: true },
      simulation: { seed: 5, counts: { forbidden: 1 } },
    });
  }, 30_000);

  it('writes an .xlsx workbook with one sheet per task, missed targets marked', async () => {
    const dir = await tempDir();
    await run('simulate', '--scenario', CHALING, '--report', join(dir, 'campaign.xlsx'));
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(dir, 'campaign.xlsx'));
    const names = book.worksheets.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining(['总览', '洽谈项目签约', '征拆供地', '约谈通报', '问题清单', '八未走势', '考核总结']),
    );
    const signed = book.getWorksheet('洽谈项目签约')!;
    let missedRow: ExcelJS.Row | undefined;
    signed.eachRow((row) => {
      if (row.getCell(4).value === '严塘镇' && row.getCell(1).value === '2022-07') missedRow = row;
    });
    expect(missedRow?.getCell(8).value).toBe('未完成,排名后两位');
    expect((missedRow!.getCell(4).fill as { fgColor?: { argb?: string } }).fgColor?.argb).toBe('FFFDECEA');
  }, 30_000);

  it('keeps the journal with --data, and verify agrees with it', async () => {
    const dir = await tempDir();
    await run('simulate', '--scenario', CHALING, '--data', dir);
    expect(await verify(dir)).toMatchObject({ ok: true });
    await expect(run('simulate', '--scenario', CHALING, '--data', dir)).rejects.toMatchObject({
      stderr: expect.stringContaining('already holds a journal'),
    });
  }, 30_000);

  it('refuses a malformed scenario, listing every problem with its path, and changes nothing', async () => {
    const dir = await tempDir();
    const bad = JSON.parse(await readFile(CHALING, 'utf8'));
    bad.campaign.start = '2022-02-30';
    bad.events[3].by = 'nobody';
    bad.projects[0].unitId = 'atlantis';
    await writeFile(join(dir, 'bad.json'), JSON.stringify(bad));
    const error = await run('simulate', '--scenario', join(dir, 'bad.json')).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect('code' in error && error.code).toBe(1);
    expect((error as { stderr: string }).stderr).toMatch(/campaign\.start: expected YYYY-MM-DD/);
    expect((error as { stderr: string }).stderr).toMatch(/events\.3\.by: unknown staff member nobody/);
    expect((error as { stderr: string }).stderr).toMatch(/projects\.0\.unitId: unknown unit atlantis/);
    await expect(run('simulate', '--scenario', join(dir, 'none.json'))).rejects.toMatchObject({
      stderr: expect.stringContaining('cannot read scenario'),
    });
  }, 30_000);
});

describe('regression: `simulate … | head` lost the report (EPIPE exited before writing it)', () => {
  it('still writes the report when stdout is closed early', async () => {
    const dir = await tempDir();
    const child = spawn(process.execPath, [BIN, 'simulate', '--scenario', CHALING, '--report', join(dir, 'r.json')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.once('data', () => child.stdout.destroy());
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0);
    expect(JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')).totals.intoProduction).toBe(7);
  }, 30_000);
});

describe('gongjian scenario generate', () => {
  it('prints a valid scenario, the same for the same seed, that simulate runs', async () => {
    const dir = await tempDir();
    const a = (await run('scenario', 'generate', '--projects', '60', '--units', '6', '--seed', '4')).stdout;
    expect((await run('scenario', 'generate', '--projects', '60', '--units', '6', '--seed', '4')).stdout).toBe(a);
    expect(JSON.parse(a).projects).toHaveLength(60);
    await writeFile(join(dir, 'g.json'), a);
    expect((await run('simulate', '--scenario', join(dir, 'g.json'))).stdout).toMatch(/事件 events: \d+/);
    await expect(run('scenario', 'generate', '--projects', 'ten', '--units', '6')).rejects.toMatchObject({
      stderr: expect.stringContaining('--projects must be a whole number'),
    });
  }, 30_000);
});

describe('gongjian report', () => {
  it('reports a campaign from a data directory, read-only, while another process holds its lock', async () => {
    const dir = await tempDir();
    await run('simulate', '--scenario', CHALING, '--data', dir);
    await writeFile(
      join(dir, 'LOCK'),
      JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname(), since: '2022-10-01T00:00:00Z' }),
    );
    const { stdout } = await run('report', '--data', dir);
    expect(JSON.parse(stdout)).toMatchObject({
      campaign: { id: 'chaling-2022', state: 'closed' },
      totals: { reachedTarget: 8, landSuppliedMu: 1296 },
    });
    await run('report', '--data', dir, '--campaign', 'chaling-2022', '--out', join(dir, 'r.html'));
    expect(await readFile(join(dir, 'r.html'), 'utf8')).toContain('考核总结');
    await expect(run('report', '--data', dir, '--campaign', 'other')).rejects.toMatchObject({
      stderr: expect.stringContaining('chaling-2022'),
    });
    await expect(run('report', '--data', join(dir, 'none'))).rejects.toMatchObject({
      stderr: expect.stringContaining('no journal.jsonl'),
    });
  }, 30_000);
});
