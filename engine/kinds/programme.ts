import { z } from 'zod';
import {
  PROGRAMME_EVENT_LABELS,
  PROGRAMME_MACHINE_VERSION,
  PROGRAMME_STATE_LABELS,
  isIsoDate,
  programmeExplainer,
  programmeMachine,
  programmeRules,
  reject,
  ruleChecks,
  type InputProblem,
  type ProgrammeContext,
  type ProgrammeEvent,
  type ProgrammeInput,
} from '../../machines/index.ts';
import { defineKind, startedWith } from './kind.ts';
import { futureFields } from './project.ts';
import { isoDate, money, mu, safeId } from './schema-parts.ts';

const capacity = z
  .strictObject({ value: z.number().min(0).max(1e9), unit: z.string().min(1).max(20) })
  .meta({ description: 'e.g. { value: 300, unit: "MW" }' });

export const ProgrammeInputSchema = z
  .strictObject({
    id: safeId,
    name: z.string().min(1).max(200),
    enterprise: z.string().max(200).optional(),
    plannedInvestment: money.meta({ description: 'declared 计划总投资 of the whole programme, 万元' }),
    capacity: capacity.optional(),
    landMu: mu.optional().meta({ description: 'declared land, 亩' }),
    unitIds: z.array(safeId).max(200).optional(),
    registeredOn: isoDate,
  })
  .meta({
    id: 'ProgrammeInput',
    example: {
      id: 'pv-300',
      name: '300MW 分布式光伏发电项目',
      enterprise: '某新能源公司',
      plannedInvestment: 135000,
      capacity: { value: 300, unit: 'MW' },
      landMu: 3600,
      unitIds: ['yantang', 'hujv', 'mijiang'],
      registeredOn: '2022-06-20',
    },
  });

export const ProgrammeEventSchema = z
  .discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('REVISE'),
      at: isoDate,
      reason: z.string().max(500),
      plannedInvestment: money.optional(),
      capacity: capacity.optional(),
      landMu: mu.optional(),
      unitIds: z.array(safeId).max(200).optional(),
    }),
  ])
  .meta({
    id: 'ProgrammeEvent',
    example: { type: 'REVISE', plannedInvestment: 140000, reason: '新增二期', at: '2022-08-01' },
  });

function validate(input: unknown): InputProblem[] {
  const p = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const problems: InputProblem[] = [];
  for (const field of ['id', 'name'])
    if (typeof p[field] !== 'string' || (p[field] as string).trim() === '')
      problems.push({ field, zh: `${field} 不能为空`, en: `${field} is required` });
  if (typeof p.plannedInvestment !== 'number' || p.plannedInvestment < 0)
    problems.push({ field: 'plannedInvestment', zh: '计划总投资须为非负数', en: 'plannedInvestment must be ≥ 0' });
  if (!isIsoDate(p.registeredOn))
    problems.push({ field: 'registeredOn', zh: '登记日期须为 YYYY-MM-DD', en: 'registeredOn must be YYYY-MM-DD' });
  return problems;
}

const onlyHq = (role: string) =>
  role === 'hq'
    ? null
    : reject('role', '只有三高办可以登记或调整项目群', 'only the campaign office (hq) registers programmes');

/** A programme (项目群 / 打捆项目) of sub-projects (machines/programme.ts). */
export const programmeKind = defineKind<string, ProgrammeContext, ProgrammeInput, ProgrammeEvent>({
  kind: 'programme',
  label: { zh: '项目群', en: 'programme' },
  machine: programmeMachine,
  version: PROGRAMME_MACHINE_VERSION,
  inputSchema: ProgrammeInputSchema as unknown as z.ZodType<ProgrammeInput>,
  eventSchema: ProgrammeEventSchema as unknown as z.ZodType<ProgrammeEvent>,
  labels: { events: PROGRAMME_EVENT_LABELS, states: PROGRAMME_STATE_LABELS },
  rules: ruleChecks(programmeRules),
  roles: { REVISE: ['hq'] },
  validate: (input, clock) => [...validate(input), ...futureFields(input, ['registeredOn'], clock)],
  initial: (input) => startedWith(programmeMachine, input),
  createdOn: (input) => input.registeredOn,
  explain: (view, event, clock) => programmeExplainer.explain(view, event, clock),
  options: (view) => programmeExplainer.options(view),
  tags: (view) => ({ stage: view.value, name: view.context.name, amount: view.context.plannedInvestment }),
  tagNames: ['stage', 'name', 'amount'],
  createForbidden: (staff) => onlyHq(staff.role),
  forbidden: (staff, type) =>
    type === 'REVISE' ? onlyHq(staff.role) : reject('unknownEvent', `未知事件「${type}」`, `unknown event "${type}"`),
  migrations: {},
  inputMigrations: {},
});
