import { describe, expect, it } from 'vitest';
import { CampaignService, Engine, FilingService } from '../../engine/index.ts';
import type { CampaignInput, ProjectInput } from '../../machines/index.ts';
import { MemoryStore } from '../../store/index.ts';
import { ALL_PERMITS } from './helpers.ts';

/** An engine whose "today" the test moves, with one campaign that reviews starts and clearances. */
async function county(countIn: 'filed' | 'approved' = 'filed') {
  let today = '2022-08-01';
  const engine = new Engine({ store: new MemoryStore(), clock: () => `${today}T12:00:00.000+08:00` });
  await engine.open();
  const campaigns = new CampaignService(engine);
  const filings = new FilingService(engine);
  const config: CampaignInput = {
    id: 'c',
    name: '百日攻坚',
    start: '2022-08-01',
    days: 60,
    units: [{ id: 'park', name: '高新区', group: 'park' }],
    targets: { park: { '2022-08': { started: 1 }, '2022-09': { started: 1 } } },
    review: {
      events: { START_CONSTRUCTION: ['housing', 'hq'], REPORT_CLEARANCE: ['naturalResources', 'hq'] },
      workingDays: 3,
      countIn,
    },
  };
  expect((await campaigns.create(config, 'hq-1')).status).toBe('created');
  const project: ProjectInput = {
    id: 'p1',
    name: '晶彩电子二期',
    unitId: 'park',
    plannedInvestment: 30000,
    stage: 'signed',
    permits: [...ALL_PERMITS],
    land: { requiredMu: 10, houses: 1 },
    asOf: '2022-07-30',
  };
  expect((await engine.create('project', project, { actor: 'hq-1' })).status).toBe('created');
  await campaigns.send('c', { type: 'START', at: '2022-08-01' }, 'hq-1');
  return {
    engine,
    campaigns,
    filings,
    setToday: (d: string) => {
      today = d;
    },
  };
}

const started = (s: { units: { tasks: { task: string; actual: number; pending: number }[] }[] }) =>
  s.units[0]!.tasks.find((t) => t.task === 'started')!;

describe('filings: reviewed before they count', () => {
  it('never counts before approval: the supervision shows it pending; approved, it counts as dated', async () => {
    const { engine, campaigns, filings, setToday } = await county('filed');
    setToday('2022-08-29');
    const clearance = { type: 'REPORT_CLEARANCE', mu: 10, houses: 1, at: '2022-08-29' };
    const filedClearance = await filings.file('p1', clearance, [], { actor: 'park-1' }, 'f-land');
    expect(filedClearance).toMatchObject({ status: 'filed', outcome: { status: 'accepted' } });
    // Pending: the project has not moved.
    expect(engine.get('project', 'p1')!.context.land?.clearedMu ?? 0).toBe(0);
    expect(engine.get('filing', 'f-land')!.value).toBe('submitted');
    await filings.review('f-land', { type: 'APPROVE', at: '2022-08-29' }, { actor: 'nr-1' });
    expect(engine.get('project', 'p1')!.context.land?.clearedMu).toBe(10);

    setToday('2022-08-30');
    const start = { type: 'START_CONSTRUCTION', at: '2022-08-30' };
    expect((await filings.file('p1', start, [], { actor: 'park-1' }, 'f-start')).status).toBe('filed');
    setToday('2022-08-31');
    await campaigns.send('c', { type: 'SUPERVISE', month: '2022-08', at: '2022-08-31' }, 'hq-1');
    const [august] = await campaigns.supervisions('c');
    expect(started(august!)).toMatchObject({ actual: 0, pending: 1 });
    expect(engine.get('project', 'p1')!.value.lifecycle).toBe('signed');

    setToday('2022-09-02');
    const approved = await filings.review('f-start', { type: 'APPROVE', at: '2022-09-02' }, { actor: 'housing-1' });
    expect(approved.status).toBe('accepted');
    expect(engine.get('project', 'p1')!.value.lifecycle).toBe('underConstruction');
    // The project's history names the filing the start came from, dated as filed.
    const history = await engine.history('project', 'p1');
    expect(history.at(-1)).toMatchObject({
      kind: 'event',
      at: '2022-08-30',
      link: { entity: 'filing', id: 'f-start', at: '2022-09-02' },
    });
    setToday('2022-09-29');
    await campaigns.send('c', { type: 'SUPERVISE', month: '2022-09', at: '2022-09-29' }, 'hq-1');
    const [augustAgain, september] = await campaigns.supervisions('c');
    // As found: August stays pending, September does not count an August start.
    expect(started(augustAgain!)).toMatchObject({ actual: 0, pending: 1 });
    expect(started(september!)).toMatchObject({ actual: 0, pending: 0 });
    const report = (await campaigns.report('c'))!;
    expect(report.totals.parkStarts).toBe(1);
  });

  it('countIn approved: a filing approved in September counts in September', async () => {
    const { campaigns, filings, setToday } = await county('approved');
    setToday('2022-08-29');
    await filings.file(
      'p1',
      { type: 'REPORT_CLEARANCE', mu: 10, houses: 1, at: '2022-08-29' },
      [],
      { actor: 'park-1' },
      'f-land',
    );
    await filings.review('f-land', { type: 'APPROVE', at: '2022-08-29' }, { actor: 'nr-1' });
    setToday('2022-08-30');
    await filings.file('p1', { type: 'START_CONSTRUCTION', at: '2022-08-30' }, [], { actor: 'park-1' }, 'f-start');
    setToday('2022-08-31');
    await campaigns.send('c', { type: 'SUPERVISE', month: '2022-08', at: '2022-08-31' }, 'hq-1');
    setToday('2022-09-02');
    await filings.review('f-start', { type: 'APPROVE', at: '2022-09-02' }, { actor: 'hq-1' });
    setToday('2022-09-29');
    await campaigns.send('c', { type: 'SUPERVISE', month: '2022-09', at: '2022-09-29' }, 'hq-1');
    const [august, september] = await campaigns.supervisions('c');
    expect(started(august!)).toMatchObject({ actual: 0, pending: 1 });
    expect(started(september!)).toMatchObject({ actual: 1, pending: 0 });
  });

  it('a filing the project would refuse now is refused at once, with its rule; nothing is created', async () => {
    const { engine, filings, setToday } = await county();
    setToday('2022-08-10');
    // Land not cleared: the start is refused by the project's rule.
    const outcome = await filings.file(
      'p1',
      { type: 'START_CONSTRUCTION', at: '2022-08-10' },
      [],
      { actor: 'park-1' },
      'f1',
    );
    expect(outcome).toMatchObject({ status: 'filed', outcome: { status: 'rejected', kind: 'project' } });
    expect(engine.get('filing', 'f1')).toBeUndefined();
    const last = (await engine.history('project', 'p1')).at(-1)!;
    expect(last).toMatchObject({ kind: 'refusal', link: { entity: 'filing', id: 'f1' } });
  });

  it('refused again at approval when the project changed meanwhile; the filing stays pending', async () => {
    const { engine, filings, setToday } = await county();
    setToday('2022-08-10');
    await filings.file(
      'p1',
      { type: 'REPORT_CLEARANCE', mu: 6, houses: 1, at: '2022-08-10' },
      [],
      { actor: 'park-1' },
      'a',
    );
    await filings.file(
      'p1',
      { type: 'REPORT_CLEARANCE', mu: 6, houses: 0, at: '2022-08-10' },
      [],
      { actor: 'park-1' },
      'b',
    );
    setToday('2022-08-11');
    expect((await filings.review('a', { type: 'APPROVE', at: '2022-08-11' }, { actor: 'hq-1' })).status).toBe(
      'accepted',
    );
    // 6 + 6 亩 is more than the 10 required: refused now by the project's rule.
    const second = await filings.review('b', { type: 'APPROVE', at: '2022-08-11' }, { actor: 'hq-1' });
    expect(second).toMatchObject({ status: 'rejected', kind: 'project' });
    expect(engine.get('filing', 'b')!.value).toBe('submitted');
    expect(engine.get('project', 'p1')!.context.land?.clearedMu).toBe(6);
  });

  it('returned → resubmitted → approved; withdrawal ends a filing without counting', async () => {
    const { engine, filings, setToday } = await county();
    setToday('2022-08-10');
    await filings.file(
      'p1',
      { type: 'REPORT_CLEARANCE', mu: 12, houses: 1, at: '2022-08-10' },
      [],
      { actor: 'park-1' },
      'f',
    );
    // 12 > 10 required: refused at once.
    expect(engine.get('filing', 'f')).toBeUndefined();
    await filings.file(
      'p1',
      { type: 'REPORT_CLEARANCE', mu: 9, houses: 1, at: '2022-08-10' },
      [],
      { actor: 'park-1' },
      'f',
    );
    setToday('2022-08-12');
    const noReason = await filings.review('f', { type: 'RETURN', reason: ' ', at: '2022-08-11' }, { actor: 'nr-1' });
    expect(noReason).toMatchObject({ status: 'rejected', rejection: { rule: 'reasonMissing' } });
    await filings.review('f', { type: 'RETURN', reason: '亩数与丈量表不符', at: '2022-08-11' }, { actor: 'nr-1' });
    expect(engine.get('filing', 'f')!.value).toBe('returned');
    expect((await filings.review('f', { type: 'APPROVE', at: '2022-08-11' }, { actor: 'nr-1' })).status).toBe(
      'rejected',
    );
    const resubmit = {
      type: 'RESUBMIT',
      event: { type: 'REPORT_CLEARANCE', mu: 10, houses: 1, at: '2022-08-10' },
      at: '2022-08-12',
    };
    expect((await filings.review('f', resubmit, { actor: 'park-1' })).status).toBe('accepted');
    const filing = engine.get('filing', 'f')!;
    expect(filing).toMatchObject({
      value: 'resubmitted',
      context: { due: '2022-08-17', returns: [{ reason: '亩数与丈量表不符' }] },
    });
    expect((await filings.review('f', { type: 'APPROVE', at: '2022-08-12' }, { actor: 'nr-1' })).status).toBe(
      'accepted',
    );
    expect(engine.get('project', 'p1')!.context.land?.clearedMu).toBe(10);

    await filings.file('p1', { type: 'START_CONSTRUCTION', at: '2022-08-12' }, [], { actor: 'park-1' }, 'g');
    expect((await filings.review('g', { type: 'WITHDRAW', at: '2022-08-12' }, { actor: 'park-1' })).status).toBe(
      'accepted',
    );
    expect(engine.get('filing', 'g')!.value).toBe('withdrawn');
    expect(engine.get('project', 'p1')!.value.lifecycle).toBe('signed');
  });

  it('an event type the campaign does not review is applied at once', async () => {
    const { engine, filings, setToday } = await county();
    setToday('2022-08-10');
    const p2 = { id: 'p2', name: '二号项目', unitId: 'park', plannedInvestment: 800, stage: 'signed' as const };
    await engine.create('project', { ...p2, asOf: '2022-08-01' }, { actor: 'hq-1' });
    const permit = { type: 'GRANT_PERMIT', permit: 'landUsePlanning', at: '2022-08-10' };
    const outcome = await filings.file('p2', permit, [], { actor: 'park-1' }, 'x');
    expect(outcome).toMatchObject({ status: 'applied', outcome: { status: 'accepted' } });
    expect(engine.get('filing', 'x')).toBeUndefined();
  });

  it('overdue: pending past the campaign’s working-day deadline (a Friday filing is due the Wednesday)', async () => {
    const { filings, setToday } = await county();
    setToday('2022-08-12'); // a Friday
    await filings.file(
      'p1',
      { type: 'REPORT_CLEARANCE', mu: 5, houses: 0, at: '2022-08-12' },
      [],
      { actor: 'park-1' },
      'f',
    );
    expect(filings.list({}, '2022-08-17').map((f) => f.context.due)).toEqual(['2022-08-17']);
    expect(filings.list({ overdue: true }, '2022-08-17')).toHaveLength(0);
    expect(filings.list({ overdue: true }, '2022-08-18')).toHaveLength(1);
    expect(filings.overview('c', '2022-08-18')).toMatchObject({ pending: 1, overdue: 1 });
  });
});
