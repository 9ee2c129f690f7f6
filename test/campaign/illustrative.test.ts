import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario, simulate } from '../../engine/index.ts';
import { reportHtml, reportXlsx } from '../../report/index.ts';

// Issue 12, rule 19: illustrative data is marked — 示例数据 on every page and every sheet.

type Raw = { campaign: Record<string, unknown>; projects: Record<string, unknown>[] };

async function chaling(change: (s: Raw) => void = () => {}) {
  const raw = JSON.parse(await readFile(join(import.meta.dirname, '../../scenarios/chaling-2022.json'), 'utf8'));
  change(raw);
  return (await simulate(parseScenario(raw))).report;
}

async function sheets(report: Awaited<ReturnType<typeof chaling>>) {
  const { default: Excel } = await import('exceljs');
  const book = new Excel.Workbook();
  await book.xlsx.load(new Uint8Array(await reportXlsx(report)).buffer);
  return book.worksheets;
}

describe('rule 19: 示例数据', () => {
  it('a report with invented projects says so at the top and on every printed page, and on every sheet', async () => {
    const report = await chaling();
    expect(report.illustrative).toEqual({ campaign: false, projects: 114 });
    const html = reportHtml(report);
    expect(html.match(/示例数据:本报告含 114 个示例项目/g)).toHaveLength(2); // the banner, and the per-page header
    expect(html).toContain('class="illustrative every"');
    const all = await sheets(report);
    for (const sheet of all) expect(sheet.headerFooter.oddHeader, sheet.name).toContain('示例数据');
    expect(JSON.stringify(all[0]!.getSheetValues())).toContain('示例数据');
  });

  it('a campaign marked illustrative as a whole says that', async () => {
    const report = await chaling((s) => (s.campaign.illustrative = true));
    expect(reportHtml(report)).toContain('示例数据:本报告的攻坚行动为示例');
  });

  it('a report of real data carries no notice', async () => {
    const report = await chaling((s) => {
      for (const p of s.projects) delete p.illustrative;
    });
    expect(report.illustrative).toEqual({ campaign: false, projects: 0 });
    expect(reportHtml(report)).not.toContain('示例数据');
    for (const sheet of await sheets(report)) expect(sheet.headerFooter?.oddHeader ?? '').not.toContain('示例数据');
  });
});
