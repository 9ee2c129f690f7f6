import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseScenario, simulate, type Scenario } from '../../engine/index.ts';
import { EVENT_LABELS, type CampaignReport } from '../../machines/index.ts';
import { reportHtml, reportXlsx } from '../../report/index.ts';

// Issue 12, rule 16: the printed report and the workbook speak Chinese — names, not ids; labels,
// not English keys — in every section, the problem list, refusals, lights and assessment included.

let scenario: Scenario;
let report: CampaignReport;
beforeAll(async () => {
  scenario = parseScenario(
    JSON.parse(await readFile(join(import.meta.dirname, '../../scenarios/chaling-2022.json'), 'utf8')),
  );
  report = (await simulate(scenario)).report;
});

/** Ids and English keys a county office should never read in its 通报. */
function slugs(): Set<string> {
  return new Set([
    ...scenario.units.map((u) => u.id),
    ...scenario.projects.map((p) => p.id),
    ...scenario.staff.map((m) => m.id),
    ...Object.keys(EVENT_LABELS),
    ...report.refusals.list.map((r) => r.rule),
    'inspection',
    'meeting',
    'open',
    'assigned',
    'resolved',
    'verified',
  ]);
}

describe('rule 16: the report in Chinese', () => {
  it('has sections to check (problems, refusals, lights, assessment)', () => {
    expect(report.problems.length).toBeGreaterThan(0);
    expect(report.refusals.list.length).toBeGreaterThan(0);
    expect(report.projectLights.length).toBeGreaterThan(0);
    expect(report.assessment?.length).toBeGreaterThan(0);
  });

  it('the printable page shows no id or English key as a table cell', () => {
    const html = reportHtml(report);
    const cells = [...html.matchAll(/<t[dh][^>]*>([^<]*)<\/t[dh]>/g)].map((m) => m[1]!.trim());
    const bad = cells.filter((c) => slugs().has(c));
    expect(bad).toEqual([]);
    // Names appear instead.
    for (const p of report.problems) expect(html).toContain(report.names.projects[p.projectId]!);
  });

  it('the workbook shows no id or English key in any cell', async () => {
    const { default: Excel } = await import('exceljs');
    const book = new Excel.Workbook();
    await book.xlsx.load(new Uint8Array(await reportXlsx(report)).buffer);
    const bad: string[] = [];
    for (const sheet of book.worksheets)
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          if (typeof cell.value === 'string' && slugs().has(cell.value.trim()))
            bad.push(`${sheet.name}: ${cell.value}`);
        }),
      );
    expect(bad).toEqual([]);
    expect(book.worksheets.map((s) => s.name)).toEqual(expect.arrayContaining(['项目红黄灯', '未获通过的报送']));
  });
});
