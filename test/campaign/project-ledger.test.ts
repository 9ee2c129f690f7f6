import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseScenario, simulate } from '../../engine/index.ts';
import { WEI_KEYS, WEI_LABELS, type CampaignReport } from '../../machines/index.ts';
import { reportHtml, reportXlsx } from '../../report/index.ts';

// Issue 12, rule 17: a per-project 台账 in the report (page section and sheet), and the list of
// projects in each 八未 — not only their counts.

let report: CampaignReport;
beforeAll(async () => {
  const raw = JSON.parse(await readFile(join(import.meta.dirname, '../../scenarios/chaling-2022.json'), 'utf8'));
  report = (await simulate(parseScenario(raw))).report;
});

describe('rule 17: the report’s 项目台账', () => {
  it('has every project of the campaign’s units with its stage, 八未, money, land, bond and milestones', () => {
    expect(report.projects).toHaveLength(119);
    const laikang = report.projects.find((p) => p.id === 'laikang')!;
    expect(laikang).toMatchObject({ name: '莱康新能源', unitId: 'economic-zone', plannedInvestment: 25000 });
    // The counts of 八未 now equal the ledger's rows in each.
    const last = report.burnDown.at(-1)!;
    for (const key of WEI_KEYS)
      expect(report.projects.filter((p) => p.wei.includes(key)).length, key).toBe(last.counts[key]);
  });

  it('prints each 八未 with the names of its projects, and the 台账 with a row per project', () => {
    const html = reportHtml(report);
    expect(html).toContain(`项目台账(${report.projects.length} 个)`);
    for (const key of WEI_KEYS) {
      const inIt = report.projects.filter((p) => p.wei.includes(key));
      expect(html).toContain(`${WEI_LABELS[key].zh}(${inIt.length} 个)`);
      for (const p of inIt) expect(html).toContain(p.name.replaceAll('"', '&quot;'));
    }
    const started = report.projects.find((p) => p.milestones.started !== null)!;
    expect(html).toContain(`开工 ${started.milestones.started}`);
  });

  it('has a 项目台账 sheet with the same rows', async () => {
    const { default: Excel } = await import('exceljs');
    const book = new Excel.Workbook();
    await book.xlsx.load(new Uint8Array(await reportXlsx(report)).buffer);
    const sheet = book.getWorksheet('项目台账')!;
    expect(sheet.rowCount).toBe(report.projects.length + 1);
    expect(sheet.getRow(1).getCell(1).value).toBe('项目');
    expect(sheet.getRow(2).getCell(1).value).toBe(report.projects[0]!.name);
  });
});
