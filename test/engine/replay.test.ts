import fc from 'fast-check';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine, verify } from '../../engine/index.ts';
import { FileStore } from '../../store/index.ts';
import { addDays, PROJECT_EVENT_TYPES } from '../../machines/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { ALL_PERMITS, fileEngine, input } from './helpers.ts';

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
