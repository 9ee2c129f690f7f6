import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  BurnDownFold,
  byDateThenSeq,
  isDropped,
  valueFromInput,
  WEI_KEYS,
  weiKeys,
  type BurnDownDay,
  type Fact,
  type ProjectAttributes,
  type ProjectInput,
  type ProjectStateValue,
  type WeiKey,
} from '../../machines/index.ts';

const config = { id: 'c', name: 'c', start: '2022-08-01', days: 10, units: [], targets: {} };

/**
 * The burn-down's definition, day by day over every fact sorted (the computation the report made
 * before it was folded): at the end of day d, each project in the 八未 of its state after its last
 * fact dated on or before that day, from its creation's investment and purpose on.
 */
function spec(facts: readonly Fact[]): BurnDownDay[] {
  const attributes = new Map<string, ProjectAttributes>();
  const held = new Map<string, { keys: WeiKey[]; dropped: boolean }>();
  const sorted = facts.filter((f) => f.entity === 'project' && f.kind !== 'refusal').sort(byDateThenSeq);
  const series: BurnDownDay[] = [];
  let i = 0;
  for (let day = 0; day <= config.days; day++) {
    const date = addDays(config.start, day - 1);
    for (; i < sorted.length && (sorted[i]!.at ?? '') <= date; i++) {
      const f = sorted[i]!;
      let value = f.to as ProjectStateValue;
      if (f.kind === 'create') {
        const input = f.input as ProjectInput;
        attributes.set(f.id, { plannedInvestment: input.plannedInvestment, purpose: input.purpose });
        value = valueFromInput(input);
      }
      held.set(f.id, { keys: weiKeys({ value, ...attributes.get(f.id) }), dropped: isDropped(value) });
    }
    const counts = Object.fromEntries(WEI_KEYS.map((k) => [k, 0])) as Record<WeiKey, number>;
    let dropped = 0;
    for (const h of held.values()) {
      for (const k of h.keys) counts[k] += 1;
      if (h.dropped) dropped += 1;
    }
    series.push({ day, date, counts, dropped });
  }
  return series;
}

const value = (lifecycle: string, land: string, statistics: string): ProjectStateValue =>
  ({ lifecycle, permits: 'pending', land, bond: 'none', statistics, support: 'normal' }) as ProjectStateValue;
const values = fc.constantFrom(
  value('negotiating', 'notRequired', 'unregistered'),
  value('signed', 'clearing', 'unregistered'),
  value('underConstruction', 'cleared', 'unregistered'),
  value('underConstruction', 'cleared', 'registered'),
  value('completed', 'cleared', 'registered'),
  value('inProduction', 'cleared', 'registered'),
  value('dropped', 'clearing', 'unregistered'),
);
// Dates before, inside and after the campaign, on its eve and first day, and none.
const dates = fc.oneof(
  fc.constant(null),
  fc.integer({ min: -3, max: 13 }).map((d) => addDays(config.start, d)),
);
const facts = fc
  .array(
    fc.record({
      project: fc.constantFrom('p1', 'p2', 'p3', 'p4'),
      at: dates,
      to: values,
      kind: fc.constantFrom('event', 'event', 'correction', 'refusal'),
      investment: fc.constantFrom(300, 800, 20_000),
      purpose: fc.constantFrom('productive', 'public'),
    }),
    { maxLength: 40 },
  )
  .map((drawn) => {
    const created = new Set<string>();
    return drawn.map((d, i): Fact => {
      // A project's first fact is its creation (dated anyhow: it may come after its events).
      const create = !created.has(d.project);
      created.add(d.project);
      const input = {
        id: d.project,
        name: d.project,
        unitId: 'u',
        plannedInvestment: d.investment,
        purpose: d.purpose,
      };
      return (
        create
          ? { seq: i + 1, entity: 'project', id: d.project, kind: 'create', at: d.at, input }
          : { seq: i + 1, entity: 'project', id: d.project, kind: d.kind, at: d.at, to: d.to }
      ) as Fact;
    });
  });

describe('the burn-down folded fact by fact', () => {
  it('is, after every fact, the day-by-day count over all facts so far — in any order of their dates', () => {
    fc.assert(
      fc.property(facts, (all) => {
        const fold = new BurnDownFold(config);
        all.forEach((fact, i) => {
          fold.add(fact);
          expect(fold.series()).toEqual(spec(all.slice(0, i + 1)));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('ignores what is not a project fact, and refusals', () => {
    const fold = new BurnDownFold(config);
    fold.add({ seq: 1, entity: 'problem', id: 'x', kind: 'create', at: '2022-08-01', input: {} } as Fact);
    fold.add({ seq: 2, entity: 'project', id: 'p', kind: 'refusal', at: '2022-08-01' } as Fact);
    expect(fold.series().every((d) => d.dropped === 0 && Object.values(d.counts).every((n) => n === 0))).toBe(true);
  });
});
