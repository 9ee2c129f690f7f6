import { describe, expect, it } from 'vitest';
import { CampaignService, seededRandom } from '../../engine/index.ts';
import { MEASURES, ReportRecordsFold, type Fact } from '../../machines/index.ts';
import { campaignEngine } from '../support/campaign.ts';

// Issue 15, reports at scale: the report's ladders, problems and measures are folded an entry at a
// time (`ReportRecordsFold`) instead of re-read from the whole journal for every report.

const units = ['u1', 'u2', 'u3'];

async function runningCampaign() {
  const { engine, campaigns } = await campaignEngine(
    { days: 60, units: units.map((id, i) => ({ id, name: `${i + 1}号镇`, group: 'township' as const })) },
    { today: '2022-08-20' },
  );
  for (const [i, unitId] of units.entries())
    await engine.create(
      'project',
      { id: `p${i}`, name: `项目${i}`, unitId, plannedInvestment: 20000, asOf: '2022-08-01' },
      { actor: 'hq' },
    );
  await campaigns.send('c', { type: 'START', at: '2022-08-01' }, 'hq');
  return { engine, campaigns };
}

/** One random step: a measure, a problem raised or moved (possibly refused), or 问责. */
async function randomStep(
  { engine, campaigns }: Awaited<ReturnType<typeof runningCampaign>>,
  random: () => number,
  step: number,
): Promise<void> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const at = `2022-08-${String(2 + Math.floor(step / 4)).padStart(2, '0')}`;
  const problems = engine.list('problem').map((p) => p.id);
  const kind = pick(['measure', 'measure', 'raise', 'problem', 'problem', 'problem', 'accountability'] as const);
  if (kind === 'measure') {
    const count = 1 + Math.floor(random() * 5);
    await campaigns.send(
      'c',
      { type: 'RECORD_MEASURE', measure: pick(MEASURES), unitId: pick(units), count, at, note: '记' },
      'hq',
    );
  } else if (kind === 'accountability') {
    await campaigns.send('c', { type: 'RECORD_ACCOUNTABILITY', unit: pick(units), reason: `问责${step}`, at }, 'hq');
  } else if (kind === 'raise' || problems.length === 0) {
    const projectId = pick([...units.keys()].map((i) => `p${i}`));
    const input = { id: `q${step}`, projectId, title: `问题${step}`, source: 'supervision', raisedOn: at };
    await engine.create('problem', input, { actor: 'hq' });
  } else {
    const event = pick([
      { type: 'ASSIGN', unitId: pick(units), due: '2022-08-25' },
      { type: 'RESOLVE', note: '已解决' },
      { type: 'VERIFY' },
      { type: 'REOPEN', reason: '未解决' },
    ]);
    await engine.send('problem', pick(problems), { ...event, at }, { actor: 'hq' });
  }
}

describe('the report’s ladders, problems and measures folded an entry at a time', () => {
  it('equal, after every entry, the report of a service that folds the whole journal at once', async () => {
    for (const seed of [1, 2, 3]) {
      const campaign = await runningCampaign();
      const random = seededRandom(seed);
      await campaign.campaigns.report('c');
      for (let step = 0; step < 40; step++) {
        await randomStep(campaign, random, step);
        const forward = await campaign.campaigns.report('c');
        const whole = await new CampaignService(campaign.engine).report('c');
        expect(forward).toEqual(whole);
      }
      const report = (await campaign.campaigns.report('c'))!;
      // The walk reached every part: problems in several states, 问责, measures.
      expect(new Set(report.problems.map((p) => p.state)).size).toBeGreaterThanOrEqual(2);
      expect(report.ladders.some((l) => l.accountability.length > 0)).toBe(true);
      expect(report.measures.some((m) => m.records > 0)).toBe(true);
    }
  });

  it('count each measure’s records and numbers by unit, only the campaign’s own and only accepted', () => {
    const fold = new ReportRecordsFold('c');
    let seq = 0;
    const fact = (id: string, event: object, kind: Fact['kind'] = 'event'): Fact => ({
      seq: ++seq,
      kind,
      entity: 'campaign',
      id,
      at: '2022-08-02',
      actor: 'hq',
      event,
    });
    const measure = (unitId: string, count: number) => ({
      type: 'RECORD_MEASURE',
      measure: MEASURES[0],
      unitId,
      count,
    });
    fold.add(fact('c', measure('u1', 2)));
    fold.add(fact('c', measure('u2', 3)));
    fold.add(fact('c', measure('u1', 4)));
    fold.add(fact('other', measure('u1', 100)));
    fold.add(fact('c', measure('u1', 100), 'refusal'));
    fold.add(fact('c', { ...measure('u1', 1), measure: MEASURES[1] }));
    const [first, second, third] = fold.measures();
    expect(first).toEqual({ measure: MEASURES[0], total: 9, records: 3, byUnit: { u1: 6, u2: 3 } });
    expect(second).toEqual({ measure: MEASURES[1], total: 1, records: 1, byUnit: { u1: 1 } });
    expect(third).toMatchObject({ total: 0, records: 0, byUnit: {} });
    // What it answers is a copy: the caller cannot move the fold.
    first!.byUnit.u1 = 0;
    expect(fold.measures()[0]!.byUnit.u1).toBe(6);
  });

  it('follow each problem through its entries: assigned, resolved, reopened, verified; refusals change nothing', () => {
    const fold = new ReportRecordsFold('c');
    let seq = 0;
    const fact = (kind: Fact['kind'], to: string, event?: object): Fact => ({
      seq: ++seq,
      kind,
      entity: 'problem',
      id: 'q1',
      at: '2022-08-02',
      actor: 'hq',
      ...(kind === 'create'
        ? { input: { projectId: 'p1', title: '用地未报批', source: 'supervision', raisedOn: '2022-08-02' } }
        : { event, to }),
    });
    fold.add(fact('event', 'assigned', { type: 'ASSIGN', unitId: 'u1', due: '2022-08-09', at: '2022-08-02' }));
    expect(fold.problems.size).toBe(0);
    fold.add(fact('create', 'raised'));
    fold.add(fact('event', 'assigned', { type: 'ASSIGN', unitId: 'u1', due: '2022-08-09', at: '2022-08-02' }));
    fold.add(fact('event', 'resolved', { type: 'RESOLVE', note: '已批', at: '2022-08-05' }));
    expect(fold.problems.get('q1')).toMatchObject({ state: 'resolved', unitId: 'u1', resolvedOn: '2022-08-05' });
    fold.add(fact('event', 'assigned', { type: 'REOPEN', reason: '未批', at: '2022-08-06' }));
    expect(fold.problems.get('q1')).toMatchObject({ state: 'assigned', resolvedOn: null, verifiedOn: null });
    fold.add(fact('refusal', 'verified', { type: 'VERIFY', at: '2022-08-07' }));
    fold.add(fact('event', 'resolved', { type: 'RESOLVE', note: '已批', at: '2022-08-08' }));
    fold.add(fact('event', 'verified', { type: 'VERIFY', at: '2022-08-09' }));
    expect(fold.problems.get('q1')).toEqual({
      id: 'q1',
      projectId: 'p1',
      title: '用地未报批',
      source: 'supervision',
      state: 'verified',
      raisedOn: '2022-08-02',
      unitId: 'u1',
      due: '2022-08-09',
      resolvedOn: '2022-08-08',
      verifiedOn: '2022-08-09',
    });
  });
});
