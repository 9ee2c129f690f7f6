import { describe, expect, it } from 'vitest';
import { CampaignService, Engine } from '../../engine/index.ts';
import { createActor } from 'xstate';
import fc from 'fast-check';
import { campaignMachine, ladderKey, type CampaignInput, type UnitContext } from '../../machines/index.ts';
import { FileStore, MemoryStore } from '../../store/index.ts';
import { tempDir } from '../support/temp-dir.ts';

// Code-health issue, item 1: a unit's accountability ladder was the entity `<campaign>.<unit>`,
// so campaign `a.b` + unit `c` and campaign `a` + unit `b.c` were one and the same ladder.

const config = (id: string, unit: string): CampaignInput => ({
  id,
  name: id,
  start: '2022-08-01',
  days: 31,
  units: [{ id: unit, name: unit, group: 'township' }],
  targets: {},
});

describe('accountability ladders', () => {
  it('the ladder key is unambiguous: two different (campaign, unit) pairs never share one', () => {
    // Joined with a dot, as the first release did, ('a.b', 'c') and ('a', 'b.c') collided.
    expect(ladderKey('a.b', 'c')).not.toBe(ladderKey('a', 'b.c'));
    expect(ladderKey('a:b', 'c')).not.toBe(ladderKey('a', 'b:c'));
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.string(), (c1, u1, c2, u2) => {
        if (ladderKey(c1, u1) === ladderKey(c2, u2)) expect([c1, u1]).toEqual([c2, u2]);
      }),
    );
  });

  it('two campaigns whose ids and unit ids run together keep separate ladders, found by their two ids', async () => {
    const engine = new Engine({ store: new MemoryStore(), clock: () => '2023-01-01T00:00:00.000Z' });
    await engine.open();
    const campaigns = new CampaignService(engine);
    await campaigns.create(config('a-b', 'c'), 'hq');
    await campaigns.create(config('a', 'b-c'), 'hq');
    expect(
      await campaigns.send(
        'a',
        { type: 'RECORD_ACCOUNTABILITY', unit: 'b-c', reason: '连续未完成', at: '2022-08-05' },
        'hq',
      ),
    ).toMatchObject({ status: 'accepted' });
    const ladder = (campaignId: string, unitId: string) =>
      campaigns.ladder(campaignId, unitId)?.context as UnitContext | undefined;
    expect(ladder('a', 'b-c')).toMatchObject({
      campaignId: 'a',
      unitId: 'b-c',
      accountability: [{ reason: '连续未完成' }],
    });
    expect(ladder('a-b', 'c')).toMatchObject({ campaignId: 'a-b', unitId: 'c', accountability: [] });
    expect((await campaigns.report('a-b'))!.ladders[0]!.accountability).toEqual([]);
    expect((await campaigns.report('a'))!.ladders[0]!.accountability).toHaveLength(1);
  });

  it.each([
    ['from its checkpoint', true],
    ['replaying its journal', false],
  ])(
    'ladders written by the first release (entity <campaign>.<unit>, no separate ids) still load and take events: %s',
    async (_how, checkpoint) => {
      const dir = await tempDir();
      // The first release's journal, as it wrote it: a campaign and its ladder under the dotted id.
      const store = new FileStore(dir);
      await store.open();
      const base = { actor: 'hq', recordedAt: '2022-08-01T00:00:00.000Z', machineVersion: 1, at: null };
      const campaign = config('chaling', 'xiadong');
      const old = {
        status: 'active',
        value: 'goodStanding',
        historyValue: {},
        children: {},
        context: {
          id: 'chaling.xiadong',
          name: 'xiadong',
          group: 'township',
          assessments: [],
          accountability: [],
          lastEventAt: null,
        },
      };
      const campaignSnapshot = JSON.stringify(createActor(campaignMachine, { input: campaign }).getPersistedSnapshot());
      await store.commit(
        { ...base, kind: 'create', entity: 'campaign', id: 'chaling', input: campaign, version: 1 },
        {
          entity: 'campaign',
          id: 'chaling',
          version: 1,
          machineVersion: 1,
          snapshot: campaignSnapshot,
          tags: { stage: 'draft' },
          seq: 0,
        },
      );
      await store.commit(
        {
          ...base,
          kind: 'create',
          entity: 'unit',
          id: 'chaling.xiadong',
          input: { id: 'chaling.xiadong', name: 'xiadong', group: 'township' },
          version: 1,
        },
        {
          entity: 'unit',
          id: 'chaling.xiadong',
          version: 1,
          machineVersion: 1,
          snapshot: JSON.stringify(old),
          tags: { stage: 'goodStanding', unitId: 'chaling.xiadong' },
          seq: 0,
        },
      );
      await store.close({ checkpoint });
      const engine = new Engine({ store: new FileStore(dir), clock: () => '2023-01-01T00:00:00.000Z' });
      await engine.open();
      const campaigns = new CampaignService(engine);
      expect(campaigns.ladder('chaling', 'xiadong')?.context).toMatchObject({
        campaignId: 'chaling',
        unitId: 'xiadong',
      });
      expect(
        await campaigns.send(
          'chaling',
          { type: 'RECORD_ACCOUNTABILITY', unit: 'xiadong', reason: '未完成', at: '2022-08-05' },
          'hq',
        ),
      ).toMatchObject({ status: 'accepted', id: 'chaling.xiadong' });
      await engine.close();
    },
  );
});
