import { describe, expect, it } from 'vitest';
import { explainRejection, type ProjectEvent } from '../../machines/index.ts';
import { ALL_PERMITS, projectActor } from './fixtures.ts';

const at = '2022-09-01';

/** Sends `event`; returns the rejection the machine gives (null when accepted) and checks both views agree. */
function attempt(actor: ReturnType<typeof projectActor>, event: ProjectEvent) {
  const before = JSON.stringify(actor.getPersistedSnapshot());
  const rejection = explainRejection(actor.getSnapshot(), event);
  expect(actor.getSnapshot().can(event)).toBe(rejection === null);
  actor.send(event);
  if (rejection !== null) expect(JSON.stringify(actor.getPersistedSnapshot())).toBe(before);
  return rejection;
}

describe('SIGN', () => {
  it('signing a negotiating project with a positive amount moves it to signed', () => {
    const actor = projectActor();
    expect(attempt(actor, { type: 'SIGN', contractAmount: 12000, at })).toBeNull();
    expect(actor.getSnapshot().value.lifecycle).toBe('signed');
    expect(actor.getSnapshot().context.contractAmount).toBe(12000);
    expect(actor.getSnapshot().context.milestones.signed).toBe(at);
  });
  it('signing is refused for a zero or negative contract amount, quoting the amount', () => {
    const r = attempt(projectActor(), { type: 'SIGN', contractAmount: 0, at });
    expect(r).toMatchObject({ rule: 'contractAmount' });
    expect(r?.zh).toContain('收到:0');
    expect(attempt(projectActor(), { type: 'SIGN', contractAmount: -5, at })?.rule).toBe('contractAmount');
  });
  it('signing is refused once signed, naming the current and the required stage', () => {
    const r = attempt(projectActor({ stage: 'signed' }), { type: 'SIGN', contractAmount: 1, at });
    expect(r).toMatchObject({ rule: 'lifecycleState' });
    expect(r?.zh).toBe('不能签约:项目阶段为「已签约」,须为「洽谈」');
  });
});

describe('GRANT_PERMIT and the green channel', () => {
  it('permits are granted in statutory order outside the green channel', () => {
    const actor = projectActor({ stage: 'signed' });
    for (const permit of ALL_PERMITS) expect(attempt(actor, { type: 'GRANT_PERMIT', permit, at })).toBeNull();
    expect(actor.getSnapshot().value.permits).toBe('complete');
  });
  it('a permit out of order is refused, listing the certificates still missing', () => {
    const r = attempt(projectActor({ stage: 'signed', permits: ['landUsePlanning'] }), {
      type: 'GRANT_PERMIT',
      permit: 'construction',
      at,
    });
    expect(r?.rule).toBe('permitOrder');
    expect(r?.zh).toContain('不动产权证、工程规划许可证');
  });
  it('on the green channel permits may be granted in any order', () => {
    const actor = projectActor({ stage: 'signed' });
    expect(attempt(actor, { type: 'GREEN_CHANNEL', at })).toBeNull();
    expect(attempt(actor, { type: 'GRANT_PERMIT', permit: 'construction', at })).toBeNull();
    expect(actor.getSnapshot().context.permits).toEqual(['construction']);
  });
  it('the green channel cannot be opened twice', () => {
    const actor = projectActor({}, [{ type: 'GREEN_CHANNEL', at }]);
    expect(attempt(actor, { type: 'GREEN_CHANNEL', at })?.rule).toBe('greenChannelOpen');
  });
  it('a permit already granted is refused', () => {
    const r = attempt(projectActor({ permits: ['landUsePlanning'] }), {
      type: 'GRANT_PERMIT',
      permit: 'landUsePlanning',
      at,
    });
    expect(r).toMatchObject({ rule: 'permitAlreadyGranted', zh: '用地规划许可证已办理,不能重复办证' });
  });
  it('an unknown permit is refused', () => {
    const event = { type: 'GRANT_PERMIT', permit: 'fishing', at } as unknown as ProjectEvent;
    expect(attempt(projectActor(), event)?.rule).toBe('unknownPermit');
  });
  it('no permit can be granted once all four are held', () => {
    const r = attempt(projectActor({ stage: 'signed', permits: [...ALL_PERMITS] }), {
      type: 'GRANT_PERMIT',
      permit: 'construction',
      at,
    });
    expect(r?.rule).toBe('permitsState');
  });
});

describe('REPORT_CLEARANCE', () => {
  const land = { requiredMu: 1018.5, houses: 5, clearedMu: 800, demolished: 3 };
  it('clearance reports add up and clearing everything moves land to cleared', () => {
    const actor = projectActor({ land });
    expect(attempt(actor, { type: 'REPORT_CLEARANCE', mu: 200, houses: 1, at })).toBeNull();
    expect(actor.getSnapshot().value.land).toBe('clearing');
    expect(attempt(actor, { type: 'REPORT_CLEARANCE', mu: 18.5, houses: 1, at })).toBeNull();
    expect(actor.getSnapshot().value.land).toBe('cleared');
    expect(actor.getSnapshot().context.milestones.landCleared).toBe(at);
  });
  it('decimal reports sum exactly (0.1 + 0.2 亩 clears a 0.3 亩 task)', () => {
    const actor = projectActor({ land: { requiredMu: 0.3, houses: 0 } });
    attempt(actor, { type: 'REPORT_CLEARANCE', mu: 0.1, houses: 0, at });
    expect(attempt(actor, { type: 'REPORT_CLEARANCE', mu: 0.2, houses: 0, at })).toBeNull();
    expect(actor.getSnapshot().value.land).toBe('cleared');
  });
  it('clearing more 亩 than required is refused with the overshoot', () => {
    const r = attempt(projectActor({ land }), { type: 'REPORT_CLEARANCE', mu: 230, houses: 0, at });
    expect(r).toMatchObject({
      rule: 'clearanceExceedsRequired',
      zh: '征拆超出任务:已清 800/1018.5 亩,本次 230 亩,超出 11.5 亩',
    });
  });
  it('demolishing more houses than required is refused', () => {
    const r = attempt(projectActor({ land }), { type: 'REPORT_CLEARANCE', mu: 0, houses: 3, at });
    expect(r).toMatchObject({ rule: 'demolitionExceedsRequired', zh: '拆迁超出任务:已拆 3/5 栋,本次 3 栋,超出 1 栋' });
  });
  it.each([
    [0, 0],
    [-1, 0],
    [1, -1],
    [1, 0.5],
    [Number.NaN, 1],
  ])('a report of %s 亩 and %s houses is refused as not positive', (mu, houses) => {
    expect(attempt(projectActor({ land }), { type: 'REPORT_CLEARANCE', mu, houses, at })?.rule).toBe(
      'clearanceAmounts',
    );
  });
  it('a project without land to clear refuses clearance reports', () => {
    expect(attempt(projectActor(), { type: 'REPORT_CLEARANCE', mu: 1, houses: 0, at })?.rule).toBe('landState');
  });
});

describe('START_CONSTRUCTION', () => {
  const ready = { stage: 'signed' as const, permits: [...ALL_PERMITS] };
  it('a signed project with all four permits and no land to clear starts', () => {
    const actor = projectActor(ready);
    expect(attempt(actor, { type: 'START_CONSTRUCTION', at })).toBeNull();
    expect(actor.getSnapshot().value.lifecycle).toBe('underConstruction');
    expect(actor.getSnapshot().context.milestones.started).toBe(at);
  });
  it('start of construction is refused while land is not cleared, with the numbers', () => {
    const r = attempt(
      projectActor({ ...ready, land: { requiredMu: 1018.5, houses: 5, clearedMu: 800, demolished: 3 } }),
      {
        type: 'START_CONSTRUCTION',
        at,
      },
    );
    expect(r).toEqual({
      rule: 'landUncleared',
      zh: '征拆未清零:已清 800/1018.5 亩,已拆 3/5 栋',
      en: 'land not cleared: 800/1018.5 mu cleared, 3/5 houses demolished',
    });
  });
  it('start is allowed once land is cleared', () => {
    const actor = projectActor({ ...ready, land: { requiredMu: 10, houses: 1, clearedMu: 10, demolished: 1 } });
    expect(attempt(actor, { type: 'START_CONSTRUCTION', at })).toBeNull();
  });
  it('start is refused without all four permits, naming those missing', () => {
    const r = attempt(projectActor({ stage: 'signed', permits: ['landUsePlanning', 'landTitle'] }), {
      type: 'START_CONSTRUCTION',
      at,
    });
    expect(r).toMatchObject({ rule: 'permitsIncomplete', zh: '四证未齐:已办 2/4,缺工程规划许可证、施工许可证' });
  });
  it('an unsigned project cannot start', () => {
    expect(attempt(projectActor({ permits: [...ALL_PERMITS] }), { type: 'START_CONSTRUCTION', at })).toMatchObject({
      rule: 'lifecycleState',
      zh: '不能开工:项目阶段为「洽谈」,须为「已签约」',
    });
  });
});

describe('REGISTER_STATS', () => {
  const built = { stage: 'underConstruction' as const, permits: [...ALL_PERMITS] };
  it('a project under construction of at least 500 万元 is registered', () => {
    const actor = projectActor(built);
    expect(attempt(actor, { type: 'REGISTER_STATS', at })).toBeNull();
    expect(actor.getSnapshot().value.statistics).toBe('registered');
  });
  it.each(['completed', 'inProduction', 'atTarget'] as const)('a %s project can still be registered', (stage) => {
    expect(attempt(projectActor({ ...built, stage }), { type: 'REGISTER_STATS', at })).toBeNull();
  });
  it('registration is refused below 500 万元, quoting the investment', () => {
    const r = attempt(projectActor({ ...built, plannedInvestment: 499.5 }), { type: 'REGISTER_STATS', at });
    expect(r).toMatchObject({ rule: 'belowStatsThreshold', zh: '计划总投资 499.5 万元,低于入库标准 500 万元' });
  });
  it('registration is refused before construction starts', () => {
    expect(attempt(projectActor({ stage: 'signed' }), { type: 'REGISTER_STATS', at })?.rule).toBe('notStarted');
  });
  it('registration is refused twice', () => {
    expect(attempt(projectActor({ ...built, statsRegistered: true }), { type: 'REGISTER_STATS', at })?.rule).toBe(
      'statisticsState',
    );
  });
});

describe('COMPLETE, START_PRODUCTION, REPORT_OUTPUT', () => {
  const built = { stage: 'underConstruction' as const, permits: [...ALL_PERMITS], outputTarget: 1000 };
  it('completion needs construction; production needs completion', () => {
    const actor = projectActor(built);
    expect(attempt(actor, { type: 'START_PRODUCTION', at })?.rule).toBe('lifecycleState');
    expect(attempt(actor, { type: 'COMPLETE', at })).toBeNull();
    expect(attempt(actor, { type: 'COMPLETE', at })?.rule).toBe('lifecycleState');
    expect(attempt(actor, { type: 'START_PRODUCTION', at })).toBeNull();
    expect(actor.getSnapshot().value.lifecycle).toBe('inProduction');
  });
  it('a month below target keeps the project in production; a month at target reaches 达产', () => {
    const actor = projectActor({ ...built, stage: 'inProduction' });
    expect(attempt(actor, { type: 'REPORT_OUTPUT', month: '2022-08', output: 999.99, at })).toBeNull();
    expect(actor.getSnapshot().value.lifecycle).toBe('inProduction');
    expect(attempt(actor, { type: 'REPORT_OUTPUT', month: '2022-09', output: 1000, at: '2022-10-05' })).toBeNull();
    expect(actor.getSnapshot().value.lifecycle).toBe('atTarget');
    expect(actor.getSnapshot().context.milestones.target).toBe('2022-10-05');
  });
  it('output cannot be reported before production', () => {
    expect(attempt(projectActor(built), { type: 'REPORT_OUTPUT', month: '2022-08', output: 1, at })?.rule).toBe(
      'lifecycleState',
    );
  });
  it('output for a month not yet over, a month reported twice, or a bad month is refused', () => {
    const actor = projectActor({ ...built, stage: 'inProduction' }, [
      { type: 'REPORT_OUTPUT', month: '2022-08', output: 5, at },
    ]);
    expect(attempt(actor, { type: 'REPORT_OUTPUT', month: '2022-10', output: 5, at })?.rule).toBe('outputMonthFuture');
    expect(attempt(actor, { type: 'REPORT_OUTPUT', month: '2022-08', output: 5, at })?.rule).toBe(
      'outputMonthReported',
    );
    expect(attempt(actor, { type: 'REPORT_OUTPUT', month: '2022-13', output: 5, at })?.rule).toBe('outputMonth');
    expect(attempt(actor, { type: 'REPORT_OUTPUT', month: '2022-07', output: -1, at })?.rule).toBe('outputValue');
  });
  it('output is refused for a project without an output target', () => {
    const r = attempt(projectActor({ ...built, stage: 'inProduction', outputTarget: undefined }), {
      type: 'REPORT_OUTPUT',
      month: '2022-08',
      output: 5,
      at,
    });
    expect(r?.rule).toBe('outputTargetMissing');
  });
});

describe('bond funds', () => {
  it('allocation then full disbursement moves the bond to disbursed', () => {
    const actor = projectActor();
    expect(attempt(actor, { type: 'ALLOCATE_BOND', amount: 3000, at })).toBeNull();
    expect(attempt(actor, { type: 'DISBURSE_BOND', amount: 1000, at })).toBeNull();
    expect(actor.getSnapshot().value.bond).toBe('allocated');
    expect(attempt(actor, { type: 'DISBURSE_BOND', amount: 2000, at })).toBeNull();
    expect(actor.getSnapshot().value.bond).toBe('disbursed');
    expect(actor.getSnapshot().context.milestones.bondDisbursed).toBe(at);
  });
  it('disbursement beyond what is allocated and undisbursed is refused with the numbers', () => {
    const r = attempt(projectActor({ bond: { allocated: 3000, disbursed: 2500 } }), {
      type: 'DISBURSE_BOND',
      amount: 600,
      at,
    });
    expect(r).toMatchObject({
      rule: 'disbursementExceedsAllocation',
      zh: '拨付超出额度:已下达 3000 万元,已拨付 2500 万元,可拨 500 万元,本次 600 万元',
    });
  });
  it('nothing can be disbursed before an allocation', () => {
    expect(attempt(projectActor(), { type: 'DISBURSE_BOND', amount: 1, at })?.rule).toBe('bondState');
  });
  it('a further allocation reopens a fully disbursed bond', () => {
    const actor = projectActor({ bond: { allocated: 100, disbursed: 100 } });
    expect(attempt(actor, { type: 'ALLOCATE_BOND', amount: 50, at })).toBeNull();
    expect(actor.getSnapshot().value.bond).toBe('allocated');
  });
  it.each([0, -10, Number.POSITIVE_INFINITY])('an amount of %s is refused', (amount) => {
    expect(attempt(projectActor(), { type: 'ALLOCATE_BOND', amount, at })?.rule).toBe('bondAmount');
  });
});

describe('ENTER_HELP_POOL', () => {
  const producing = { stage: 'inProduction' as const, permits: [...ALL_PERMITS], outputTarget: 1000 };
  it('a project in production below target enters the pool, and leaves it on reaching target', () => {
    const actor = projectActor(producing);
    expect(attempt(actor, { type: 'ENTER_HELP_POOL', expert: '刘年勇', at })).toBeNull();
    expect(actor.getSnapshot().value.support).toBe('helpPool');
    attempt(actor, { type: 'REPORT_OUTPUT', month: '2022-08', output: 1200, at });
    expect(actor.getSnapshot().value).toMatchObject({ lifecycle: 'atTarget', support: 'normal' });
  });
  it('a project not in production cannot enter the pool', () => {
    expect(
      attempt(projectActor({ ...producing, stage: 'completed' }), { type: 'ENTER_HELP_POOL', expert: 'x', at })?.rule,
    ).toBe('notInProduction');
  });
  it('the pool needs a named expert', () => {
    expect(attempt(projectActor(producing), { type: 'ENTER_HELP_POOL', expert: '  ', at })?.rule).toBe('expertMissing');
  });
});

describe('DROP', () => {
  it('a signed project can be dropped with a reason, after which it refuses everything', () => {
    const actor = projectActor({ stage: 'signed' });
    expect(attempt(actor, { type: 'DROP', reason: '企业资金链断裂', at })).toBeNull();
    expect(actor.getSnapshot().value.lifecycle).toBe('dropped');
    const r = attempt(actor, { type: 'ALLOCATE_BOND', amount: 5, at });
    expect(r).toMatchObject({ rule: 'projectDropped', zh: `项目已终止(${at}):企业资金链断裂` });
  });
  it('dropping needs a reason', () => {
    expect(attempt(projectActor(), { type: 'DROP', reason: '', at })?.rule).toBe('reasonMissing');
  });
  it('a project under construction cannot be dropped', () => {
    expect(
      attempt(projectActor({ stage: 'underConstruction', permits: [...ALL_PERMITS] }), {
        type: 'DROP',
        reason: 'x',
        at,
      })?.rule,
    ).toBe('lifecycleState');
  });
});

describe('every event', () => {
  it("an event dated before the project's latest record is refused", () => {
    const actor = projectActor({}, [{ type: 'SIGN', contractAmount: 1, at: '2022-09-10' }]);
    expect(attempt(actor, { type: 'DROP', reason: 'x', at: '2022-09-09' })).toMatchObject({ rule: 'eventDateOrder' });
  });
  it.each(['2022-02-30', '2022/09/01', '', undefined])('an event dated %s is refused', (date) => {
    expect(
      attempt(projectActor(), { type: 'SIGN', contractAmount: 1, at: date } as unknown as ProjectEvent)?.rule,
    ).toBe('eventDate');
  });
  it('an unknown event is refused, never ignored', () => {
    expect(explainRejection(projectActor().getSnapshot(), { type: 'LAUNCH', at })?.rule).toBe('unknownEvent');
    expect(explainRejection(projectActor().getSnapshot(), null)?.rule).toBe('unknownEvent');
  });
});
