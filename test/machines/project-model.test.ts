import { getNextSnapshot } from 'xstate';
import { getShortestPaths, getSimplePaths } from 'xstate/graph';
import { describe, expect, it } from 'vitest';
import {
  explainRejection,
  initialProjectSnapshot,
  projectMachine,
  type ProjectEvent,
  type ProjectSnapshot,
} from '../../machines/index.ts';
import { ALL_PERMITS, projectInput } from './fixtures.ts';
import { expectStateInvariants, expectStepInvariants } from './invariants.ts';

const at = '2022-09-01';
const serializeState = (s: ProjectSnapshot) => JSON.stringify([s.value, s.context]);

/** Events for the first half of a project's life: signing, permits, land, start, statistics, drop. */
function frontEvents(): ProjectEvent[] {
  return [
    { type: 'SIGN', contractAmount: 500, at },
    { type: 'SIGN', contractAmount: 0, at },
    ...ALL_PERMITS.map((permit) => ({ type: 'GRANT_PERMIT' as const, permit, at })),
    { type: 'GREEN_CHANNEL', at },
    { type: 'REPORT_CLEARANCE', mu: 5, houses: 1, at },
    { type: 'REPORT_CLEARANCE', mu: 5, houses: 1, at },
    { type: 'REPORT_CLEARANCE', mu: 20, houses: 0, at },
    { type: 'START_CONSTRUCTION', at },
    { type: 'REGISTER_STATS', at },
    { type: 'COMPLETE', at },
    { type: 'DROP', reason: '撤资', at },
  ];
}

/** Events for the second half: production, output, the help pool and bond funds (bounded). */
function backEvents(s: ProjectSnapshot): ProjectEvent[] {
  const month = `2022-0${s.context.outputs.length + 1}`;
  return [
    { type: 'START_PRODUCTION', at },
    ...(s.context.outputs.length < 3
      ? [50, 100].map((output) => ({ type: 'REPORT_OUTPUT' as const, month, output, at }))
      : []),
    { type: 'ENTER_HELP_POOL', expert: '刘年勇', at },
    ...(s.context.bond.allocated < 200 ? [{ type: 'ALLOCATE_BOND' as const, amount: 100, at }] : []),
    { type: 'DISBURSE_BOND', amount: 50, at },
    { type: 'DISBURSE_BOND', amount: 300, at },
    { type: 'REGISTER_STATS', at },
  ];
}

/** Checks every reachable state, and every event from it, against the invariants. */
function exploreAndCheck(
  paths: { state: ProjectSnapshot }[],
  eventsFor: (s: ProjectSnapshot) => ProjectEvent[],
): number {
  let transitions = 0;
  for (const { state } of paths) {
    expectStateInvariants(state);
    for (const event of eventsFor(state)) {
      const rejection = explainRejection(state, event);
      expect(state.can(event), `${serializeState(state)} ${JSON.stringify(event)}`).toBe(rejection === null);
      const next = getNextSnapshot(projectMachine, state, event) as ProjectSnapshot;
      if (rejection === null) {
        expectStepInvariants(state, next);
        transitions += 1;
      } else {
        expect(serializeState(next)).toBe(serializeState(state));
      }
    }
  }
  return transitions;
}

describe('project machine, model-based', () => {
  it('every state reachable through signing, permits, land and start keeps the invariants', () => {
    const fromState = initialProjectSnapshot(
      projectInput({ land: { requiredMu: 10, houses: 2 }, plannedInvestment: 600 }),
    );
    const paths = getShortestPaths(projectMachine, { fromState, events: frontEvents(), serializeState });
    expect(paths.length).toBeGreaterThan(100);
    expect(
      paths.some((p) => p.state.value.lifecycle === 'completed' && p.state.value.statistics === 'registered'),
    ).toBe(true);
    expect(paths.some((p) => p.state.value.lifecycle === 'dropped')).toBe(true);
    expect(exploreAndCheck(paths, frontEvents)).toBeGreaterThan(paths.length);
  });

  it('every state reachable through production, output, help pool and bond keeps the invariants', () => {
    const fromState = initialProjectSnapshot(
      projectInput({ stage: 'completed', permits: [...ALL_PERMITS], outputTarget: 100 }),
    );
    const paths = getShortestPaths(projectMachine, { fromState, events: backEvents, serializeState });
    expect(paths.some((p) => p.state.value.lifecycle === 'atTarget' && p.state.value.bond === 'disbursed')).toBe(true);
    expect(paths.some((p) => p.state.value.support === 'helpPool')).toBe(true);
    exploreAndCheck(paths, backEvents);
  });

  it('along every simple path of the lifecycle, no stage is skipped and 达产 follows 投产', () => {
    const fromState = initialProjectSnapshot(projectInput({ permits: [...ALL_PERMITS], outputTarget: 100 }));
    const events: ProjectEvent[] = [
      { type: 'SIGN', contractAmount: 1, at },
      { type: 'START_CONSTRUCTION', at },
      { type: 'COMPLETE', at },
      { type: 'START_PRODUCTION', at },
      { type: 'REPORT_OUTPUT', month: '2022-08', output: 100, at },
      { type: 'DROP', reason: '撤资', at },
    ];
    const paths = getSimplePaths(projectMachine, { fromState, events, serializeState });
    expect(paths.map((p) => p.state.value.lifecycle).sort()).toContain('atTarget');
    for (const path of paths) {
      let before = fromState;
      for (const step of path.steps) {
        expectStepInvariants(before, step.state);
        before = step.state;
      }
    }
  });

  it('restoring any reachable state through JSON gives the same state', () => {
    const fromState = initialProjectSnapshot(
      projectInput({ stage: 'completed', permits: [...ALL_PERMITS], outputTarget: 100 }),
    );
    for (const { state } of getShortestPaths(projectMachine, { fromState, events: backEvents, serializeState })) {
      const persisted = JSON.parse(JSON.stringify(projectMachine.getPersistedSnapshot(state)));
      const restored = projectMachine.resolveState(persisted);
      expect(serializeState(restored)).toBe(serializeState(state));
    }
  });
});
