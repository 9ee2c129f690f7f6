import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../engine/index.ts';
import { createdRecord, steppedRecord, unreadSnapshot } from '../../engine/snapshot-text.ts';
import { PROJECT_EVENT_TYPES } from '../../machines/index.ts';
import { MemoryStore, withSeq, type EntityRecord } from '../../store/index.ts';
import { ALL_PERMITS, input } from './helpers.ts';

const FIELDS = { entity: 'project', id: 'p', version: 1, machineVersion: 1, tags: {}, seq: 0 } as const;

/** An engine on a memory store whose live-actor cache holds `liveActors`. */
async function engine(liveActors: number): Promise<Engine> {
  const e = new Engine({ store: new MemoryStore(), clock: () => '2023-12-31T00:00:00.000Z', liveActors });
  await e.open();
  return e;
}

const step = fc.record({
  project: fc.constantFrom('p1', 'p2', 'p3'),
  type: fc.constantFrom(...PROJECT_EVENT_TYPES),
  dayOffset: fc.integer({ min: 0, max: 20 }),
  payload: fc.record(
    {
      permit: fc.constantFrom(...ALL_PERMITS),
      mu: fc.integer({ min: 0, max: 400 }),
      houses: fc.integer({ min: 0, max: 5 }),
      amount: fc.integer({ min: 0, max: 60000 }),
      contractAmount: fc.integer({ min: 0, max: 60000 }),
      output: fc.integer({ min: 0, max: 60000 }),
      month: fc.constantFrom('2022-08', '2022-09', '2022-10'),
      expert: fc.constant('刘年勇'),
      reason: fc.constant('撤资'),
    },
    { requiredKeys: [] },
  ),
});

describe('an actor restored before its snapshot was made into text is the one the text would give', () => {
  it('evicted and restored at each event, it acts as one never evicted and one restored from text', async () => {
    const seen: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        // never: one live actor per project; unread: one in all, restored from the unread snapshot at
        // almost every event; text: the same, every record's text made after each step, so each
        // restore parses it.
        const [never, unread, text] = [await engine(100), await engine(1), await engine(1)];
        for (const e of [never, unread, text])
          for (const id of ['p1', 'p2', 'p3'])
            await e.create(
              'project',
              input({ id, stage: 'signed', land: { requiredMu: 300, houses: 4 }, plannedInvestment: 50000 }),
              { actor: 'hq' },
            );
        let date = '2022-08-01';
        for (const s of steps) {
          date =
            s.dayOffset === 0 ? date : new Date(Date.parse(date) + s.dayOffset * 86_400_000).toISOString().slice(0, 10);
          const event = { ...s.payload, type: s.type, at: date };
          const outcomes = [];
          for (const e of [never, unread, text]) {
            const o = await e.send('project', s.project, event, { actor: 'park-staff' });
            outcomes.push({ status: o.status, to: 'to' in o ? o.to : null, version: 'version' in o ? o.version : 0 });
          }
          seen[outcomes[0]!.status] = (seen[outcomes[0]!.status] ?? 0) + 1;
          expect(outcomes[1]).toEqual(outcomes[0]);
          expect(outcomes[2]).toEqual(outcomes[0]);
          for (const id of ['p1', 'p2', 'p3']) void text.store.get('project', id)!.snapshot;
        }
        // Read before any text is made (get makes it): evicted projects' states from their unread snapshots.
        const states = (e: Engine) => e.states('project').map(({ value, context }) => ({ value, context }));
        expect(states(unread)).toStrictEqual(states(never));
        for (const id of ['p1', 'p2', 'p3']) {
          const want = never.get('project', id)!;
          expect(unread.get('project', id)).toStrictEqual(want);
          expect(text.get('project', id)).toStrictEqual(want);
          // And the text each will write at its next checkpoint is the same.
          expect(unread.store.get('project', id)!.snapshot).toBe(never.store.get('project', id)!.snapshot);
        }
      }),
      { numRuns: 60 },
    );
    // Not vacuous: many steps accepted (and many refused).
    expect(seen.accepted).toBeGreaterThan(15);
    expect(seen.rejected).toBeGreaterThan(15);
  }, 60_000);

  it('a new record keeps its snapshot unread until its text is first read, copies made by the store included', () => {
    const snapshot = { status: 'active', value: 'signed', context: { name: '龙华', land: { requiredMu: 300 } } };
    const record = createdRecord(FIELDS, snapshot);
    const copy: EntityRecord = withSeq(record, 7);
    expect(unreadSnapshot(copy)).toBe(snapshot);
    expect(copy.snapshot).toBe(
      '{"status":"active","value":"signed","context":{"name":"\\u9f99\\u534e","land":{"requiredMu":300}}}',
    );
    // Made once, for the record and its copies: from then on restores parse the text.
    expect(unreadSnapshot(copy)).toBeUndefined();
    expect(unreadSnapshot(record)).toBeUndefined();
    expect(unreadSnapshot({ ...FIELDS, snapshot: '{}' })).toBeUndefined();
    expect(unreadSnapshot(steppedRecord(FIELDS, () => ({ value: 'x' })))).toEqual({ value: 'x' });
  });

  it('a new record whose snapshot JSON cannot carry is refused at once, naming the path', () => {
    expect(() => createdRecord(FIELDS, { context: { bond: { allocated: Infinity } } })).toThrow(
      /context\.bond\.allocated is Infinity/,
    );
  });

  it('a bulk read keeps a record’s parse while the record is current; a replaced record is read anew', async () => {
    const e = await engine(1);
    for (const id of ['p1', 'p2', 'p3']) await e.create('project', input({ id }), { actor: 'hq' });
    // Their text made, as a checkpoint makes it: from then on, a read of an evicted one parses it.
    for (const id of ['p1', 'p2', 'p3']) void e.store.get('project', id)!.snapshot;
    const first = await e.statesInSlices('project', 2);
    const again = await e.statesInSlices('project', 2);
    // p3 is the one live actor; p1 and p2 were parsed once and kept.
    expect(again[0]).toBe(first[0]);
    expect(again[1]).toBe(first[1]);
    // p1 signs (its record replaced), then p2 takes the one live place again: p1 is read from its new record.
    const signed = await e.send(
      'project',
      'p1',
      { type: 'SIGN', contractAmount: 50000, at: '2022-08-02' },
      { actor: 'u' },
    );
    expect(signed.status).toBe('accepted');
    await e.send('project', 'p2', { type: 'SIGN', contractAmount: 1, at: '2022-08-02' }, { actor: 'u' });
    void e.store.get('project', 'p1')!.snapshot;
    const after = await e.statesInSlices('project', 2);
    expect(after[0]!.value.lifecycle).toBe('signed');
    expect(after[0]).not.toBe(first[0]);
    expect(after.map((s) => s.value.lifecycle)).toEqual(e.states('project').map((s) => s.value.lifecycle));
  });
});
