import type { SnapshotFrom } from 'xstate';
import { projectMachine } from './project.ts';
import { contextFromInput, valueFromInput } from './project-input.ts';
import type { ProjectInput } from './project-types.ts';

export type ProjectSnapshot = SnapshotFrom<typeof projectMachine>;

/**
 * The snapshot of a newly registered project, at whatever stage its input places it.
 * Throws `ProjectInputError` (listing every problem) for input that is malformed or
 * contradicts itself.
 *
 * @example
 * const snapshot = initialProjectSnapshot({ id: 'p1', name: '晶彩电子二期', unitId: 'park',
 *   plannedInvestment: 30000, stage: 'signed', land: { requiredMu: 120, houses: 4 } });
 * snapshot.value.land // 'clearing'
 */
export function initialProjectSnapshot(input: ProjectInput): ProjectSnapshot {
  const context = contextFromInput(input);
  return projectMachine.resolveState({ value: { ...valueFromInput(input) }, context });
}
