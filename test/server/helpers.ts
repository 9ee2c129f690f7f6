import { pino } from 'pino';
import { Engine } from '../../engine/index.ts';
import type { ProjectInput, Role } from '../../machines/index.ts';
import { createApp, type AppOptions } from '../../server/app.ts';
import { MemoryStore, StaffDirectory, type Store } from '../../engine/index.ts';
import { fileLifetimeTempDir } from '../support/temp-dir.ts';

export const ALL_PERMITS = ['landUsePlanning', 'landTitle', 'engineeringPlanning', 'construction'] as const;

export type TokenName = Role | 'otherUnit';

/** An app over an engine, with one token per role (`unit` works for u1; `otherUnit` for u2). */
export async function testApp(
  store: Store = new MemoryStore(),
  options: Partial<Omit<AppOptions, 'engine' | 'staff' | 'logger'>> = {},
) {
  const engine = new Engine({ store, clock: () => '2023-12-31T00:00:00.000Z' });
  await engine.open();
  const staff = new StaffDirectory(await fileLifetimeTempDir());
  const tokens = {} as Record<TokenName, string>;
  for (const role of ['hq', 'unit', 'finance', 'stats', 'naturalResources', 'housing', 'leader', 'viewer'] as const) {
    tokens[role] = (
      await staff.create({ name: `${role} 测试`, role, unitId: role === 'unit' ? 'u1' : undefined })
    ).token;
  }
  tokens.otherUnit = (await staff.create({ name: '其他单位', role: 'unit', unitId: 'u2' })).token;
  const { app, hub } = createApp({ engine, staff, logger: pino({ level: 'silent' }), ...options });
  const auth = (name: TokenName) => ({ Authorization: `Bearer ${tokens[name]}` });
  return { app, hub, engine, staff, tokens, auth };
}

export function projectInput(overrides: Partial<ProjectInput> = {}): ProjectInput {
  return { id: 'p1', name: '晶彩电子二期', unitId: 'u1', plannedInvestment: 30000, asOf: '2022-08-01', ...overrides };
}

/** A valid payload for each event type (whether the project accepts it depends on its state). */
export const SAMPLE_EVENTS: Record<string, Record<string, unknown>> = {
  SIGN: { type: 'SIGN', contractAmount: 100, at: '2022-09-01' },
  GRANT_PERMIT: { type: 'GRANT_PERMIT', permit: 'landUsePlanning', at: '2022-09-01' },
  GREEN_CHANNEL: { type: 'GREEN_CHANNEL', at: '2022-09-01' },
  REPORT_CLEARANCE: { type: 'REPORT_CLEARANCE', mu: 1, houses: 0, at: '2022-09-01' },
  START_CONSTRUCTION: { type: 'START_CONSTRUCTION', at: '2022-09-01' },
  REGISTER_STATS: { type: 'REGISTER_STATS', at: '2022-09-01' },
  COMPLETE: { type: 'COMPLETE', at: '2022-09-01' },
  START_PRODUCTION: { type: 'START_PRODUCTION', at: '2022-09-01' },
  REPORT_OUTPUT: { type: 'REPORT_OUTPUT', month: '2022-08', output: 5, at: '2022-09-01' },
  SET_OUTPUT_TARGET: { type: 'SET_OUTPUT_TARGET', outputTarget: 800, at: '2022-09-01' },
  ALLOCATE_BOND: { type: 'ALLOCATE_BOND', amount: 5, at: '2022-09-01' },
  DISBURSE_BOND: { type: 'DISBURSE_BOND', amount: 5, at: '2022-09-01' },
  ENTER_HELP_POOL: { type: 'ENTER_HELP_POOL', expert: '专家', at: '2022-09-01' },
  DROP: { type: 'DROP', reason: '撤资', at: '2022-09-01' },
  REPORT_INVESTMENT: { type: 'REPORT_INVESTMENT', month: '2022-08', amount: 500, at: '2022-09-01' },
  REPORT_PROGRESS: { type: 'REPORT_PROGRESS', month: '2022-08', percent: 30, note: '主体封顶', at: '2022-09-01' },
  REVISE_PLAN: { type: 'REVISE_PLAN', plannedInvestment: 32000, reason: '增加二期厂房', at: '2022-09-01' },
};
