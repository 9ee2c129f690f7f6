import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario, simulate, type SimulationResult } from '../../engine/index.ts';
import ExcelJS from 'exceljs';
import { reportHtml, reportXlsx } from '../../report/index.ts';

const scenario = parseScenario(
  JSON.parse(readFileSync(join(import.meta.dirname, '../../scenarios/chaling-2022.json'), 'utf8')),
);

describe('the Chaling 2022 campaign (scenarios/chaling-2022.json)', async () => {
  const run: SimulationResult = await simulate(scenario);
  const { report } = run;

  it('reproduces the article’s published results, computed from the events', () => {
    expect(report.totals).toMatchObject({
      intoProduction: 7,
      reachedTarget: 8,
      bondProjectsAdvanced: 10,
      landSuppliedMu: 1296,
      housesDemolished: 153,
      majorSignings: 4,
      majorStarted: 7,
      xiangshangProjects: 20,
      parkSignings: 4,
      parkStarts: 3,
      parkCompletions: 3,
    });
  });

  it('tracks no investment (no target, plan or report): no 入库 project is flagged for missing reports', () => {
    expect(report.investment).toMatchObject({ tracked: false, completed: 0, missing: [] });
  });

  it('reports no 完成投资 total (a 0 there would read as nothing invested), in JSON, print and Excel', async () => {
    expect(report.totalsShown).not.toContain('investmentWan');
    expect(report.totalsShown).toContain('landSuppliedMu');
    expect(reportHtml(report)).not.toContain('完成投资');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await reportXlsx(report)) as never);
    const labels = book.getWorksheet('总览')!.getColumn(1).values.map(String);
    expect(labels).toContain('投产项目(个)');
    expect(labels.some((l) => l.includes('完成投资'))).toBe(false);
  });

  it('meets the 1,018.5 亩 land task ahead of time', () => {
    expect(report.totals.landTaskMu).toBe(1018.5);
    expect(report.totals.landTaskMet).toBe(true);
    expect(report.totals.landTaskMetOn! < report.campaign.end).toBe(true);
    expect(report.totals.landTaskMetDay).toBeLessThan(100);
  });

  it('starts with "百余" projects in the not-yets', () => {
    expect(report.baseline.projectsInAny).toBeGreaterThanOrEqual(100);
    expect(report.burnDown[0]!.counts.unsigned).toBe(report.baseline.counts.unsigned);
  });

  it('holds a supervision at each month’s close and at the end, then assesses and closes', () => {
    expect(report.campaign).toMatchObject({
      state: 'closed',
      start: '2022-06-23',
      end: '2022-09-30',
      supervisedMonths: ['2022-06', '2022-07', '2022-08', '2022-09'],
    });
    expect(report.assessment).toHaveLength(scenario.units.length);
  });

  it('严塘镇 climbs the ladder: deputy interview, then the secretary’s with a notice, then recovers', () => {
    const yantang = report.ladders.find((l) => l.unitId === 'yantang')!;
    expect(yantang.months.map((m) => m.step)).toEqual(['good', 'deputyInterview', 'secretaryInterview', 'good']);
    expect(yantang.state).toBe('goodStanding');
    const july = report.supervisions[1]!.units.find((u) => u.unitId === 'yantang')!;
    expect(july.tasks.find((t) => t.task === 'signed')).toMatchObject({
      target: 2,
      actual: 0,
      rank: 7,
      ranked: 7,
      bottom: true,
    });
  });

  it('records the accountability hq entered by hand, which a month with a miss does not lift', () => {
    const bureau = report.ladders.find((l) => l.unitId === 'natural-resources')!;
    expect(bureau).toMatchObject({ state: 'accountability', accountability: [{ at: '2022-09-28' }] });
    expect(bureau.months.at(-1)!.missedTasks).toEqual(['bondDisbursed']);
  });

  it('raises and resolves the problems of the 19 Aug and 6 Sep meetings', () => {
    const meetings = report.problems.filter((p) => p.source === 'onSiteMeeting');
    expect(meetings.map((p) => [p.projectId, p.raisedOn])).toEqual(
      expect.arrayContaining([
        ['longhua', '2022-08-19'],
        ['jingcai-2', '2022-08-19'],
        ['waste-to-energy', '2022-09-06'],
      ]),
    );
    expect(meetings.every((p) => p.state === 'verified' && !p.overdue)).toBe(true);
  });

  it('counts and lists refused events instead of failing on them', () => {
    expect(run.counts).toMatchObject({ refused: 3, forbidden: 1 });
    expect(report.refusals.byRule).toEqual({
      landUncleared: 1,
      clearanceExceedsRequired: 1,
      disbursementExceedsAllocation: 1,
    });
    expect(run.forbidden[0]).toMatchObject({ type: 'ALLOCATE_BOND', rule: 'role' });
  });

  it('gives byte-identical reports for the same scenario and seed', async () => {
    const again = await simulate(scenario, { seed: 1 });
    expect(JSON.stringify(again.report)).toBe(JSON.stringify(report));
  });
});
