import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import {
  buildLedger,
  campaignPeriods,
  ladderStep,
  superviseMonth,
  unitMachine,
  type CampaignInput,
  type Fact,
  type MonthSupervision,
  type Task,
} from '../../machines/index.ts';

/** A campaign of one month (July 2022) for the given units, with journal facts of their signings. */
function setup(
  units: [string, string][],
  targets: Record<string, number | Partial<Record<Task, number>>>,
  signings: [string, string][],
  settings: Partial<CampaignInput> = {},
) {
  const config: CampaignInput = {
    id: 'c',
    name: 'c',
    start: '2022-07-01',
    days: 62,
    units: units.map(([id, group]) => ({ id, name: id, group: group as 'township' })),
    targets: Object.fromEntries(
      Object.entries(targets).map(([unit, n]) => [unit, { '2022-07': typeof n === 'number' ? { signed: n } : n }]),
    ),
    ...settings,
  };
  const facts: Fact[] = [];
  let seq = 0;
  for (const [id] of units) {
    for (let i = 0; i < 5; i++)
      facts.push({
        seq: ++seq,
        kind: 'create',
        entity: 'project',
        id: `${id}-${i}`,
        at: '2022-06-30',
        actor: 'hq',
        input: { id: `${id}-${i}`, name: 'x', unitId: id, plannedInvestment: 100 },
      });
  }
  const startSeq = ++seq;
  const used = new Map<string, number>();
  for (const [unit, at] of signings) {
    const n = used.get(unit) ?? 0;
    used.set(unit, n + 1);
    const from = {
      lifecycle: 'negotiating',
      permits: 'pending',
      land: 'notRequired',
      bond: 'none',
      statistics: 'unregistered',
      support: 'normal',
    };
    facts.push({
      seq: ++seq,
      kind: 'event',
      entity: 'project',
      id: `${unit}-${n}`,
      at,
      actor: 'u',
      event: { type: 'SIGN', contractAmount: 1, at },
      from,
      to: { ...from, lifecycle: 'signed' },
    });
  }
  const ledger = buildLedger(facts, startSeq);
  const july = campaignPeriods(config.start, config.days)[0]!;
  return (previous?: MonthSupervision) => superviseMonth(config, ledger, july, Number.MAX_SAFE_INTEGER, previous);
}

const unit = (s: MonthSupervision, id: string) => s.units.find((u) => u.unitId === id)!;
const task = (s: MonthSupervision, id: string, t: Task = 'signed') => unit(s, id).tasks.find((x) => x.task === t)!;

describe('monthly supervision and the escalation rules', () => {
  const four: [string, string][] = [
    ['a', 'township'],
    ['b', 'township'],
    ['c', 'township'],
    ['d', 'township'],
  ];

  it(
    'a unit that missed and ranks in the last 2 of its group is interviewed by the executive deputy county ' + 'head',
    () => {
      const s = setup(four, { a: 2, b: 2, c: 2, d: 2 }, [
        ['a', '2022-07-05'],
        ['a', '2022-07-06'],
        ['b', '2022-07-07'],
        ['b', '2022-07-08'],
        ['c', '2022-07-09'],
        ['c', '2022-07-10'],
        ['d', '2022-07-11'],
      ])();
      expect(task(s, 'd')).toMatchObject({ actual: 1, rate: 0.5, rank: 4, bottom: true });
      expect(unit(s, 'd')).toMatchObject({ missedTasks: ['signed'], step: 'deputyInterview' });
    },
  );

  it('ranking in the last 2 without a miss is no interview', () => {
    const s = setup(four, { a: 1, b: 1, c: 1, d: 1 }, [
      ['a', '2022-07-05'],
      ['b', '2022-07-06'],
      ['c', '2022-07-07'],
      ['d', '2022-07-08'],
    ])();
    // Last in its group, but it met the target: never marked as a laggard (rule 8).
    expect(task(s, 'd')).toMatchObject({ rank: 4, bottom: false });
    expect(unit(s, 'd')).toMatchObject({ missedTasks: [], step: 'good' });
  });

  it('rule 8: in a group of three all at 100 %, no one is marked 排名后两位', () => {
    const three = four.slice(0, 3);
    const s = setup(three, { a: 1, b: 1, c: 1 }, [
      ['a', '2022-07-05'],
      ['b', '2022-07-06'],
      ['c', '2022-07-07'],
    ])();
    for (const id of ['a', 'b', 'c']) expect(task(s, id).bottom, id).toBe(false);
    expect(s.units.every((u) => u.bottomTasks.length === 0)).toBe(true);
  });

  it('rule 8: by default the bottom rank must be on the task missed (当月未完成攻坚任务且单项工作排名后两位)', () => {
    // Everyone signs one (d last: ranked 4th on a task it met); nobody starts one (all missed, tied first).
    const targets = Object.fromEntries(['a', 'b', 'c', 'd'].map((u) => [u, { signed: 1, started: 1 }]));
    const signings: [string, string][] = [
      ['a', '2022-07-05'],
      ['b', '2022-07-06'],
      ['c', '2022-07-07'],
      ['d', '2022-07-08'],
    ];
    const sameTask = setup(four, targets, signings)();
    expect(task(sameTask, 'd', 'signed')).toMatchObject({ rank: 4, bottom: false });
    expect(unit(sameTask, 'd')).toMatchObject({ missedTasks: ['started'], bottomTasks: [], step: 'missed' });
    // The county may decide otherwise: any task ranked low counts for the interview (still not marked).
    const anyTask = setup(four, targets, signings, { bottomOnMissedTask: false })();
    expect(task(anyTask, 'd', 'signed').bottom).toBe(false);
    expect(unit(anyTask, 'd')).toMatchObject({ bottomTasks: ['signed'], step: 'deputyInterview' });
  });

  it('ties are broken by larger absolute progress, then by earlier completion', () => {
    const s = setup(four, { a: 1, b: 2, c: 1, d: 1 }, [
      ['b', '2022-07-03'],
      ['b', '2022-07-04'],
      ['a', '2022-07-20'],
      ['c', '2022-07-10'],
      ['d', '2022-07-15'],
    ])();
    expect([task(s, 'b').rank, task(s, 'c').rank, task(s, 'd').rank, task(s, 'a').rank]).toEqual([1, 2, 3, 4]);
    expect(task(s, 'c').reachedOn).toBe('2022-07-10');
  });

  it('a unit with no target for a task is left out of its ranking, not ranked last', () => {
    const s = setup(four, { a: 1, b: 1, c: 1 }, [
      ['a', '2022-07-05'],
      ['b', '2022-07-06'],
    ])();
    expect(task(s, 'd')).toMatchObject({ rate: null, rank: null });
    expect(task(s, 'c')).toMatchObject({ rank: 3, ranked: 3, bottom: true });
  });

  it('groups are ranked separately', () => {
    const s = setup(
      [
        ['a', 'township'],
        ['b', 'township'],
        ['c', 'township'],
        ['x', 'department'],
        ['y', 'department'],
        ['z', 'department'],
      ],
      { a: 1, b: 1, c: 1, x: 1, y: 1, z: 1 },
      [
        ['a', '2022-07-05'],
        ['b', '2022-07-05'],
        ['x', '2022-07-05'],
      ],
    )();
    expect(task(s, 'c')).toMatchObject({ rank: 3, ranked: 3 });
    expect(task(s, 'x')).toMatchObject({ rank: 1, ranked: 3 });
    expect(task(s, 'z').rank).toBe(2);
  });

  it('a group too small to rank (fewer than 3 with a target) flags no one as last 2', () => {
    const s = setup(
      [
        ['a', 'soe'],
        ['b', 'soe'],
      ],
      { a: 1, b: 1 },
      [['a', '2022-07-05']],
    )();
    expect(task(s, 'b')).toMatchObject({ rank: 2, bottom: false });
    expect(unit(s, 'b').step).toBe('missed');
  });

  it('missing two months in a row brings the secretary’s and county head’s interview with a county-wide notice', () => {
    expect(
      ladderStep(
        { month: '2022-07', missedTasks: ['signed'], bottomTasks: [] },
        { month: '2022-08', missedTasks: ['landMu'], bottomTasks: [] },
      ),
    ).toBe('secretaryInterview');
    expect(
      ladderStep(
        { month: '2022-07', missedTasks: [], bottomTasks: ['signed'] },
        { month: '2022-08', missedTasks: ['landMu'], bottomTasks: [] },
      ),
    ).toBe('missed');
  });

  it('the unit machine climbs, holds, recovers and keeps its history; accountability is recorded by hand', () => {
    const actor = createActor(unitMachine, { input: { id: 'c.yantang', name: '严塘镇', group: 'township' } }).start();
    const month = (m: string, missed: string[], bottom: string[]) =>
      actor.send({ type: 'MONTH_ASSESSED', month: m, at: `${m}-28`, missedTasks: missed, bottomTasks: bottom });
    month('2022-06', ['signed'], []);
    expect(actor.getSnapshot().value).toBe('goodStanding');
    month('2022-07', ['signed'], ['signed']);
    expect(actor.getSnapshot().value).toBe('secretaryInterview');
    month('2022-08', ['signed'], ['signed']);
    expect(actor.getSnapshot().value).toBe('secretaryInterview');
    month('2022-09', [], []);
    expect(actor.getSnapshot().value).toBe('goodStanding');
    actor.send({ type: 'RECORD_ACCOUNTABILITY', at: '2022-09-30', reason: '懒政怠政' });
    expect(actor.getSnapshot().value).toBe('accountability');
    expect(actor.getSnapshot().context.assessments.map((a) => a.step)).toEqual([
      'missed',
      'secretaryInterview',
      'secretaryInterview',
      'good',
    ]);
    month('2022-08', [], []);
    expect(actor.getSnapshot().context.assessments).toHaveLength(4);
  });
});

describe('a crash between a supervision and its unit assessments', () => {
  it('the ladders are completed by reconcile (run after supervisions, before campaign events, at start)', async () => {
    const { Engine, CampaignService } = await import('../../engine/index.ts');
    const { MemoryStore } = await import('../../store/index.ts');
    const engine = new Engine({ store: new MemoryStore() });
    await engine.open();
    const campaigns = new CampaignService(engine);
    const config: CampaignInput = {
      id: 'c',
      name: 'c',
      start: '2022-08-01',
      days: 31,
      units: [{ id: 'u1', name: '一号镇', group: 'township' }],
      targets: { u1: { '2022-08': { signed: 1 } } },
    };
    await campaigns.create(config, 'hq');
    await campaigns.send('c', { type: 'START', at: '2022-08-01' }, 'hq');
    // What a crash leaves: the supervision journalled, the unit's assessment not.
    await engine.send('campaign', 'c', { type: 'SUPERVISE', month: '2022-08', at: '2022-08-31' }, { actor: 'hq' });
    expect((engine.get('unit', 'c:u1')!.context as { assessments: unknown[] }).assessments).toHaveLength(0);
    expect(await campaigns.reconcile('c', 'system')).toBe(1);
    expect(engine.get('unit', 'c:u1')!.context).toMatchObject({
      assessments: [{ month: '2022-08', missedTasks: ['signed'], step: 'missed' }],
    });
    expect(await campaigns.reconcile('c', 'system')).toBe(0);
  });
});
