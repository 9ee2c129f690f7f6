import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { CampaignEventSchema, ProjectEventSchema, dated, isoMonth, safeId } from '../engine/index.ts';
import {
  ATTACHMENT_LIMITS,
  COUNTED_TOTALS,
  REVIEWER_ROLES,
  STAGES,
  TASKS,
  WEI_KEYS,
  type CountedTotal,
} from '../machines/index.ts';

extendZodWithOpenApi(z);

/**
 * The request and response shapes of the HTTP API. The server validates with these and the
 * OpenAPI document is generated from them: one definition, no hand-kept copy. They check
 * types and formats; the machines check values (an amount must be positive → 409 with the
 * rule), so a person always hears which business rule they met.
 */

// The kinds' own schemas (inputs, events) come from their registry entries (engine/kinds).
export {
  ProgrammeEventSchema,
  ProgrammeInputSchema,
  CampaignInputSchema,
  FilingEventSchema,
  FilingInputSchema,
  ProblemEventSchema,
  ProblemInputSchema,
  ProjectEventSchema,
  ProjectInputSchema,
} from '../engine/index.ts';

/** `POST /api/campaigns/:id/events`: the campaign's events, and 问责 recorded on a unit's ladder. */
export const CampaignRouteEventSchema = z
  .discriminatedUnion('type', [
    ...CampaignEventSchema.options,
    dated('RECORD_ACCOUNTABILITY', { unit: safeId, reason: z.string().max(1000) }),
  ])
  .openapi('CampaignRouteEvent', { example: { type: 'SUPERVISE', month: '2022-08', at: '2022-08-31' } });

const SORT_KEYS = ['id', 'name', 'unit', 'stage', 'investment', 'version'] as const;

export const ProjectListQuerySchema = z
  .strictObject({
    unit: z.string().optional(),
    stage: z.enum([...STAGES, 'dropped']).optional(),
    wei: z.enum(WEI_KEYS).optional(),
    q: z.string().max(200).optional().meta({ description: 'text in the project id or name (case-insensitive)' }),
    programme: z.string().max(64).optional().meta({ description: 'only the sub-projects of this programme (项目群)' }),
    enterprise: z.string().max(200).optional().meta({ description: 'text in the enterprise (业主单位) name' }),
    fold: z
      .enum(['programmes'])
      .optional()
      .meta({ description: 'programmes: each programme’s sub-projects folded into one row (its sub-project count)' }),
    minInvestment: z.coerce
      .number()
      .min(0)
      .max(1e9)
      .optional()
      .meta({ description: 'only projects planned at or above this many 万元 (e.g. 10000 = 1 亿元)' }),
    campaign: z
      .string()
      .max(200)
      .optional()
      .meta({ description: 'with total, or task and month: the campaign whose figure to drill into' }),
    total: z
      .enum(COUNTED_TOTALS as [CountedTotal, ...CountedTotal[]])
      .optional()
      .meta({ description: 'only the projects behind this campaign total (needs campaign)' }),
    task: z
      .enum(TASKS)
      .optional()
      .meta({ description: 'with campaign and month: only the projects behind that supervision figure (and unit)' }),
    month: isoMonth.optional().meta({ description: 'the supervised month of task' }),
    sort: z
      .enum([...SORT_KEYS, ...SORT_KEYS.map((k) => `-${k}` as const)])
      .optional()
      .meta({ description: 'sort key; a leading - sorts descending (default id)' }),
    page: z.coerce.number().int().min(1).max(1_000_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
    format: z.enum(['json', 'xlsx']).default('json').meta({ description: 'xlsx: every matching row, as 项目台账' }),
  })
  .refine((q) => q.total === undefined || q.campaign !== undefined, {
    path: ['campaign'],
    message: 'total needs campaign (the campaign whose total it is)',
  })
  .refine((q) => q.task === undefined || (q.campaign !== undefined && q.month !== undefined), {
    path: ['month'],
    message: 'task needs campaign and month (the supervision whose figure it is)',
  })
  .refine((q) => q.task === undefined || q.total === undefined, {
    path: ['total'],
    message: 'a total or a supervision figure, not both',
  });
/** `?dryRun=1`: try the event on a copy of the project; nothing is journalled. */
export const DryRunQuerySchema = z.object({
  dryRun: z
    .enum(['1', 'true', '0', 'false'])
    .optional()
    .transform((v) => v === '1' || v === 'true')
    .meta({ description: '1: what would happen — the same checks, nothing journalled (the inspector’s dry run)' }),
});

export type ProjectListQuery = z.infer<typeof ProjectListQuerySchema>;

const Bilingual = z.object({ zh: z.string(), en: z.string() });
const StateValue = z
  .object({
    lifecycle: z.string(),
    permits: z.string(),
    land: z.string(),
    bond: z.string(),
    statistics: z.string(),
    support: z.string(),
  })
  .openapi('ProjectState');

export const HttpProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string(),
    instance: z.string(),
    zh: z.object({ title: z.string(), detail: z.string() }),
    en: z.object({ title: z.string(), detail: z.string() }),
    rule: z.string().optional().openapi({ description: 'the business rule that refused the event (409)' }),
  })
  .openapi('HttpProblem', {
    description:
      'RFC 9457 problem details; title/detail in the language of Accept-Language (zh-CN by default), both ' +
      'languages in zh/en',
  });

export const ProjectViewSchema = z
  .object({
    id: z.string(),
    version: z.number(),
    machineVersion: z.number(),
    state: StateValue,
    context: z.record(z.string(), z.unknown()),
    wei: z.array(Bilingual.extend({ key: z.enum(WEI_KEYS) })),
    events: z.array(
      z.object({
        type: z.string(),
        label: Bilingual,
        allowed: z.boolean(),
        reason: Bilingual.extend({ rule: z.string() }).nullable(),
      }),
    ),
  })
  .openapi('Project', {
    description:
      'A project: its state, context, 八未, and the events this caller may send now (allowed) or why not (reason)',
  });

export const EventOutcomeSchema = z
  .object({
    status: z.literal('accepted'),
    projectId: z.string(),
    seq: z.number(),
    version: z.number(),
    from: StateValue,
    to: StateValue,
    wei: z.array(z.enum(WEI_KEYS)),
  })
  .openapi('EventAccepted');

export const JournalEntrySchema = z
  .object({
    seq: z.number(),
    kind: z.enum(['create', 'event', 'refusal', 'correction']),
    entity: z.string(),
    id: z.string(),
    at: z.string().nullable(),
    actor: z.string(),
    event: z.unknown().optional(),
    from: StateValue.optional(),
    to: StateValue.optional(),
    version: z.number(),
    rejection: z.unknown().optional(),
    supersedes: z.number().optional().meta({ description: 'a correction: the seq of the entry it supersedes' }),
    void: z.boolean().optional(),
    reason: z.string().optional(),
    link: z.object({ entity: z.string(), id: z.string(), at: z.string().optional() }).optional(),
    blobs: z.array(z.string()).optional(),
    recordedAt: z.string(),
  })
  .openapi('JournalEntry');

/** Sections of the JSON report a client may leave out (a dashboard needs neither the 台账 nor the lists). */
export const REPORT_OMITTABLE = ['projects', 'projectLights', 'refusals', 'names', 'warnings', 'measures'] as const;

export const ReportQuerySchema = z.strictObject({
  format: z.enum(['json', 'html', 'xlsx']).optional(),
  omit: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const keys = v === undefined || v === '' ? [] : v.split(',');
      for (const key of keys)
        if (!(REPORT_OMITTABLE as readonly string[]).includes(key))
          ctx.addIssue({ code: 'custom', message: `cannot omit "${key}"; one of ${REPORT_OMITTABLE.join(', ')}` });
      return keys as (typeof REPORT_OMITTABLE)[number][];
    })
    .meta({ description: `JSON only: sections to leave out, comma-separated (${REPORT_OMITTABLE.join(', ')})` }),
});

/** A month's supervision: its figures (json), or the 督查通报 as a printable page (html) or a Word file (docx). */
export const BulletinQuerySchema = z.strictObject({ format: z.enum(['json', 'html', 'docx']).optional() });

export const ProblemListQuerySchema = z.strictObject({
  project: z.string().optional(),
  unit: z.string().optional(),
  state: z.enum(['raised', 'assigned', 'resolved', 'verified']).optional(),
});

/** Evidence a filing names: a blob uploaded with `POST /api/blobs`, and the file's name. */
export const AttachmentRefSchema = z
  .strictObject({
    hash: z.string().regex(/^[0-9a-f]{64}$/, 'expected the sha256 (hex) that POST /api/blobs answered'),
    name: z.string().min(1).max(200),
  })
  .openapi('AttachmentRef');

const attachmentRefs = z.array(AttachmentRefSchema).max(ATTACHMENT_LIMITS.perFiling);

/** `POST /api/projects/:id/filings`: the project event, as for `/events`, and its evidence. */
export const FilingAttachmentsSchema = z.strictObject({ attachments: attachmentRefs.optional() });
export const FilingRequestSchema = z
  .intersection(ProjectEventSchema, FilingAttachmentsSchema.partial())
  .openapi('FilingRequest', {
    example: { type: 'START_CONSTRUCTION', at: '2022-08-02', attachments: [{ hash: 'ab…', name: '开工照片.jpg' }] },
  });

/** `POST /api/filings/:id/events`: a review (APPROVE, RETURN) or the filer's (RESUBMIT, WITHDRAW). */
export const FilingRouteEventSchema = z
  .discriminatedUnion('type', [
    dated('APPROVE', { note: z.string().max(1000).optional() }),
    dated('RETURN', { reason: z.string().max(1000) }),
    dated('RESUBMIT', { event: ProjectEventSchema, attachments: attachmentRefs.optional() }),
    dated('WITHDRAW', {}),
  ])
  .openapi('FilingRouteEvent', { example: { type: 'RETURN', reason: '缺开工照片', at: '2022-08-03' } });

export const FilingListQuerySchema = z.strictObject({
  state: z.enum(['submitted', 'returned', 'resubmitted', 'approved', 'withdrawn']).optional(),
  unit: z.string().optional(),
  reviewer: z.enum(REVIEWER_ROLES).optional().meta({ description: 'filings this role reviews (a reviewer’s queue)' }),
  project: z.string().optional(),
  campaign: z.string().optional(),
  overdue: z.enum(['1', 'true', '0', 'false']).optional().meta({ description: '1: only those past their deadline' }),
});

/** `POST /api/projects/:id/corrections` (更正, hq): a replacement event of the same type, or void. */
export const CorrectionSchema = z
  .strictObject({
    seq: z.number().int().min(1).meta({ description: 'the journal seq of the accepted event to correct' }),
    event: ProjectEventSchema.optional(),
    void: z.literal(true).optional(),
    reason: z.string().min(1).max(1000),
  })
  .openapi('Correction', {
    example: { seq: 42, event: { type: 'REPORT_CLEARANCE', mu: 5, houses: 1, at: '2022-08-05' }, reason: '丈量复核' },
  });

/** `POST /api/programmes/:id/batch`: one project event for chosen sub-projects (all when none named). */
export const BatchEventSchema = z
  .strictObject({
    event: ProjectEventSchema,
    projects: z.array(safeId).min(1).max(1000).optional().meta({ description: 'sub-project ids (default: all)' }),
  })
  .openapi('BatchEvent', {
    example: { event: { type: 'START_CONSTRUCTION', at: '2022-08-08' }, projects: ['pv-01', 'pv-02'] },
  });
