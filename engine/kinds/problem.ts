import { z } from 'zod';
import {
  PROBLEM_EVENT_LABELS,
  PROBLEM_EVENT_ROLES,
  PROBLEM_MACHINE_VERSION,
  PROBLEM_SOURCES,
  PROBLEM_STATE_LABELS,
  isIsoDate,
  problemEventForbidden,
  problemExplainer,
  problemMachine,
  problemRules,
  reject,
  type InputProblem,
  type ProblemContext,
  type ProblemEvent,
  type ProblemInput,
  ruleChecks,
} from '../../machines/index.ts';
import { defineKind, startedWith } from './kind.ts';
import { futureFields } from './project.ts';
import { dated, isoDate, safeId } from './schema-parts.ts';

export const ProblemInputSchema = z
  .strictObject({
    id: safeId,
    projectId: safeId,
    title: z.string().min(1).max(300),
    source: z.enum(PROBLEM_SOURCES),
    raisedOn: isoDate,
    raisedBy: z.string().max(100).optional(),
  })
  .meta({
    id: 'ProblemInput',
    example: {
      id: 'p-longhua-land',
      projectId: 'longhua',
      title: '龙华农牧:土地预征',
      source: 'onSiteMeeting',
      raisedOn: '2022-08-19',
    },
  });

export const ProblemEventSchema = z
  .discriminatedUnion('type', [
    dated('ASSIGN', { unitId: safeId, due: isoDate }),
    dated('RESOLVE', { note: z.string().max(1000) }),
    dated('VERIFY', {}),
    dated('REOPEN', { reason: z.string().max(1000) }),
  ])
  .meta({
    id: 'ProblemEvent',
    example: { type: 'ASSIGN', unitId: 'economic-zone', due: '2022-09-10', at: '2022-08-19' },
  });

const text = (v: unknown) => typeof v === 'string' && v.trim() !== '';

function validate(input: unknown): InputProblem[] {
  const p = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const problems: InputProblem[] = [];
  for (const field of ['id', 'projectId', 'title'])
    if (!text(p[field])) problems.push({ field, zh: `${field} 不能为空`, en: `${field} is required` });
  if (!(PROBLEM_SOURCES as readonly unknown[]).includes(p.source))
    problems.push({
      field: 'source',
      zh: `来源须为 ${PROBLEM_SOURCES.join('、')}`,
      en: `source must be one of ${PROBLEM_SOURCES.join(', ')}`,
    });
  if (!isIsoDate(p.raisedOn))
    problems.push({ field: 'raisedOn', zh: '提出日期须为 YYYY-MM-DD', en: 'raisedOn must be YYYY-MM-DD' });
  return problems;
}

/** A problem on a project (问题清单 / 交办): raised → assigned → resolved → verified (machines/problem.ts). */
export const problemKind = defineKind<string, ProblemContext, ProblemInput, ProblemEvent>({
  kind: 'problem',
  label: { zh: '问题', en: 'problem' },
  machine: problemMachine,
  version: PROBLEM_MACHINE_VERSION,
  inputSchema: ProblemInputSchema,
  eventSchema: ProblemEventSchema,
  labels: { events: PROBLEM_EVENT_LABELS, states: PROBLEM_STATE_LABELS },
  rules: ruleChecks(problemRules),
  roles: {
    ASSIGN: PROBLEM_EVENT_ROLES.ASSIGN,
    RESOLVE: PROBLEM_EVENT_ROLES.RESOLVE,
    VERIFY: PROBLEM_EVENT_ROLES.VERIFY,
    REOPEN: PROBLEM_EVENT_ROLES.REOPEN,
  },
  validate: (input, clock) => [...validate(input), ...futureFields(input, ['raisedOn'], clock)],
  initial: (input) => startedWith(problemMachine, input),
  createdOn: (input) => input.raisedOn,
  explain: (view, event, clock) => problemExplainer.explain(view, event, clock),
  options: (view) => problemExplainer.options(view),
  tags: (view) => ({ stage: view.value, ...(view.context.unitId === null ? {} : { unitId: view.context.unitId }) }),
  createForbidden: (staff) => problemEventForbidden(staff, 'RAISE', null),
  forbidden: (staff, type, problem) =>
    type === 'ASSIGN' || type === 'RESOLVE' || type === 'VERIFY' || type === 'REOPEN'
      ? problemEventForbidden(staff, type, problem.context.unitId)
      : reject('unknownEvent', `未知事件「${type}」`, `unknown event "${type}"`),
  migrations: {},
  inputMigrations: {},
});
