import { execFile, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runSimulate } from '../../cli/simulate-command.ts';
import { verify } from '../../engine/index.ts';
import { BIN } from '../support/serve-process.ts';
import { fileLifetimeTempDir, tempDir } from '../support/temp-dir.ts';

const CHALING = join(import.meta.dirname, '../../scenarios/chaling-2022.json');
const run = (...args: string[]) => promisify(execFile)(process.execPath, [BIN, ...args], { maxBuffer: 50_000_000 });

/**
 * The simulate command in this process (what it prints, and its result); the CLI is spawned
 * below only where the process itself matters (exit codes, a closed stdout).
 */
async function simulateHere(options: { seed?: string; report?: string; data?: string; scenario?: string }) {
  const lines: string[] = [];
  const result = await runSimulate({ scenario: CHALING, seed: '1', ...options }, (line) => lines.push(line));
  return { stdout: lines.join('\n'), result };
}

describe('gongjian simulate', () => {
  let dir: string;
  let summary: string;
  beforeAll(async () => {
    dir = await fileLifetimeTempDir();
    summary = (await simulateHere({ report: join(dir, 'campaign.html') })).stdout;
  });

  it('prints the published figures and writes a printable HTML report', async () => {
    for (const line of [
      / 7 {2}投产项目/,
      / 8 {2}达产项目/,
      / 10 {2}推进专项债项目/,
      / 1296 {2}完成征拆供地/,
      / 153 {2}完成房屋拆迁/,
      / 20 {2}湘商回株/,
      /1018\.5 亩任务 land task: met on 2022-08-30/,
    ])
      expect(summary).toMatch(line);
    const html = await readFile(join(dir, 'campaign.html'), 'utf8');
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('2022-08 督查通报');
    expect(html).toContain('约谈情况全县通报');
    expect(html).not.toMatch(/<script|https?:\/\//);
  });

  it('rule 13: names every event that did not count — each forbidden one with its reason', () => {
    expect(summary).toMatch(/无权 forbidden 1/);
    expect(summary).toMatch(
      /无权 forbidden: 2022-08-21 transport-staff ALLOCATE_BOND .+ — 角色「责任单位经办员」不能发送/,
    );
  });

  it('writes the JSON report with the binding totals, byte-identical for the same seed', async () => {
    await simulateHere({ seed: '5', report: join(dir, 'a.json') });
    await simulateHere({ seed: '5', report: join(dir, 'b.json') });
    const a = await readFile(join(dir, 'a.json'), 'utf8');
    expect(await readFile(join(dir, 'b.json'), 'utf8')).toBe(a);
    expect(JSON.parse(a)).toMatchObject({
      totals: { intoProduction: 7, landTaskMet: true },
      simulation: { seed: 5, counts: { forbidden: 1 } },
    });
  });

  it('writes an .xlsx workbook with one sheet per task, missed targets marked', async () => {
    await simulateHere({ report: join(dir, 'campaign.xlsx') });
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
  });

  it('keeps the journal with --data, verify agrees with it, and the report command reads it read-only', async () => {
    const data = await tempDir();
    await simulateHere({ data });
    expect(await verify(data)).toMatchObject({ ok: true });
    await expect(simulateHere({ data })).rejects.toThrow(/already holds a journal/);
    // As a process, while another process holds the directory's lock.
    await writeFile(
      join(data, 'LOCK'),
      JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname(), since: '2022-10-01T00:00:00Z' }),
    );
    const { stdout } = await run('report', '--data', data);
    expect(JSON.parse(stdout)).toMatchObject({
      campaign: { id: 'chaling-2022', state: 'closed' },
      totals: { reachedTarget: 8, landSuppliedMu: 1296 },
    });
  });

  it('refuses a malformed scenario, listing every problem with its path, and changes nothing', async () => {
    const bad = JSON.parse(await readFile(CHALING, 'utf8'));
    bad.campaign.start = '2022-02-30';
    bad.events[3].by = 'nobody';
    bad.projects[0].unitId = 'atlantis';
    await writeFile(join(dir, 'bad.json'), JSON.stringify(bad));
    const error = await simulateHere({ scenario: join(dir, 'bad.json') }).then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/campaign\.start: expected (a calendar date )?YYYY-MM-DD/);
    expect(error?.message).toMatch(/events #3 \(2022-[0-9-]+ [A-Z_]+\)\.by: unknown staff member nobody/);
    expect(error?.message).toMatch(/projects #0 \(laikang\)\.unitId: unknown unit atlantis/);
    await expect(simulateHere({ scenario: join(dir, 'none.json') })).rejects.toThrow(/cannot read scenario/);
  });
});

describe('the CLI as a process', () => {
  it('exits 1 with the problems on stderr (zh and en) for a bad scenario', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ format: 'gongjian-scenario/1' }));
    const error = await run('simulate', '--scenario', join(dir, 'bad.json')).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect('code' in error && error.code).toBe(1);
    expect((error as { stderr: string }).stderr).toMatch(/invalid scenario .* 场景文件有误/);
  }, 30_000);

  // Regression: `simulate … | head` lost the report (EPIPE exited before writing it).
  it('rule 15: writes several reports at once, and checks every extension before simulating', async () => {
    const dir = await tempDir();
    const [html, xlsx, json] = ['r.html', 'r.xlsx', 'r.json'].map((f) => join(dir, f));
    const { stdout } = await run(
      'simulate',
      '--scenario',
      CHALING,
      '--report',
      html!,
      '--report',
      xlsx!,
      '--report',
      json!,
    );
    for (const file of [html!, xlsx!, json!]) expect(stdout).toContain(`report written: ${file}`);
    expect((await readFile(html!, 'utf8')).startsWith('<!doctype html>')).toBe(true);
    expect((await readFile(xlsx!)).subarray(0, 2).toString()).toBe('PK');
    expect(JSON.parse(await readFile(json!, 'utf8')).totals).toBeDefined();
    const bad = run(
      'simulate',
      '--scenario',
      CHALING,
      '--report',
      join(dir, 'ok.html'),
      '--report',
      join(dir, 'r.pdf'),
    );
    await expect(bad).rejects.toMatchObject({ stderr: expect.stringContaining('r.pdf') });
    await expect(readFile(join(dir, 'ok.html'))).rejects.toThrow();
  }, 60_000);

  it('still writes the report when stdout is closed early', async () => {
    const dir = await tempDir();
    const child = spawn(process.execPath, [BIN, 'simulate', '--scenario', CHALING, '--report', join(dir, 'r.json')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.once('data', () => child.stdout.destroy());
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0);
    expect(JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')).totals.intoProduction).toBe(7);
  }, 30_000);

  it('scenario generate prints a valid scenario, the same for the same seed, and refuses bad numbers', async () => {
    const a = (await run('scenario', 'generate', '--projects', '60', '--units', '6', '--seed', '4')).stdout;
    expect((await run('scenario', 'generate', '--projects', '60', '--units', '6', '--seed', '4')).stdout).toBe(a);
    expect(JSON.parse(a).projects).toHaveLength(60);
    const dir = await tempDir();
    await writeFile(join(dir, 'g.json'), a);
    expect((await simulateHere({ scenario: join(dir, 'g.json') })).stdout).toMatch(/事件 events: \d+/);
    await expect(run('scenario', 'generate', '--projects', 'ten', '--units', '6')).rejects.toMatchObject({
      stderr: expect.stringContaining('--projects must be a whole number'),
    });
  }, 30_000);
});
