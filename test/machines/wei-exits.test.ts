import { describe, expect, it } from 'vitest';
import {
  burnDown,
  explainRejection,
  validateProjectInput,
  weiKeys,
  type Fact,
  type ProjectInput,
} from '../../machines/index.ts';
import { ALL_PERMITS, projectActor } from './fixtures.ts';

// Issue 12, rules 2–4: every 八未 has an exit, or the project never enters it.

const built = { permits: [...ALL_PERMITS], statsRegistered: false };

describe('rule 2: 在建未入库 applies only to projects at or above the 入库 threshold', () => {
  it('a project of 300 万元 under construction is not in 在建未入库 (it can never be registered)', () => {
    const small = projectActor({ ...built, stage: 'underConstruction', plannedInvestment: 300 });
    expect(weiKeys(small.getSnapshot())).toEqual(['uncompleted']);
    expect(explainRejection(small.getSnapshot(), { type: 'REGISTER_STATS', at: '2022-09-01' })?.rule).toBe(
      'belowStatsThreshold',
    );
  });

  it('one of 500 万元 is, until it is registered', () => {
    const big = projectActor({ ...built, stage: 'underConstruction', plannedInvestment: 500 });
    expect(weiKeys(big.getSnapshot())).toEqual(['uncompleted', 'unregistered']);
    big.send({ type: 'REGISTER_STATS', at: '2022-09-01' });
    expect(weiKeys(big.getSnapshot())).toEqual(['uncompleted']);
  });

  it('the burn-down counts the same way', () => {
    const config = { id: 'c', name: 'c', start: '2022-08-01', days: 2, units: [], targets: {} };
    const create = (id: string, plannedInvestment: number): Fact =>
      ({
        seq: 1,
        entity: 'project',
        id,
        kind: 'create',
        at: '2022-07-01',
        input: { id, name: id, unitId: 'u', plannedInvestment, stage: 'underConstruction', ...built },
      }) as Fact;
    const [, day1] = burnDown(config, [create('small', 300), create('big', 800)]);
    expect(day1!.counts).toMatchObject({ uncompleted: 2, unregistered: 1 });
  });
});

describe('rule 3: public works end at completion (交付使用)', () => {
  const road = { purpose: 'public' as const, plannedInvestment: 2000, ...built, statsRegistered: true };

  it('a completed public project is in no 八未; it cannot start production', () => {
    const done = projectActor({ ...road, stage: 'completed' });
    expect(weiKeys(done.getSnapshot())).toEqual([]);
    expect(explainRejection(done.getSnapshot(), { type: 'START_PRODUCTION', at: '2022-09-01' })).toMatchObject({
      rule: 'publicWorks',
    });
    expect(done.getSnapshot().context.purpose).toBe('public');
  });

  it('it may not be registered in production or with an output target', () => {
    const problems = (input: Partial<ProjectInput>) =>
      validateProjectInput({ id: 'r', name: '道路', unitId: 'u', ...road, ...input }).map((p) => p.field);
    expect(problems({ stage: 'inProduction' })).toContain('stage');
    expect(problems({ stage: 'completed', outputTarget: 100 })).toContain('outputTarget');
    expect(problems({ stage: 'completed' })).toEqual([]);
    expect(problems({ purpose: 'charity' as never })).toContain('purpose');
  });

  it('a productive project (the default) still goes on to 竣工未投产', () => {
    const plant = projectActor({ ...built, statsRegistered: true, stage: 'completed' });
    expect(weiKeys(plant.getSnapshot())).toEqual(['unproductive']);
    expect(plant.getSnapshot().context).not.toHaveProperty('purpose');
  });
});

describe('rule 4: a project in production without its designed output can reach 达产', () => {
  const producing = { ...built, statsRegistered: true, stage: 'inProduction' as const };

  it('SET_OUTPUT_TARGET gives it a target; reporting a month at it leaves 投产未达产', () => {
    const p = projectActor(producing);
    expect(
      explainRejection(p.getSnapshot(), { type: 'REPORT_OUTPUT', month: '2022-08', output: 500, at: '2022-09-01' })
        ?.rule,
    ).toBe('outputTargetMissing');
    p.send({ type: 'SET_OUTPUT_TARGET', outputTarget: 400, at: '2022-09-01' });
    expect(p.getSnapshot().context.outputTarget).toBe(400);
    p.send({ type: 'REPORT_OUTPUT', month: '2022-08', output: 500, at: '2022-09-02' });
    expect(p.getSnapshot().value.lifecycle).toBe('atTarget');
    expect(weiKeys(p.getSnapshot())).toEqual([]);
  });

  it('a bad target is refused with its reason; a public project has none to set', () => {
    const p = projectActor(producing);
    expect(
      explainRejection(p.getSnapshot(), { type: 'SET_OUTPUT_TARGET', outputTarget: 0, at: '2022-09-01' })?.rule,
    ).toBe('outputTargetInvalid');
    expect(
      explainRejection(p.getSnapshot(), { type: 'SET_OUTPUT_TARGET', outputTarget: 1e12, at: '2022-09-01' })?.rule,
    ).toBe('quantityBound');
    const road = projectActor({ ...built, purpose: 'public', stage: 'completed' });
    expect(
      explainRejection(road.getSnapshot(), { type: 'SET_OUTPUT_TARGET', outputTarget: 5, at: '2022-09-01' })?.rule,
    ).toBe('publicWorks');
  });

  it('with targetMonths 2, 达产 needs two consecutive calendar months at target', () => {
    const p = projectActor({ ...producing, outputTarget: 100, targetMonths: 2 });
    const report = (month: string, output: number, at: string) => p.send({ type: 'REPORT_OUTPUT', month, output, at });
    report('2022-06', 120, '2022-07-01');
    expect(p.getSnapshot().value.lifecycle).toBe('inProduction');
    report('2022-07', 90, '2022-08-01'); // below: the run breaks
    report('2022-08', 130, '2022-09-01');
    expect(p.getSnapshot().value.lifecycle).toBe('inProduction');
    report('2022-09', 101, '2022-10-01');
    expect(p.getSnapshot().value.lifecycle).toBe('atTarget');
  });

  it('targetMonths is 1–12 at registration', () => {
    const fields = (targetMonths: number) =>
      validateProjectInput({ id: 'x', name: 'x', unitId: 'u', plannedInvestment: 10, targetMonths }).map(
        (p) => p.field,
      );
    expect(fields(0)).toContain('targetMonths');
    expect(fields(13)).toContain('targetMonths');
    expect(fields(1.5)).toContain('targetMonths');
    expect(fields(3)).not.toContain('targetMonths');
  });
});
