import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../engine/index.ts';
import { MemoryStore } from '../../store/index.ts';
import { addDays, PROJECT_EVENT_TYPES } from '../../machines/index.ts';
import { ALL_PERMITS, input } from './helpers.ts';

describe('a dry run', () => {
  it('answers what the send then does (accepted with its state, or the rule) and changes nothing', async () => {
    const step = fc.record({
      project: fc.constantFrom('a', 'b', 'c'),
      type: fc.constantFrom(...PROJECT_EVENT_TYPES),
      days: fc.integer({ min: 0, max: 20 }),
      amount: fc.integer({ min: -1, max: 500 }),
      permit: fc.constantFrom(...ALL_PERMITS),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 30 }), fc.boolean(), async (steps, fewLive) => {
        // One live actor at most: most dry runs then start from a record, not from a live actor.
        const engine = new Engine({
          store: new MemoryStore(),
          clock: () => '2023-12-31T00:00:00.000Z',
          ...(fewLive ? { liveActors: 1 } : {}),
        });
        await engine.open();
        await engine.create('project', input({ id: 'a', bond: { allocated: 100 } }), { actor: 'hq' });
        await engine.create('project', input({ id: 'b', stage: 'signed', permits: ['landUsePlanning'] }), {
          actor: 'hq',
        });
        await engine.create('project', input({ id: 'c', stage: 'completed', permits: [...ALL_PERMITS] }), {
          actor: 'hq',
        });
        let date = '2022-08-01';
        for (const s of steps) {
          date = addDays(date, s.days);
          const event = {
            type: s.type,
            at: date,
            contractAmount: s.amount,
            mu: s.amount,
            houses: s.amount % 3,
            amount: s.amount,
            output: s.amount,
            outputTarget: s.amount,
            month: date.slice(0, 7),
            permit: s.permit,
            expert: '专家',
            reason: '撤资',
          };
          const before = engine.get('project', s.project);
          const dry = engine.dryRun('project', s.project, event);
          expect(engine.get('project', s.project)).toEqual(before);
          const real = await engine.send('project', s.project, event, { actor: 'x' });
          expect(dry.status).toBe(real.status);
          if (real.status === 'rejected' && dry.status === 'rejected') expect(dry.rejection).toEqual(real.rejection);
          if (real.status === 'accepted' && dry.status === 'accepted') {
            const after = engine.get('project', s.project)!;
            expect(dry.from).toEqual(real.from);
            expect(dry.to).toEqual(after.value);
            expect(dry.context).toEqual(after.context);
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});
