import { describe, expect, it } from 'vitest';
import {
  campaignPeriods,
  lightFor,
  monthsBetween,
  projectLights,
  superviseMonth,
  DEFAULT_LIGHTS,
  type CampaignInput,
  type Ledger,
  type Movement,
  type ProjectFacts,
} from '../../machines/index.ts';

// Issue 12, rule 9: traffic lights against the plan, not the calendar; lights had no tests.

const config: CampaignInput = {
  id: 'c',
  name: 'c',
  start: '2022-08-01',
  days: 92, // 08-01 … 10-31: three months
  units: [
    { id: 'onPlan', name: '按计划', group: 'township' },
    { id: 'behind', name: '落后', group: 'township' },
    { id: 'far', name: '远远落后', group: 'township' },
  ],
  // Back-loaded targets: 2, 2, then 16 in October (20 in all).
  targets: Object.fromEntries(
    ['onPlan', 'behind', 'far'].map((u) => [
      u,
      { '2022-08': { signed: 2 }, '2022-09': { signed: 2 }, '2022-10': { signed: 16 } },
    ]),
  ),
};

function ledgerWith(signings: Record<string, number>): Ledger {
  const movements: Movement[] = [];
  let seq = 0;
  for (const [unitId, n] of Object.entries(signings))
    for (let i = 0; i < n; i++)
      movements.push({
        seq: ++seq,
        at: '2022-08-10',
        projectId: `${unitId}-${i}`,
        unitId,
        task: 'signed',
        amount: 1,
        baseline: true,
      });
  return {
    projects: new Map(),
    movements,
    baseline: new Map(),
    events: [],
    refusals: [],
    corrections: [],
    pending: [],
    programmes: new Map(),
  };
}

const august = campaignPeriods(config.start, config.days)[0]!;
const lightOf = (s: ReturnType<typeof superviseMonth>, unitId: string) =>
  s.units.find((u) => u.unitId === unitId)!.tasks.find((t) => t.task === 'signed')!.light;

describe('rule 9: traffic lights (红黄绿灯)', () => {
  it('lightFor: green at or above the progress expected, yellow within the points allowed, red beyond', () => {
    expect(lightFor(1, 1, DEFAULT_LIGHTS)).toBe('green');
    expect(lightFor(0.5, 0.5, DEFAULT_LIGHTS)).toBe('green');
    expect(lightFor(0.7, 1, DEFAULT_LIGHTS)).toBe('yellow');
    expect(lightFor(0.69, 1, DEFAULT_LIGHTS)).toBe('red');
    expect(lightFor(0.9, 1, { ...DEFAULT_LIGHTS, yellowWithinPoints: 5 })).toBe('red');
  });

  it('against the plan (default): a unit at 100 % of its monthly targets is green, however back-loaded', () => {
    const s = superviseMonth(config, ledgerWith({ onPlan: 2, behind: 1, far: 0 }), august, 1_000, undefined);
    expect(lightOf(s, 'onPlan')).toBe('green'); // 2 of the 2 planned to date
    expect(lightOf(s, 'behind')).toBe('red'); // 1 of 2: 50 points behind the plan
    expect(lightOf(s, 'far')).toBe('red');
  });

  it('against the calendar (option): the same unit at 100 % of its monthly target is behind 序时进度', () => {
    const calendar = { ...config, lights: { basis: 'calendar' as const } };
    const s = superviseMonth(calendar, ledgerWith({ onPlan: 2, behind: 1, far: 0 }), august, 1_000, undefined);
    // 2 of 20 for the campaign = 10 % against 31/92 ≈ 34 % elapsed: 24 points behind → yellow.
    expect(lightOf(s, 'onPlan')).toBe('yellow');
    expect(lightOf(s, 'far')).toBe('red');
  });

  it('a unit with no target for the task has no light', () => {
    const none = { ...config, targets: { onPlan: { '2022-08': { started: 1 } } } };
    const s = superviseMonth(none, ledgerWith({ onPlan: 2 }), august, 1_000, undefined);
    expect(lightOf(s, 'onPlan')).toBeNull();
  });
});

describe('rule 9: monthsBetween (project lights count whole months)', () => {
  it.each([
    ['2022-01-31', '2022-02-28', 1],
    ['2022-01-31', '2022-02-27', 0],
    ['2022-01-31', '2022-03-31', 2],
    ['2022-01-15', '2022-02-14', 0],
    ['2022-01-15', '2022-02-15', 1],
    ['2024-01-31', '2024-02-29', 1],
    ['2022-12-31', '2023-01-31', 1],
  ])('%s → %s is %i', (from, to, months) => {
    expect(monthsBetween(from, to)).toBe(months);
  });
});

describe('rule 9: project lights', () => {
  const project = (value: Partial<ProjectFacts['value']>, stageSince: string): ProjectFacts => ({
    id: 'p',
    name: 'p',
    unitId: 'onPlan',
    plannedInvestment: 1000,
    xiangshang: false,
    illustrative: false,
    stageSince,
    value: {
      lifecycle: 'signed',
      permits: 'pending',
      land: 'notRequired',
      bond: 'none',
      statistics: 'unregistered',
      support: 'normal',
      ...value,
    },
  });
  const lights = (p: ProjectFacts, date: string) =>
    projectLights(config, { ...ledgerWith({}), projects: new Map([[p.id, p]]) }, date).map((l) => l.light);

  it('signed and not started: red after three whole months, not before', () => {
    expect(lights(project({}, '2022-05-31'), '2022-08-30')).toEqual([]);
    expect(lights(project({}, '2022-05-31'), '2022-08-31')).toEqual(['red']);
  });

  it('under construction without 入库: yellow after one month, red after two', () => {
    const building = project({ lifecycle: 'underConstruction' }, '2022-01-31');
    expect(lights(building, '2022-02-27')).toEqual([]);
    expect(lights(building, '2022-02-28')).toEqual(['yellow']);
    expect(lights(building, '2022-03-31')).toEqual(['red']);
  });
});
