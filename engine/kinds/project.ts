import { z } from 'zod';
import {
  EVENT_LABELS,
  PERMIT_LABELS,
  WEI_LABELS,
  PERMIT_KEYS,
  PROJECT_CREATE_ROLES,
  PROJECT_EVENT_ROLES,
  PROJECT_EVENT_TYPES,
  PROJECT_MACHINE_VERSION,
  REGION_LABELS,
  STAGES,
  STATE_LABELS,
  eventOptions,
  explainRejection,
  initialProjectSnapshot,
  notInFuture,
  projectEventForbidden,
  permitIssuerForbidden,
  projectMachine,
  projectRules,
  reject,
  validateProjectInput,
  weiKeys,
  type EventClock,
  type ProjectContext,
  type ProjectEvent,
  type ProjectEventType,
  type ProjectInput,
  type ProjectStateValue,
  type Rejection,
  type StaffMember,
  ROLE_LABELS,
  ruleChecks,
} from '../../machines/index.ts';
import { defineKind, persisted, type FieldProblem } from './kind.ts';
import { dated, houses, isoDate, isoMonth, money, mu, safeId } from './schema-parts.ts';

/**
 * Who may send a project event, knowing only the project's unit — what the kind's `forbidden`
 * checks, for callers that hold the record's tags rather than a parsed snapshot.
 */
export function projectForbidden(staff: StaffMember, type: string, unitId: string, event?: unknown): Rejection | null {
  return (PROJECT_EVENT_TYPES as readonly string[]).includes(type)
    ? (projectEventForbidden(staff, type as ProjectEventType, unitId) ??
        (type === 'GRANT_PERMIT' && event !== undefined
          ? permitIssuerForbidden(staff, (event as { permit?: unknown }).permit)
          : null))
    : reject('unknownEvent', `未知事件「${type}」`, `unknown event "${type}"`);
}

export const ProjectInputSchema = z
  .strictObject({
    id: safeId,
    name: z.string().min(1).max(200),
    unitId: safeId,
    plannedInvestment: money,
    stage: z.enum(STAGES).optional(),
    statsRegistered: z.boolean().optional(),
    permits: z.array(z.enum(PERMIT_KEYS)).optional(),
    land: z
      .strictObject({ requiredMu: mu, houses, clearedMu: mu.optional(), demolished: houses.optional() })
      .optional(),
    bond: z.strictObject({ allocated: money, disbursed: money.optional() }).optional(),
    outputTarget: money.optional(),
    targetMonths: z
      .number()
      .int()
      .min(1)
      .max(12)
      .optional()
      .meta({ description: '达产 after this many consecutive months at or above outputTarget (default 1)' }),
    purpose: z
      .enum(['productive', 'public'])
      .optional()
      .meta({ description: 'public works (公益性) end at completion: never 竣工未投产 or 投产未达产' }),
    enterprise: z.string().max(200).optional(),
    flags: z
      .strictObject({
        xiangshang: z.boolean().optional(),
        illustrative: z.boolean().optional().meta({ description: 'invented data: reports mark it 示例数据' }),
      })
      .optional(),
    chain: z
      .strictObject({ countyLeader: z.string(), unitHead: z.string(), deputy: z.string(), handler: z.string() })
      .optional(),
    contractAmount: money.optional(),
    asOf: isoDate.optional(),
    since: isoDate.optional(),
    annualPlan: z
      .record(z.string().regex(/^\d{4}$/), money)
      .optional()
      .meta({ description: '年度计划投资: year (YYYY) → 万元' }),
    programmeId: safeId.optional().meta({ description: 'the programme (项目群) this is a sub-project of' }),
    capacity: z
      .strictObject({ value: z.number().min(0).max(1e9), unit: z.string().min(1).max(20) })
      .optional()
      .meta({ description: 'size in the programme’s unit, e.g. { value: 5.8, unit: "MW" }' }),
  })
  .meta({
    id: 'ProjectInput',
    example: {
      id: 'jingcai-2',
      name: '晶彩电子二期',
      unitId: 'economic-zone',
      plannedInvestment: 30000,
      stage: 'signed',
      land: { requiredMu: 120, houses: 4 },
      asOf: '2022-08-01',
    },
  });

export const ProjectEventSchema = z
  .discriminatedUnion('type', [
    dated('SIGN', { contractAmount: money }),
    dated('GRANT_PERMIT', { permit: z.enum(PERMIT_KEYS) }),
    dated('GREEN_CHANNEL', {}),
    dated('REPORT_CLEARANCE', { mu: mu.meta({ description: '亩 cleared since the last report' }), houses }),
    dated('START_CONSTRUCTION', {}),
    dated('REGISTER_STATS', {}),
    dated('COMPLETE', {}),
    dated('START_PRODUCTION', {}),
    dated('REPORT_OUTPUT', { month: isoMonth, output: money }),
    dated('SET_OUTPUT_TARGET', {
      outputTarget: money.meta({ description: '达产目标: designed monthly output, 万元' }),
    }),
    dated('ALLOCATE_BOND', { amount: money }),
    dated('DISBURSE_BOND', { amount: money }),
    dated('ENTER_HELP_POOL', { expert: z.string().max(100) }),
    dated('DROP', { reason: z.string().max(500) }),
    dated('REPORT_INVESTMENT', {
      month: isoMonth,
      amount: money.meta({ description: '完成投资 of the month, 万元' }),
    }),
    dated('REPORT_PROGRESS', {
      month: isoMonth,
      percent: z.number().min(0).max(100).meta({ description: '形象进度, percent of the works done' }),
      note: z.string().max(500),
    }),
    dated('REVISE_PLAN', {
      plannedInvestment: money.meta({ description: 'the revised 计划总投资, 万元' }),
      reason: z.string().max(500),
    }),
  ])
  .meta({ id: 'ProjectEvent', example: { type: 'SIGN', contractAmount: 12000, at: '2022-09-01' } });

/** Input dates after today (given the engine's clock), each naming its field. */
export function futureFields(input: unknown, fields: readonly string[], clock: EventClock | undefined): FieldProblem[] {
  const i = input as Record<string, unknown> | null;
  return fields.flatMap((field) => {
    const future = notInFuture(i?.[field], clock, { zh: field, en: field });
    return future === null ? [] : [{ field, zh: future.zh, en: future.en }];
  });
}

type Project = { value: ProjectStateValue; context: ProjectContext };

/** The project (项目): six parallel regions, the 八未, the county's rules (machines/project.ts). */
export const projectKind = defineKind<ProjectStateValue, ProjectContext, ProjectInput, ProjectEvent>({
  kind: 'project',
  label: { zh: '项目', en: 'project' },
  machine: projectMachine,
  version: PROJECT_MACHINE_VERSION,
  inputSchema: ProjectInputSchema,
  eventSchema: ProjectEventSchema,
  labels: { events: EVENT_LABELS, states: STATE_LABELS, regions: REGION_LABELS },
  moreLabels: { permits: PERMIT_LABELS, wei: WEI_LABELS },
  rules: ruleChecks(projectRules),
  roles: PROJECT_EVENT_ROLES,
  validate: (input, clock) => [...validateProjectInput(input), ...futureFields(input, ['asOf', 'since'], clock)],
  initial: (input) => persisted(projectMachine.getPersistedSnapshot(initialProjectSnapshot(input))),
  createdOn: (input) => input.asOf ?? null,
  explain: (view, event, clock) => explainRejection(view, event, clock),
  options: (view) => eventOptions(view),
  tags: (view: Project) => ({
    unitId: view.context.unitId,
    stage: view.value.lifecycle,
    wei: weiKeys(view),
    name: view.context.name,
    amount: view.context.plannedInvestment,
    ...(view.context.programmeId === undefined ? {} : { programmeId: view.context.programmeId }),
    ...(view.context.enterprise === null ? {} : { enterprise: view.context.enterprise }),
  }),
  tagNames: ['unitId', 'stage', 'wei', 'name', 'amount'],
  createForbidden: (staff) =>
    PROJECT_CREATE_ROLES.includes(staff.role)
      ? null
      : reject(
          'role',
          `只有${PROJECT_CREATE_ROLES.map((r) => ROLE_LABELS[r].zh).join('、')}可以登记项目`,
          'only the campaign office (hq) registers projects',
        ),
  forbidden: (staff, type, project, event) => projectForbidden(staff, type, project.context.unitId, event),
  migrations: {
    // v0 (pre-release) had no `stage` mirror and no green channel in context.
    0: (s) => ({
      ...s,
      context: {
        ...s.context,
        stage: (s.value as { lifecycle: string }).lifecycle,
        greenChannel: s.context.greenChannel ?? null,
      },
    }),
  },
  inputMigrations: {},
});
