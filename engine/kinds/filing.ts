import { z } from 'zod';
import {
  ATTACHMENT_LIMITS,
  ATTACHMENT_TYPES,
  FILING_EVENT_LABELS,
  FILING_MACHINE_VERSION,
  FILING_STATE_LABELS,
  REVIEWER_ROLES,
  filingExplainer,
  filingFilerForbidden,
  filingMachine,
  filingReviewForbidden,
  filingRules,
  isIsoDate,
  reject,
  ruleChecks,
  type FilingContext,
  type FilingEvent,
  type FilingInput,
  type FilingState,
  type InputProblem,
} from '../../machines/index.ts';
import { defineKind, startedWith } from './kind.ts';
import { ProjectEventSchema } from './project.ts';
import { dated, isoDate, safeId } from './schema-parts.ts';

/** One attachment as a filing names it: a blob uploaded before (`POST /api/blobs`). */
export const AttachmentSchema = z
  .strictObject({
    hash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .meta({ description: 'sha256 of the content, as `POST /api/blobs` answered' }),
    name: z.string().min(1).max(200),
    type: z.enum(ATTACHMENT_TYPES),
    size: z.number().int().min(1).max(ATTACHMENT_LIMITS.bytes),
  })
  .meta({ id: 'Attachment' });

const attachments = z.array(AttachmentSchema).max(ATTACHMENT_LIMITS.perFiling);

export const FilingInputSchema = z
  .strictObject({
    id: safeId,
    projectId: safeId,
    unitId: safeId,
    event: ProjectEventSchema,
    reviewers: z.array(z.enum(REVIEWER_ROLES)).min(1),
    reviewDays: z.number().int().min(1).max(60),
    campaignId: safeId,
    submittedOn: isoDate,
    filedBy: z.string().min(1).max(100),
    attachments,
  })
  .meta({ id: 'FilingInput' });

export const FilingEventSchema = z
  .discriminatedUnion('type', [
    dated('APPROVE', { note: z.string().max(1000).optional() }),
    dated('RETURN', { reason: z.string().max(1000) }),
    dated('RESUBMIT', { event: ProjectEventSchema, attachments: attachments.optional() }),
    dated('WITHDRAW', {}),
  ])
  .meta({ id: 'FilingEvent', example: { type: 'RETURN', reason: '缺开工照片', at: '2022-08-03' } });

function validate(input: unknown): InputProblem[] {
  const f = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const problems: InputProblem[] = [];
  if (!isIsoDate(f.submittedOn))
    problems.push({ field: 'submittedOn', zh: '报送日期须为 YYYY-MM-DD', en: 'submittedOn must be YYYY-MM-DD' });
  const event = f.event as { at?: unknown } | undefined;
  if (!isIsoDate(event?.at))
    problems.push({ field: 'event.at', zh: '事项日期须为 YYYY-MM-DD', en: 'event.at must be YYYY-MM-DD' });
  if (!Array.isArray(f.reviewers) || f.reviewers.length === 0)
    problems.push({ field: 'reviewers', zh: '须指定审核人', en: 'reviewers are required' });
  return problems;
}

/** A filing (填报): a project event reviewed before it counts (machines/filing.ts). */
export const filingKind = defineKind<FilingState, FilingContext, FilingInput, FilingEvent>({
  kind: 'filing',
  label: { zh: '填报', en: 'filing' },
  machine: filingMachine,
  version: FILING_MACHINE_VERSION,
  inputSchema: FilingInputSchema as unknown as z.ZodType<FilingInput>,
  eventSchema: FilingEventSchema as unknown as z.ZodType<FilingEvent>,
  labels: { events: FILING_EVENT_LABELS, states: FILING_STATE_LABELS },
  rules: ruleChecks(filingRules),
  roles: {
    APPROVE: REVIEWER_ROLES,
    RETURN: REVIEWER_ROLES,
    RESUBMIT: ['unit', 'hq'],
    WITHDRAW: ['unit', 'hq'],
  },
  validate: (input) => validate(input),
  initial: (input) => startedWith(filingMachine, input),
  createdOn: (input) => input.submittedOn,
  explain: (view, event, clock) => filingExplainer.explain(view, event, clock),
  options: (view) => filingExplainer.options(view),
  tags: (view) => ({
    unitId: view.context.unitId,
    stage: view.value,
    campaignId: view.context.campaignId,
    name: view.context.projectId,
  }),
  tagNames: ['unitId', 'stage', 'campaignId', 'name'],
  createForbidden: (staff) =>
    staff.role === 'viewer' || staff.role === 'leader'
      ? reject('role', '只读角色与领导不能填报', 'viewers and leaders file nothing')
      : null,
  forbidden: (staff, type, filing) =>
    type === 'APPROVE' || type === 'RETURN'
      ? filingReviewForbidden(staff, filing.context)
      : type === 'RESUBMIT' || type === 'WITHDRAW'
        ? filingFilerForbidden(staff, filing.context)
        : reject('unknownEvent', `未知事件「${type}」`, `unknown event "${type}"`),
  migrations: {},
  inputMigrations: {},
});
