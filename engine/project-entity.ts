import { projectMachine, weiKeys, type ProjectStateValue } from '../machines/index.ts';
import { StoreError, type RecordTags } from '../store/index.ts';

/** The states of each region, read from the machine, to check a persisted value still exists. */
const KNOWN_STATES: Record<string, Set<string>> = Object.fromEntries(
  Object.entries(projectMachine.states).map(([region, node]) => [region, new Set(Object.keys(node.states))]),
);

/** True when every region of a persisted value names a state the current machine has. */
export function isKnownProjectValue(value: unknown): value is ProjectStateValue {
  if (typeof value !== 'object' || value === null) return false;
  const regions = Object.keys(KNOWN_STATES);
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.length === regions.length && entries.every(([region, state]) => KNOWN_STATES[region]?.has(state as string) === true);
}

export function projectTags(snapshot: { value: ProjectStateValue; context: { unitId: string } }): RecordTags {
  return { unitId: snapshot.context.unitId, stage: snapshot.value.lifecycle, wei: weiKeys(snapshot) };
}

/** Refuses a persisted project snapshot whose states the machine no longer has. */
export function assertKnownProjectState(id: string, persisted: unknown): void {
  const value = (persisted as { value?: unknown } | null)?.value;
  if (!isKnownProjectValue(value)) {
    throw new StoreError(
      'unknownState',
      `project ${id}: saved state ${JSON.stringify(value)} does not exist in the project machine; register a migration`,
      `项目 ${id}:保存的状态 ${JSON.stringify(value)} 在状态机中不存在,需登记迁移`,
    );
  }
}
