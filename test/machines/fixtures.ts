import { createActor } from 'xstate';
import { initialProjectSnapshot, projectMachine, type ProjectEvent, type ProjectInput } from '../../machines/index.ts';

export const ALL_PERMITS = ['landUsePlanning', 'landTitle', 'engineeringPlanning', 'construction'] as const;

/** A project input with sensible defaults; override what the test is about. */
export function projectInput(overrides: Partial<ProjectInput> = {}): ProjectInput {
  return { id: 'p1', name: '晶彩电子二期', unitId: 'park', plannedInvestment: 30000, asOf: '2022-08-01', ...overrides };
}

/** A live actor for a project placed by `overrides`, with events applied in order. */
export function projectActor(overrides: Partial<ProjectInput> = {}, events: ProjectEvent[] = []) {
  const actor = createActor(projectMachine, { snapshot: initialProjectSnapshot(projectInput(overrides)) }).start();
  for (const event of events) actor.send(event);
  return actor;
}

/** A round trip through JSON, as the store does. */
export function persistedCopy(actor: ReturnType<typeof projectActor>): unknown {
  return JSON.parse(JSON.stringify(actor.getPersistedSnapshot()));
}
