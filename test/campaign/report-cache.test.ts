import { describe, expect, it } from 'vitest';
import { CampaignService, Engine } from '../../engine/index.ts';
import { MemoryStore } from '../../store/index.ts';

describe('the report is cached by the journal position it reflects', () => {
  it('answers from the cache while nothing is journalled, and recomputes after any entry (a refusal too)', async () => {
    let today = '2022-08-10';
    const engine = new Engine({ store: new MemoryStore(), clock: () => `${today}T12:00:00.000+08:00` });
    await engine.open();
    const campaigns = new CampaignService(engine);
    await campaigns.create(
      {
        id: 'c',
        name: '百日攻坚',
        start: '2022-08-01',
        days: 30,
        units: [{ id: 'u1', name: '一号镇', group: 'township' }],
        targets: {},
      },
      'hq',
    );
    await engine.create(
      'project',
      { id: 'p1', name: '项目', unitId: 'u1', plannedInvestment: 20000, asOf: '2022-08-01' },
      { actor: 'hq' },
    );
    await campaigns.send('c', { type: 'START', at: '2022-08-01' }, 'hq');
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
});
