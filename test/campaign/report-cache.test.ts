import { describe, expect, it } from 'vitest';
import { campaignEngine } from '../support/campaign.ts';

async function campaignWithOneProject(today: () => string) {
  const { engine, campaigns } = await campaignEngine(
    { units: [{ id: 'u1', name: '一号镇', group: 'township' }] },
    { today },
  );
  await engine.create(
    'project',
    { id: 'p1', name: '项目', unitId: 'u1', plannedInvestment: 20000, asOf: '2022-08-01' },
    { actor: 'hq' },
  );
  await campaigns.send('c', { type: 'START', at: '2022-08-01' }, 'hq');
  return { engine, campaigns };
}

describe('the report is cached by the journal position it reflects', () => {
  it('is computed once for viewers who ask together at the same position', async () => {
    const { engine, campaigns } = await campaignWithOneProject(() => '2022-08-10');
    const [a, b, c] = await Promise.all([campaigns.report('c'), campaigns.report('c'), campaigns.report('c')]);
    expect(b).toBe(a);
    expect(c).toBe(a);
    // Asked together again after an entry: one new computation, shared, with the entry in it.
    await engine.send('project', 'p1', { type: 'SIGN', contractAmount: 20000, at: '2022-08-10' }, { actor: 'u' });
    const [d, e] = await Promise.all([campaigns.report('c'), campaigns.report('c')]);
    expect(d).not.toBe(a);
    expect(e).toBe(d);
    expect(d!.totals.majorSignings).toBe(1);
  });

  it('answers from the cache while nothing is journalled, and recomputes after any entry (a refusal too)', async () => {
    let today = '2022-08-10';
    const { engine, campaigns } = await campaignWithOneProject(() => today);
    const first = (await campaigns.report('c'))!;
    expect(await campaigns.report('c')).toBe(first);
    expect(first.totals.majorSignings).toBe(0);
    await engine.send('project', 'p1', { type: 'SIGN', contractAmount: 20000, at: '2022-08-10' }, { actor: 'u' });
    const signed = (await campaigns.report('c'))!;
    expect(signed).not.toBe(first);
    expect(signed.totals.majorSignings).toBe(1);
    // A refusal moves the journal too: its reason is in the report.
    await engine.send('project', 'p1', { type: 'SIGN', contractAmount: 1, at: '2022-08-10' }, { actor: 'u' });
    expect((await campaigns.report('c'))!.refusals.count).toBe(1);
    // Another day: what depends on today (overdue, missing months) is recomputed.
    const before = (await campaigns.report('c'))!;
    today = '2022-08-11';
    expect(await campaigns.report('c')).not.toBe(before);
  });

  it('keeps the projects behind a total per position: the same answer until an entry moves it', async () => {
    const { engine, campaigns } = await campaignWithOneProject(() => '2022-08-10');
    const none = await campaigns.totalProjects('c', 'majorSignings');
    expect([...none!]).toEqual([]);
    expect(await campaigns.totalProjects('c', 'majorSignings')).toBe(none);
    await engine.send('project', 'p1', { type: 'SIGN', contractAmount: 20000, at: '2022-08-10' }, { actor: 'u' });
    const signed = await campaigns.totalProjects('c', 'majorSignings');
    expect([...signed!]).toEqual(['p1']);
    expect(await campaigns.totalProjects('c', 'majorSignings')).toBe(signed);
    expect(await campaigns.totalProjects('nope', 'majorSignings')).toBeUndefined();
  });
});
