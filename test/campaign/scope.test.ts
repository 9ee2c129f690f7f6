import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { parseScenario, simulate } from '../../engine/index.ts';
import { projectInput, testApp } from '../server/helpers.ts';

// Issue 12, rule 6: projects that enter a category during the campaign count (the default);
// the frozen day-0 list is a setting.

function township(scope?: 'all' | 'frozen') {
  return parseScenario({
    format: 'gongjian-scenario/1',
    campaign: { id: 'scope', name: '范围', start: '2022-08-01', days: 31, ...(scope ? { scope } : {}) },
    units: ['a', 'b', 'c'].map((id) => ({ id, name: `${id}镇`, group: 'township' })),
    staff: [
      { id: 'hq-1', name: '三高办', role: 'hq' },
      { id: 'a-staff', name: 'a', role: 'unit', unitId: 'a' },
    ],
    targets: { a: { '2022-08': { signed: 3 } } },
    // One project on the day-0 list; three sub-projects registered (negotiating) during the campaign.
    projects: [{ id: 'a-0', name: '老项目', unitId: 'a', plannedInvestment: 1000 }],
    events: [
      ...[1, 2, 3].map((i) => ({
        at: '2022-08-05',
        by: 'hq-1',
        type: 'REGISTER_PROJECT',
        project: { id: `a-${i}`, name: `子项目${i}`, unitId: 'a', plannedInvestment: 800 },
      })),
      ...[0, 1, 2, 3].map((i) => ({
        at: '2022-08-20',
        by: 'a-staff',
        project: `a-${i}`,
        type: 'SIGN',
        contractAmount: 500,
      })),
    ],
  });
}

const signedOf = async (scope?: 'all' | 'frozen') => {
  const { report } = await simulate(township(scope));
  return report.supervisions[0]!.units.find((u) => u.unitId === 'a')!.tasks.find((t) => t.task === 'signed')!;
};

describe('rule 6: what a count task scores', () => {
  it('by default every project leaving the category counts, also those registered during the campaign', async () => {
    expect(await signedOf()).toMatchObject({ target: 3, actual: 4, newActual: 0, rate: 4 / 3 });
  });

  it('scope "frozen" scores only the day-0 list and shows the others apart', async () => {
    expect(await signedOf('frozen')).toMatchObject({ target: 3, actual: 1, newActual: 3 });
  });
});

describe('rule 6: targets above what the projects could meet', () => {
  it('are warned of in the report, naming the unit, the task and the numbers', async () => {
    const { report } = await simulate(township());
    expect(report.warnings).toEqual([expect.objectContaining({ unitId: 'a', task: 'signed', target: 3, possible: 1 })]);
    expect(report.warnings[0]!.zh).toBe('a镇「洽谈项目签约」目标 3 个,现有可完成的项目只有 1 个');
  });

  it('are warned of when the campaign is registered over HTTP', async () => {
    const { app, auth, engine } = await testApp();
    await engine.create('project', projectInput({ id: 'p1', unitId: 'u1' }), { actor: 'hq-1' });
    const res = await request(app)
      .post('/api/campaigns')
      .set(auth('hq'))
      .send({
        id: 'c1',
        name: '百日攻坚',
        start: '2022-08-01',
        days: 31,
        units: [{ id: 'u1', name: '一号镇', group: 'township' }],
        targets: { u1: { '2022-08': { signed: 2, started: 1 } } },
      });
    expect(res.status).toBe(201);
    expect(res.body.warnings.map((w: { task: string; possible: number }) => [w.task, w.possible])).toEqual([
      ['signed', 1],
      ['started', 0],
    ]);
  });
});
