import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario, simulate } from '../../engine/index.ts';
import type { ReviewSettings } from '../../machines/index.ts';

const raw = JSON.parse(readFileSync(join(import.meta.dirname, '../../scenarios/chaling-2022.json'), 'utf8'));
const scenario = parseScenario(raw);
const review: ReviewSettings = {
  events: { START_CONSTRUCTION: ['housing', 'hq'], REPORT_CLEARANCE: ['naturalResources', 'hq'] },
};

/** What a supervision found, unit by unit: the figures, ranks and ladder steps the 通报 publishes. */
const found = (s: Awaited<ReturnType<typeof simulate>>['report']['supervisions']) =>
  s.map((month) => ({
    month: month.month,
    units: month.units.map((u) => ({
      unit: u.unitId,
      step: u.step,
      tasks: u.tasks.map((t) => [t.task, t.actual, t.rank, t.light]),
    })),
  }));

describe('the Chaling campaign with review switched on for starts and clearances', async () => {
  const plain = await simulate(scenario);
  const reviewed = await simulate(scenario, { review, approveAfterDays: 0 });

  it('reproduces the same published figures once its reviews are in', () => {
    expect(reviewed.report.totals).toEqual(plain.report.totals);
    expect(found(reviewed.report.supervisions)).toEqual(found(plain.report.supervisions));
    expect(reviewed.report.ladders.map((l) => l.state)).toEqual(plain.report.ladders.map((l) => l.state));
  });

  it('every start and clearance went through a filing, approved, linked to its project event', async () => {
    const filings = reviewed.engine.list('filing');
    const reviewedTypes = scenario.events.filter(
      (e) => e.type === 'START_CONSTRUCTION' || e.type === 'REPORT_CLEARANCE',
    );
    expect(reviewed.counts.filed).toBe(filings.length);
    expect(filings.length).toBeGreaterThan(0);
    // Those the project refused at once (the scenario's deliberate refusals) were never filed.
    expect(filings.length).toBeLessThanOrEqual(reviewedTypes.length);
    expect(filings.every((f) => f.value === 'approved')).toBe(true);
    const one = filings[0]!;
    const history = await reviewed.engine.history('project', one.context.projectId);
    expect(history.some((e) => e.kind === 'event' && e.link?.id === one.id)).toBe(true);
  });

  it('slow reviewing shows: approved three days late, supervisions find filings pending', async () => {
    const late = await simulate(scenario, { review, approveAfterDays: 3 });
    const pending = late.report.supervisions.flatMap((m) => m.units.flatMap((u) => u.tasks.map((t) => t.pending)));
    expect(pending.some((n) => n > 0)).toBe(true);
    const started = (r: typeof late.report) =>
      r.supervisions.flatMap((m) => m.units.map((u) => u.tasks.find((t) => t.task === 'started')!.actual));
    expect(started(late.report)).not.toEqual(started(plain.report));
  });
});

describe('scenarios with filings, reviews and corrections', () => {
  const base = {
    format: 'gongjian-scenario/1',
    campaign: { id: 'c', name: '演示', start: '2022-08-01', days: 30, review },
    units: [{ id: 'u1', name: '一号镇', group: 'township' }],
    staff: [
      { id: 'hq-1', name: '三高办', role: 'hq' },
      { id: 'u1-1', name: '经办员', role: 'unit', unitId: 'u1' },
      { id: 'nr-1', name: '自然资源局', role: 'naturalResources' },
    ],
    targets: {},
    projects: [
      {
        id: 'p1',
        name: '项目一',
        unitId: 'u1',
        plannedInvestment: 800,
        stage: 'signed',
        land: { requiredMu: 10, houses: 0 },
      },
    ],
  };

  it('a filing returned, resubmitted, approved, then corrected — both records in the history', async () => {
    const run = await simulate(
      parseScenario({
        ...base,
        events: [
          { at: '2022-08-02', by: 'u1-1', project: 'p1', type: 'REPORT_CLEARANCE', mu: 12, houses: 0, filing: 'f0' },
          {
            at: '2022-08-02',
            by: 'u1-1',
            project: 'p1',
            type: 'REPORT_CLEARANCE',
            mu: 9,
            houses: 0,
            filing: 'f1',
            ref: 'land',
          },
          { at: '2022-08-03', by: 'nr-1', type: 'RETURN', filing: 'f1', reason: '与丈量表不符' },
          {
            at: '2022-08-04',
            by: 'u1-1',
            type: 'RESUBMIT',
            filing: 'f1',
            event: { type: 'REPORT_CLEARANCE', mu: 8, houses: 0 },
          },
          { at: '2022-08-05', by: 'nr-1', type: 'APPROVE', filing: 'f1' },
          {
            at: '2022-08-10',
            by: 'hq-1',
            type: 'CORRECT',
            project: 'p1',
            ref: 'land',
            event: { type: 'REPORT_CLEARANCE', mu: 7, houses: 0 },
            reason: '复核',
          },
          { at: '2022-08-11', by: 'u1-1', type: 'CORRECT', project: 'p1', ref: 'land', void: true, reason: '越权' },
        ],
      }),
    );
    // 12 亩 > 10 required: refused at once; the unit's CORRECT is forbidden.
    expect(run.counts).toMatchObject({ filed: 1, forbidden: 1 });
    expect(run.engine.get('project', 'p1')!.context.land?.clearedMu).toBe(7);
    expect(run.report.totals.landSuppliedMu).toBe(7);
    const history = await run.engine.history('project', 'p1');
    expect(history.map((e) => e.kind)).toEqual(['create', 'refusal', 'event', 'correction']);
    expect(history[2]).toMatchObject({ event: { mu: 8, at: '2022-08-04' }, link: { entity: 'filing', id: 'f1' } });
  });

  it('names a review of an unknown filing and a correction of an unknown event, before anything runs', () => {
    expect(() =>
      parseScenario({
        ...base,
        events: [
          { at: '2022-08-05', by: 'nr-1', type: 'APPROVE', filing: 'nope' },
          { at: '2022-08-10', by: 'hq-1', type: 'CORRECT', project: 'p1', ref: 'nope', void: true, reason: 'x' },
        ],
      }),
    ).toThrow(/unknown filing nope[\s\S]*no earlier event of project p1 named nope/);
  });
});
