import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CampaignService, Engine, parseScenario, seededRandom, simulate } from '../../engine/index.ts';
import {
  STARTED_STAGES,
  WEI_KEYS,
  programmeRollup,
  weiKeys,
  type CampaignInput,
  type ProjectInput,
  type Stage,
} from '../../machines/index.ts';
import { MemoryStore } from '../../store/index.ts';

const UNITS = ['t1', 't2', 't3'];
const STAGES: Stage[] = ['negotiating', 'signed', 'underConstruction', 'completed', 'inProduction'];
const PERMITS = ['landUsePlanning', 'landTitle', 'engineeringPlanning', 'construction'] as const;

/** A programme of 50–80 generated sub-projects across three units, some moved on by events. */
async function generated(seed: number) {
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const engine = new Engine({ store: new MemoryStore(), clock: () => '2022-09-30T12:00:00.000+08:00' });
  await engine.open();
  await engine.create(
    'programme',
    {
      id: 'g',
      name: '分布式光伏',
      plannedInvestment: 135000,
      capacity: { value: 300, unit: 'MW' },
      landMu: 3600,
      registeredOn: '2022-07-01',
    },
    { actor: 'hq' },
  );
  const n = 50 + Math.floor(random() * 31);
  for (let i = 0; i < n; i++) {
    const stage = pick(STAGES);
    const built = STARTED_STAGES.includes(stage);
    const required = 10 + Math.floor(random() * 90);
    const input: ProjectInput = {
      id: `s${i}`,
      name: `电站 ${i}`,
      unitId: pick(UNITS),
      plannedInvestment: 1000 + Math.floor(random() * 3000),
      programmeId: 'g',
      capacity: { value: 1 + Math.floor(random() * 5), unit: 'MW' },
      stage,
      asOf: '2022-08-01',
      ...(built || stage === 'signed' ? { permits: [...PERMITS] } : {}),
      land: { requiredMu: required, houses: 0, ...(built ? { clearedMu: required } : {}) },
    };
    expect((await engine.create('project', input, { actor: 'hq' })).status, `s${i}`).toBe('created');
    // Some move on: signed ones clear land and start, started ones report investment.
    if (stage === 'signed' && random() < 0.5) {
      await engine.send(
        'project',
        `s${i}`,
        { type: 'REPORT_CLEARANCE', mu: required, houses: 0, at: '2022-08-10' },
        { actor: 'u' },
      );
      await engine.send('project', `s${i}`, { type: 'START_CONSTRUCTION', at: '2022-08-12' }, { actor: 'u' });
    }
    if (built && random() < 0.7)
      await engine.send(
        'project',
        `s${i}`,
        { type: 'REPORT_INVESTMENT', month: '2022-08', amount: 100 + Math.floor(random() * 400), at: '2022-09-02' },
        { actor: 'u' },
      );
  }
  // A sub-project from another programme must not count.
  await engine.create(
    'project',
    { id: 'other', name: '别的', unitId: 't1', plannedInvestment: 9, asOf: '2022-08-01' },
    { actor: 'hq' },
  );
  return engine;
}

describe('programmes (项目群): roll-ups computed from the sub-projects', () => {
  for (const seed of [1, 2, 3, 4, 5])
    it(`seed ${seed}: the roll-up equals an independent count from the sub-projects' snapshots`, async () => {
      const engine = await generated(seed);
      const programme = engine.get('programme', 'g')!;
      const subs = engine.list('project').filter((p) => p.context.programmeId === 'g');
      expect(subs.length).toBeGreaterThanOrEqual(50);
      const rollup = programmeRollup(programme.context, engine.list('project', { programmeId: 'g' }));
      // Independent count: plain loops over the stored snapshots.
      let planned = 0;
      let started = 0;
      let invested = 0;
      let required = 0;
      let cleared = 0;
      let capacityStarted = 0;
      const byStage: Record<string, number> = {};
      const wei: Record<string, number> = {};
      for (const s of subs) {
        planned += s.context.plannedInvestment;
        required += s.context.land!.requiredMu;
        cleared += s.context.land!.clearedMu;
        for (const r of s.context.investments ?? []) invested += r.amount;
        byStage[s.value.lifecycle] = (byStage[s.value.lifecycle] ?? 0) + 1;
        if (['underConstruction', 'completed', 'inProduction', 'atTarget'].includes(s.value.lifecycle)) {
          started += s.context.plannedInvestment;
          capacityStarted += s.context.capacity!.value;
        }
        for (const k of weiKeys(s)) wei[k] = (wei[k] ?? 0) + 1;
      }
      expect(rollup.subProjects).toBe(subs.length);
      expect(rollup.byStage).toEqual(byStage);
      for (const k of WEI_KEYS) expect(rollup.wei[k], k).toBe(wei[k] ?? 0);
      expect(rollup.land).toMatchObject({ requiredMu: required, clearedMu: cleared });
      expect(rollup.investment).toMatchObject({ planned, started, invested });
      expect(rollup.capacity).toMatchObject({ unit: 'MW', started: capacityStarted });
      expect(rollup.units).toEqual([...new Set(subs.map((s) => s.context.unitId))].sort());
      // Declared 135,000 万元 / 300 MW / 3,600 亩 against what the generated plants add up to: reported.
      expect(rollup.discrepancies.map((d) => d.field).sort()).toEqual(['capacity', 'landMu', 'plannedInvestment']);
    });
});

describe('the 300 MW programme (scenarios/pv-300mw.json)', async () => {
  const scenario = parseScenario(
    JSON.parse(readFileSync(join(import.meta.dirname, '../../scenarios/pv-300mw.json'), 'utf8')),
  );
  const { report } = await simulate(scenario);

  it('is one programme of sixty plants in three townships, its land and money adding up', () => {
    const [pv] = report.programmes;
    expect(pv).toMatchObject({
      id: 'pv-300',
      subProjects: 60,
      units: ['hujv', 'mijiang', 'yantang'],
      land: { requiredMu: 3600, declaredMu: 3600, clearedMu: 1800 },
      investment: { declared: 135000, planned: 135000, started: 67500, invested: 27000 },
      capacity: { unit: 'MW', declared: 300, total: 300, started: 150 },
      discrepancies: [],
    });
  });

  it('counts once among the 亿元以上 projects (no plant alone reaches 1 亿元); per project: none', () => {
    expect(report.totals).toMatchObject({
      majorSignings: 1,
      majorStarted: 1,
      majorSigningsProjects: 0,
      majorStartedProjects: 0,
      investmentWan: 27000,
    });
    // A programme with money to show reports it.
    expect(report.totalsShown).toContain('investmentWan');
  });

  it('with programmes counted each, no plant is a 亿元以上 project', async () => {
    const each = await simulate({ ...scenario, campaign: { ...scenario.campaign, programmes: 'each' } });
    expect(each.report.totals).toMatchObject({ majorSignings: 0, majorStarted: 0 });
  });
});

describe('the investment task: scored and ranked like the others; a missing month flagged', () => {
  it('ranks units on 完成投资 and flags a 入库 project without a month’s report', async () => {
    let today = '2022-08-01';
    const engine = new Engine({ store: new MemoryStore(), clock: () => `${today}T12:00:00.000+08:00` });
    await engine.open();
    const campaigns = new CampaignService(engine);
    const units = ['a', 'b', 'c'];
    const config: CampaignInput = {
      id: 'c',
      name: '投资攻坚',
      start: '2022-08-01',
      days: 61,
      units: units.map((id) => ({ id, name: `${id} 镇`, group: 'township' as const })),
      targets: Object.fromEntries(units.map((u) => [u, { '2022-08': { investment: 1000 } }])),
    };
    await campaigns.create(config, 'hq');
    for (const [i, u] of units.entries())
      await engine.create(
        'project',
        {
          id: `p-${u}`,
          name: `${u} 项目`,
          unitId: u,
          plannedInvestment: 20000,
          stage: 'underConstruction',
          statsRegistered: i === 0,
          permits: [...PERMITS],
          asOf: '2022-07-31',
          since: '2022-07-01',
          annualPlan: { '2022': 6000 },
        },
        { actor: 'hq' },
      );
    await campaigns.send('c', { type: 'START', at: '2022-08-01' }, 'hq');
    today = '2022-08-30';
    const report = (u: string, amount: number) =>
      engine.send(
        'project',
        `p-${u}`,
        { type: 'REPORT_INVESTMENT', month: '2022-08', amount, at: today },
        { actor: 'u' },
      );
    expect((await report('b', 1200)).status).toBe('accepted');
    expect((await report('c', 600)).status).toBe('accepted');
    today = '2022-08-31';
    await campaigns.send('c', { type: 'SUPERVISE', month: '2022-08', at: today }, 'hq');
    const [august] = await campaigns.supervisions('c');
    const cell = (u: string) => august!.units.find((x) => x.unitId === u)!.tasks.find((t) => t.task === 'investment')!;
    expect([cell('b'), cell('c'), cell('a')].map((t) => [t.actual, t.rank])).toEqual([
      [1200, 1],
      [600, 2],
      [0, 3],
    ]);
    expect(august!.units.find((x) => x.unitId === 'a')!.missedTasks).toContain('investment');
    today = '2022-09-15';
    const r = (await campaigns.report('c'))!;
    // Registered (入库) since July, no report for July or August.
    expect(r.investment.missing).toEqual([{ projectId: 'p-a', unitId: 'a', months: ['2022-07', '2022-08'] }]);
    expect(r.investment.byUnit.find((u) => u.unitId === 'b')).toMatchObject({
      completed: 1200,
      annualPlan: 6000,
      rate: 0.2,
    });
    // A wrong month's figure is corrected (更正), not sent again: the totals follow.
    const sent = (await engine.history('project', 'p-b')).find((e) => e.kind === 'event')!;
    expect(await report('b', 100)).toMatchObject({
      status: 'rejected',
      rejection: { rule: 'investmentMonthReported' },
    });
    const fix = { type: 'REPORT_INVESTMENT', month: '2022-08', amount: 1100, at: '2022-08-30' };
    const corrected = await engine.correct(
      'project',
      'p-b',
      { seq: sent.seq, event: fix, reason: '统计局核定' },
      { actor: 'hq' },
    );
    expect(corrected.status).toBe('accepted');
    const after = (await campaigns.report('c'))!;
    expect(after.investment.byUnit.find((u) => u.unitId === 'b')!.completed).toBe(1100);
    expect(after.totals.investmentWan).toBe(1700);
  });
});
