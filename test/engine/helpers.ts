import { Engine } from '../../engine/index.ts';
import { FileStore, MemoryStore } from '../../store/index.ts';
import type { ProjectInput } from '../../machines/index.ts';

export const ALL_PERMITS = ['landUsePlanning', 'landTitle', 'engineeringPlanning', 'construction'] as const;

export function input(overrides: Partial<ProjectInput> = {}): ProjectInput {
  return {
    id: 'p1',
    name: '龙华农牧现代农业产业加工园',
    unitId: 'park',
    plannedInvestment: 50000,
    asOf: '2022-08-01',
    ...overrides,
  };
}

export async function memoryEngine(): Promise<Engine> {
  const engine = new Engine({ store: new MemoryStore(), clock: () => '2023-12-31T00:00:00.000Z' });
  await engine.open();
  return engine;
}

export async function fileEngine(
  dir: string,
  options: ConstructorParameters<typeof FileStore>[1] = {},
): Promise<Engine> {
  const engine = new Engine({ store: new FileStore(dir, options) });
  await engine.open();
  return engine;
}
