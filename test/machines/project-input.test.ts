import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import {
  initialProjectSnapshot,
  ProjectInputError,
  projectMachine,
  validateProjectInput,
  type ProjectInput,
} from '../../machines/index.ts';
import { ALL_PERMITS, projectInput } from './fixtures.ts';

function problemsOf(overrides: Record<string, unknown>) {
  return validateProjectInput({ ...projectInput(), ...overrides }).map((p) => p.field);
}

describe('project input', () => {
  it('places a project at any stage with its progress', () => {
    const s = initialProjectSnapshot(
      projectInput({
        stage: 'completed',
        permits: [...ALL_PERMITS],
        statsRegistered: true,
        land: { requiredMu: 100, houses: 2, clearedMu: 100, demolished: 2 },
        bond: { allocated: 500, disbursed: 200 },
        since: '2022-07-15',
      }),
    );
    expect(s.value).toEqual({
      lifecycle: 'completed',
      permits: 'complete',
      land: 'cleared',
      bond: 'allocated',
      statistics: 'registered',
      support: 'normal',
    });
    expect(s.context.stage).toBe('completed');
    expect(s.context.milestones.completed).toBe('2022-07-15');
    expect(s.context.lastEventAt).toBe('2022-08-01');
  });

  it('a new project defaults to negotiating with nothing granted', () => {
    const actor = createActor(projectMachine, { input: projectInput() }).start();
    expect(actor.getSnapshot().value.lifecycle).toBe('negotiating');
  });

  it('createActor with input beyond the default start is refused, not silently misplaced', () => {
    const errors: unknown[] = [];
    const actor = createActor(projectMachine, { input: projectInput({ stage: 'signed' }) });
    actor.subscribe({ error: (e) => errors.push(e) });
    actor.start();
    expect(errors[0]).toBeInstanceOf(ProjectInputError);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['cleared more than required', { land: { requiredMu: 10, houses: 0, clearedMu: 11 } }, 'land.clearedMu'],
    ['demolished more than required', { land: { requiredMu: 10, houses: 2, demolished: 3 } }, 'land.demolished'],
    ['fractional houses', { land: { requiredMu: 10, houses: 1.5 } }, 'land.houses'],
    ['an empty land task', { land: { requiredMu: 0, houses: 0 } }, 'land'],
    ['under construction without permits', { stage: 'underConstruction', permits: ['landUsePlanning'] }, 'permits'],
    ['registered before starting', { stage: 'signed', statsRegistered: true }, 'statsRegistered'],
    [
      'registered below 500 万元',
      { stage: 'underConstruction', permits: [...ALL_PERMITS], statsRegistered: true, plannedInvestment: 100 },
      'statsRegistered',
    ],
    ['negative investment', { plannedInvestment: -1 }, 'plannedInvestment'],
    ['investment as a string', { plannedInvestment: '300' }, 'plannedInvestment'],
    ['disbursed more than allocated', { bond: { allocated: 10, disbursed: 11 } }, 'bond.disbursed'],
    ['a zero bond allocation', { bond: { allocated: 0 } }, 'bond.allocated'],
    ['an unknown stage', { stage: 'planning' }, 'stage'],
    ['an unknown permit', { permits: ['fishing'] }, 'permits'],
    ['a duplicate permit', { permits: ['landTitle', 'landTitle'] }, 'permits'],
    ['a contract amount while negotiating', { contractAmount: 100 }, 'contractAmount'],
    ['a bad date', { asOf: '2022-02-30' }, 'asOf'],
    ['since after asOf', { since: '2022-09-01', asOf: '2022-08-01' }, 'since'],
    ['a zero output target', { outputTarget: 0 }, 'outputTarget'],
    ['an empty name', { name: ' ' }, 'name'],
  ])('input with %s is rejected, naming the field', (_what, overrides, field) => {
    expect(problemsOf(overrides)).toContain(field);
    expect(() => initialProjectSnapshot({ ...projectInput(), ...overrides } as ProjectInput)).toThrow(
      ProjectInputError,
    );
  });

  it('every problem is listed at once, in both languages', () => {
    const problems = validateProjectInput({
      id: '',
      name: 'x',
      unitId: 'u',
      plannedInvestment: -1,
      land: { requiredMu: 1, houses: 0, clearedMu: 2 },
    });
    expect(problems.map((p) => p.field)).toEqual(['id', 'plannedInvestment', 'land.clearedMu']);
    for (const p of problems) expect(p.zh.length > 0 && p.en.length > 0).toBe(true);
  });

  it('non-object input is rejected', () => {
    expect(validateProjectInput(null)).toHaveLength(1);
    expect(validateProjectInput('p1')).toHaveLength(1);
  });

  it('a project placed under construction may still be clearing land (phased land supply)', () => {
    const s = initialProjectSnapshot(
      projectInput({
        stage: 'underConstruction',
        permits: [...ALL_PERMITS],
        land: { requiredMu: 100, houses: 0, clearedMu: 40 },
      }),
    );
    expect(s.value.land).toBe('clearing');
  });
});
