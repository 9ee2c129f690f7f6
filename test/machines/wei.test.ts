import { describe, expect, it } from 'vitest';
import {
  burnDown,
  WEI_KEYS,
  weiCategories,
  weiKeys,
  type Fact,
  type ProjectInput,
  type WeiKey,
} from '../../machines/index.ts';
import { ALL_PERMITS, projectActor } from './fixtures.ts';

const built = { permits: [...ALL_PERMITS] };

describe('the eight not-yets (八未)', () => {
  const cases: [WeiKey[], Partial<ProjectInput>][] = [
    [['unsigned'], {}],
    [['unstarted'], { stage: 'signed' }],
    [['uncompleted', 'unregistered'], { ...built, stage: 'underConstruction' }],
    [['uncompleted'], { ...built, stage: 'underConstruction', statsRegistered: true }],
    [['unproductive'], { ...built, stage: 'completed', statsRegistered: true }],
    [['belowTarget'], { ...built, stage: 'inProduction', statsRegistered: true }],
    [[], { ...built, stage: 'atTarget', statsRegistered: true }],
    [['unsigned', 'landUncleared'], { land: { requiredMu: 10, houses: 0 } }],
    [['unsigned', 'bondUndisbursed'], { bond: { allocated: 10, disbursed: 3 } }],
    [
      ['unsigned'],
      { bond: { allocated: 10, disbursed: 10 }, land: { requiredMu: 5, houses: 1, clearedMu: 5, demolished: 1 } },
    ],
  ];
  it.each(cases)('a project is in exactly %j', (expected, input) => {
    expect(weiKeys(projectActor(input).getSnapshot())).toEqual(expected);
  });

  it('a project under construction, unregistered, with land clearing and bond funds undisbursed is in four', () => {
    const actor = projectActor({
      ...built,
      stage: 'underConstruction',
      land: { requiredMu: 1018.5, houses: 5, clearedMu: 800 },
      bond: { allocated: 3000, disbursed: 1000 },
    });
    expect(weiCategories(actor.getSnapshot())).toEqual([
      { key: 'uncompleted', zh: '开工未竣工', en: 'started, not completed' },
      { key: 'unregistered', zh: '在建未入库', en: 'under construction, not registered in statistics' },
      { key: 'landUncleared', zh: '征拆未清零', en: 'land not cleared' },
      { key: 'bondUndisbursed', zh: '专债资金未拨付', en: 'bond funds not disbursed' },
    ]);
  });

  it('a dropped project is in none', () => {
    const actor = projectActor({ stage: 'signed' }, [{ type: 'DROP', reason: '撤资', at: '2022-09-01' }]);
    expect(weiKeys(actor.getSnapshot())).toEqual([]);
  });

  it('works on a persisted snapshot read back from JSON', () => {
    const persisted = JSON.parse(JSON.stringify(projectActor({ stage: 'signed' }).getPersistedSnapshot()));
    expect(weiKeys(persisted)).toEqual(['unstarted']);
  });

  it('every key has both labels', () => {
    for (const key of WEI_KEYS) {
      const [category] = weiCategories({ value: valueFor(key) }).filter((c) => c.key === key);
      expect(category?.zh).toMatch(/未/);
      expect(category?.en.length).toBeGreaterThan(3);
    }
  });
});

function valueFor(key: WeiKey) {
  const base = {
    lifecycle: 'negotiating',
    permits: 'pending',
    land: 'notRequired',
    bond: 'none',
    statistics: 'unregistered',
    support: 'normal',
  } as const;
  const lifecycle = {
    unsigned: 'negotiating',
    unstarted: 'signed',
    uncompleted: 'underConstruction',
    unregistered: 'underConstruction',
    unproductive: 'completed',
    belowTarget: 'inProduction',
  } as const;
  if (key === 'landUncleared') return { ...base, land: 'clearing' as const };
  if (key === 'bondUndisbursed') return { ...base, bond: 'allocated' as const };
  return { ...base, lifecycle: lifecycle[key] };
}

describe('八未 exits (rule 1: a dropped project)', () => {
  it('a dropped (终止) project leaves every 八未, its uncleared land and undisbursed bond included', () => {
    const actor = projectActor({
      stage: 'signed',
      land: { requiredMu: 100, houses: 2, clearedMu: 10 },
      bond: { allocated: 3000, disbursed: 1000 },
    });
    expect(weiKeys(actor.getSnapshot())).toEqual(['unstarted', 'landUncleared', 'bondUndisbursed']);
    actor.send({ type: 'DROP', reason: '企业资金链断裂', at: '2022-09-01' });
    expect(actor.getSnapshot().value.lifecycle).toBe('dropped');
    expect(weiKeys(actor.getSnapshot())).toEqual([]);
  });

  it('the burn-down counts dropped projects apart (终止), not in any 八未', () => {
    const config = {
      id: 'c',
      name: 'c',
      start: '2022-08-01',
      days: 3,
      units: [{ id: 'u1', name: 'u1', group: 'township' as const }],
      targets: {},
    };
    const input = {
      id: 'p',
      name: 'p',
      unitId: 'u1',
      plannedInvestment: 100,
      stage: 'signed' as const,
      asOf: '2022-07-01',
      land: { requiredMu: 5, houses: 0 },
    };
    const signed = {
      lifecycle: 'signed',
      permits: 'pending',
      land: 'clearing',
      bond: 'none',
      statistics: 'unregistered',
      support: 'normal',
    };
    const series = burnDown(config, [
      { seq: 1, entity: 'project', id: 'p', kind: 'create', at: '2022-07-01', input } as Fact,
      {
        seq: 2,
        entity: 'project',
        id: 'p',
        kind: 'event',
        at: '2022-08-02',
        from: signed,
        to: { ...signed, lifecycle: 'dropped' },
      } as Fact,
    ]);
    expect(series[1]).toMatchObject({ day: 1, dropped: 0, counts: { unstarted: 1, landUncleared: 1 } });
    expect(series[2]).toMatchObject({ day: 2, dropped: 1, counts: { unstarted: 0, landUncleared: 0 } });
  });
});
