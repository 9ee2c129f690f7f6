import fc from 'fast-check';
import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  explainRejection,
  initialProjectSnapshot,
  PROJECT_EVENT_TYPES,
  projectMachine,
  STAGES,
  type ProjectSnapshot,
} from '../../machines/index.ts';
import { ALL_PERMITS, projectInput } from './fixtures.ts';
import { expectStateInvariants, expectStepInvariants } from './invariants.ts';

const amount = fc.oneof(
  fc.integer({ min: -5, max: 400 }),
  fc.double({ min: -1, max: 400, noNaN: false }),
  fc.constant(0.1),
);
const payload = fc.record(
  {
    contractAmount: amount,
    permit: fc.constantFrom(...ALL_PERMITS, 'bogus'),
    mu: amount,
    houses: fc.integer({ min: -1, max: 4 }),
    month: fc.constantFrom('2022-07', '2022-08', '2022-09', '2022-13', 'x'),
    output: amount,
    amount,
    expert: fc.constantFrom('刘年勇', ''),
    reason: fc.constantFrom('撤资', ' '),
  },
  { requiredKeys: [] },
);
/** Any event, well formed or not, dated a few days around the previous one. */
const event = fc.record({
  type: fc.constantFrom(...PROJECT_EVENT_TYPES, 'NOPE'),
  dayOffset: fc.integer({ min: -2, max: 20 }),
  payload,
});
const start = fc.record({
  stage: fc.constantFrom(...STAGES),
  land: fc.option(fc.record({ requiredMu: fc.integer({ min: 1, max: 300 }), houses: fc.integer({ min: 0, max: 5 }) }), {
    nil: undefined,
  }),
  bond: fc.option(fc.record({ allocated: fc.integer({ min: 1, max: 500 }) }), { nil: undefined }),
});

describe('project machine, properties', () => {
  it('random event sequences never break the invariants, never throw, and refusals change nothing', () => {
    fc.assert(
      fc.property(start, fc.array(event, { maxLength: 40 }), (init, events) => {
        const built = init.stage !== 'negotiating' && init.stage !== 'signed';
        const snapshot = initialProjectSnapshot(
          projectInput({ ...init, permits: built ? [...ALL_PERMITS] : [], outputTarget: 200, plannedInvestment: 800 }),
        );
        const actor = createActor(projectMachine, { snapshot });
        const errors: unknown[] = [];
        actor.subscribe({ error: (e) => errors.push(e) });
        actor.start();
        let date = '2022-08-01';
        for (const e of events) {
          date = addDays(date, e.dayOffset);
          const sent = { ...e.payload, type: e.type, at: date } as never;
          const before = actor.getSnapshot();
          const rejection = explainRejection(before, sent);
          expect(before.can(sent)).toBe(rejection === null);
          actor.send(sent);
          const after = actor.getSnapshot();
          expectStateInvariants(after as ProjectSnapshot);
          if (rejection === null) expectStepInvariants(before, after);
          else expect(after).toBe(before);
        }
        expect(errors).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });
});
