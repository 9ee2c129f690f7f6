import fc from 'fast-check';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine, verify } from '../../engine/index.ts';
import { snapshotText, unreadSnapshot } from '../../engine/snapshot-text.ts';
import { FileStore } from '../../store/index.ts';
import { addDays, PROJECT_EVENT_TYPES } from '../../machines/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import type { JournalEntry } from '../../store/index.ts';
import { ALL_PERMITS, fileEngine, input, memoryEngine } from './helpers.ts';

const event = fc.record({
  project: fc.constantFrom('a', 'b', 'c'),
  type: fc.constantFrom(...PROJECT_EVENT_TYPES),
  days: fc.integer({ min: 0, max: 9 }),
  amount: fc.constantFrom(0, 1, 5, 50, 120),
  permit: fc.constantFrom(...ALL_PERMITS),
});

describe('replay equals live', () => {
  it('random event streams applied live and replayed from the journal give identical snapshots', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(event, { maxLength: 60 }), async (events) => {
        const dir = await tempDir();
        const live = await fileEngine(dir, { checkpointEvery: 1_000_000 });
        await live.create(
          'project',
          input({ id: 'a', land: { requiredMu: 100, houses: 3 }, bond: { allocated: 200 } }),
          { actor: 'hq' },
        );
        await live.create('project', input({ id: 'b', stage: 'signed', permits: ['landUsePlanning'] }), {
          actor: 'hq',
        });
        await live.create(
          'project',
          input({ id: 'c', stage: 'completed', permits: [...ALL_PERMITS], outputTarget: 60 }),
          { actor: 'hq' },
        );
        let date = '2022-08-01';
        for (const e of events) {
          date = addDays(date, e.days);
          await live.send(
            'project',
            e.project,
            {
              type: e.type,
              at: date,
              contractAmount: e.amount,
              mu: e.amount,
              houses: e.amount % 3,
              amount: e.amount,
              output: e.amount,
              month: date.slice(0, 7),
              permit: e.permit,
              expert: '专家',
              reason: '撤资',
            },
            { actor: 'x' },
          );
        }
        const liveViews = live.list('project');
        await live.close();
        // Remove the checkpoint: the journal alone must rebuild everything.
        await rm(join(dir, 'store.json'));
        const replayed = await fileEngine(dir);
        expect(replayed.list('project')).toEqual(liveViews);
        await replayed.close();
        expect((await verify(dir)).ok).toBe(true);
      }),
      { numRuns: 25 },
    );
  });
});

describe('a long replay writes each record once, from the snapshot it reached', () => {
  it('replayed with a replay cache smaller than the entities, every event still lands in its record', async () => {
    const dir = await tempDir();
    const live = await fileEngine(dir, { checkpointEvery: 1_000_000 });
    const ids = ['a', 'b', 'c', 'd', 'e'];
    for (const id of ids) await live.create('project', input({ id, bond: { allocated: 1 } }), { actor: 'hq' });
    // Round-robin: each project leaves a cache of two before its next event.
    for (let round = 0; round < 4; round++)
      for (const id of ids)
        await live.send('project', id, { type: 'ALLOCATE_BOND', amount: round + 1, at: '2022-08-02' }, { actor: 'x' });
    const liveViews = live.list('project');
    await live.close();
    await rm(join(dir, 'store.json'));
    const replayed = new Engine({ store: new FileStore(dir), replayCache: 2 });
    await replayed.open();
    expect(replayed.list('project')).toEqual(liveViews);
    expect(replayed.get('project', 'c')).toMatchObject({ version: 5, context: { bond: { allocated: 11 } } });
    await replayed.close();
  });
});

describe('a start that replays is ready before it serialises what it replayed', () => {
  it('leaves a replayed record’s text to its first reader, the same text an eager settle makes', async () => {
    const dir = await tempDir();
    const live = await fileEngine(dir, { checkpointEvery: 1_000_000 });
    await live.create('project', input({ id: 'a', name: '茶陵项目', bond: { allocated: 1 } }), { actor: 'hq' });
    await live.send('project', 'a', { type: 'ALLOCATE_BOND', amount: 2, at: '2022-08-02' }, { actor: 'x' });
    await live.close();
    await rm(join(dir, 'store.json'));
    const started = new Engine({ store: new FileStore(dir) });
    await started.open();
    const record = started.store.get('project', 'a')!;
    // Replayed and settled: the state is there, the text not made yet.
    expect(unreadSnapshot(record)).toMatchObject({ context: { bond: { allocated: 3 } } });
    const text = record.snapshot;
    expect(unreadSnapshot(started.store.get('project', 'a')!)).toBeUndefined();
    // The text a settle that serialises at once makes (verify's), byte for byte: ASCII-escaped.
    expect(text).toBe(snapshotText(JSON.parse(text)));
    expect([...text].every((c) => c.charCodeAt(0) < 0x80)).toBe(true);
    await started.close();
    expect((await verify(dir)).ok).toBe(true);
  });
});

describe('replay checks the machine still accepts what the journal says it accepted', () => {
  /** `a` created, and an entry saying `event` was accepted after it (as a journal of another release might say). */
  async function journalOf(event: Record<string, unknown>, extra: Partial<JournalEntry> = {}) {
    const engine = await memoryEngine();
    await engine.create('project', input({ id: 'a', bond: { allocated: 1 } }), { actor: 'hq' });
    const [created] = await engine.store.history('project', 'a');
    // Its state as it is now: a refusal is told by the rule, not by a state the journal disagrees with.
    const to = engine.get('project', 'a')!.value;
    const accepted = { ...created!, kind: 'event', seq: 2, version: 2, event, to, ...extra };
    return { engine, accepted: accepted as JournalEntry };
  }

  it('an accepted event a guard now refuses stops the replay, naming the rule', async () => {
    const event = { type: 'ALLOCATE_BOND', amount: -5, at: '2022-08-02' };
    const { engine, accepted } = await journalOf(event);
    const rule = engine.dryRun('project', 'a', event);
    expect(rule).toMatchObject({ status: 'rejected', rejection: { rule: 'bondAmount' } });
    expect(() => engine.applyJournalEntry(accepted)).toThrow(
      /entry 2 \(project a\).*now refuses it by rule bondAmount/,
    );
    expect(engine.get('project', 'a')).toMatchObject({ version: 1, context: { bond: { allocated: 1 } } });
  });

  it('an accepted event the state no longer handles stops the replay, naming the state rule', async () => {
    const { engine, accepted } = await journalOf({ type: 'COMPLETE', at: '2022-08-02' });
    expect(() => engine.applyJournalEntry(accepted)).toThrow(/now refuses it by rule \w*[sS]tate/);
  });

  it('an accepted event the machine accepts again replays (its state as the journal says)', async () => {
    const { engine, accepted } = await journalOf({ type: 'ALLOCATE_BOND', amount: 5, at: '2022-08-02' });
    void engine.applyJournalEntry({
      ...accepted,
      to: engine.dryRun('project', 'a', accepted.event).to,
    } as JournalEntry);
    expect(engine.get('project', 'a')).toMatchObject({ version: 2, context: { bond: { allocated: 6 } } });
  });

  it('an entry of an older machine version is not held to the rules of this one, only to its end state', async () => {
    const event = { type: 'ALLOCATE_BOND', amount: -5, at: '2022-08-02' };
    const { engine, accepted } = await journalOf(event, { machineVersion: 0 });
    void engine.applyJournalEntry(accepted);
    expect(engine.get('project', 'a')).toMatchObject({ version: 2, context: { bond: { allocated: 1 } } });
    const elsewhere = await journalOf(event, { machineVersion: 0, to: { stage: 'completed' } as never });
    expect(() => elsewhere.engine.applyJournalEntry(elsewhere.accepted)).toThrow(
      /the machine gives .*the journal says/,
    );
  });
});
