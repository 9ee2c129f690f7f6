import { describe, expect, it } from 'vitest';
import { parseScenario, simulate } from '../../engine/index.ts';

// Issue 12, rule 7: units with no target are neither scored nor ranked; ties share a rank.

function scenario() {
  const units = ['a', 'b', 'c', 'd'];
  return parseScenario({
    format: 'gongjian-scenario/1',
    campaign: { id: 'fair', name: '公平计分', start: '2022-08-01', days: 31 },
    units: units.map((id) => ({ id, name: `${id}镇`, group: 'township' })),
    staff: [
      { id: 'hq-1', name: '三高办', role: 'hq' },
      ...units.map((u) => ({ id: `${u}-staff`, name: u, role: 'unit', unitId: u })),
    ],
    // d has no target at all.
    targets: { a: { '2022-08': { signed: 1 } }, b: { '2022-08': { signed: 1 } }, c: { '2022-08': { signed: 1 } } },
    projects: units.map((u) => ({
      id: `${u}-1`,
      name: `${u}项目`,
      unitId: u,
      plannedInvestment: 1000,
      asOf: '2022-07-01',
    })),
    events: ['a', 'b', 'd'].map((u) => ({
      at: '2022-08-10',
      by: `${u}-staff`,
      project: `${u}-1`,
      type: 'SIGN',
      contractAmount: 500,
    })),
  });
}

describe('rule 7: the final assessment (考核总结)', () => {
  it('does not score or rank a unit with no target; equal units share a rank', async () => {
    const { report } = await simulate(scenario());
    const byUnit = Object.fromEntries((report.assessment ?? []).map((a) => [a.unitId, a]));
    expect(byUnit.a).toMatchObject({ score: 100, rankInGroup: 1 });
    expect(byUnit.b).toMatchObject({ score: 100, rankInGroup: 1 });
    expect(byUnit.c).toMatchObject({ score: 0, rankInGroup: 3 });
    expect(byUnit.d).toMatchObject({ score: null, rankInGroup: null });
  });

  it('monthly rankings share ranks on ties too (competition ranking 1, 1, 3)', async () => {
    const { report } = await simulate(scenario());
    const signed = (unitId: string) =>
      report.supervisions[0]!.units.find((u) => u.unitId === unitId)!.tasks.find((t) => t.task === 'signed')!;
    expect([signed('a').rank, signed('b').rank, signed('c').rank]).toEqual([1, 1, 3]);
    expect(signed('d').rank).toBeNull();
  });
});
