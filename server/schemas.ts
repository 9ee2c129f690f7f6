import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { PERMIT_KEYS, PROBLEM_SOURCES, QUANTITY_BOUNDS, SAFE_ID_RULE, isSafeId, ROLES, STAGES, TASKS, UNIT_GROUPS, WEI_KEYS, isIsoDate, isIsoMonth, type QuantityKind } from '../machines/index.ts';

extendZodWithOpenApi(z);

/**
 * The request and response shapes of the HTTP API. The server validates with these and the
 * OpenAPI document is generated from them: one definition, no hand-kept copy. They check
 * types and formats; the machines check values (an amount must be positive → 409 with the
 * rule), so a person always hears which business rule they met.
 */

/** An id of something (machines/ids.ts): safe in URLs, files, logs and as an object key. */
const safeId = z.string().refine(isSafeId, { message: `${SAFE_ID_RULE.en} / ${SAFE_ID_RULE.zh}` }).openapi({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$' });
const isoDate = z.string().refine(isIsoDate, { message: 'expected a calendar date YYYY-MM-DD' }).openapi({ example: '2022-09-01', format: 'date' });
const isoMonth = z.string().refine(isIsoMonth, { message: 'expected a month YYYY-MM' }).openapi({ example: '2022-09' });
/** A number within the bound of its kind (machines/quantity.ts): beyond it, 422 naming the bound. */
const bounded = (kind: QuantityKind, description: string) => {
  const { max, unit } = QUANTITY_BOUNDS[kind];
  return z.number().max(max, { error: `at most ${max} ${unit.en} / 不超过 ${max} ${unit.zh}` }).openapi({ description: `${description}, at most ${max}` });
};
const amount = bounded('money', '万元 (10,000 yuan)');
const mu = bounded('land', '亩 (mu)');
const houses = bounded('houses', 'houses (栋)').int();

export const ProjectInputSchema = z
  .strictObject({
    id: safeId,
    name: z.string().min(1).max(200),
    unitId: safeId,
    plannedInvestment: amount,
    stage: z.enum(STAGES).optional(),
    statsRegistered: z.boolean().optional(),
    permits: z.array(z.enum(PERMIT_KEYS)).optional(),
    land: z.strictObject({ requiredMu: mu, houses, clearedMu: mu.optional(), demolished: houses.optional() }).optional(),
    bond: z.strictObject({ allocated: amount, disbursed: amount.optional() }).optional(),
    outputTarget: amount.optional(),
    enterprise: z.string().max(200).optional(),
    flags: z.strictObject({ xiangshang: z.boolean().optional() }).optional(),
    chain: z.strictObject({ countyLeader: z.string(), unitHead: z.string(), deputy: z.string(), handler: z.string() }).optional(),
    contractAmount: amount.optional(),
    asOf: isoDate.optional(),
    since: isoDate.optional(),
  })
  .openapi('ProjectInput', {
    example: { id: 'jingcai-2', name: '晶彩电子二期', unitId: 'economic-zone', plannedInvestment: 30000, stage: 'signed', land: { requiredMu: 120, houses: 4 }, asOf: '2022-08-01' },
  });

const dated = <K extends string, T extends z.core.$ZodLooseShape>(type: K, shape: T) => z.strictObject({ type: z.literal(type), at: isoDate, ...shape });

export const ProjectEventSchema = z
  .discriminatedUnion('type', [
    dated('SIGN', { contractAmount: amount }),
    dated('GRANT_PERMIT', { permit: z.enum(PERMIT_KEYS) }),
    dated('GREEN_CHANNEL', {}),
    dated('REPORT_CLEARANCE', { mu: mu.openapi({ description: '亩 cleared since the last report' }), houses }),
    dated('START_CONSTRUCTION', {}),
    dated('REGISTER_STATS', {}),
    dated('COMPLETE', {}),
    dated('START_PRODUCTION', {}),
    dated('REPORT_OUTPUT', { month: isoMonth, output: amount }),
    dated('ALLOCATE_BOND', { amount }),
    dated('DISBURSE_BOND', { amount }),
    dated('ENTER_HELP_POOL', { expert: z.string().max(100) }),
    dated('DROP', { reason: z.string().max(500) }),
  ])
  .openapi('ProjectEvent', { example: { type: 'SIGN', contractAmount: 12000, at: '2022-09-01' } });

export const ProjectListQuerySchema = z.strictObject({
  unit: z.string().optional(),
  stage: z.enum([...STAGES, 'dropped']).optional(),
  wei: z.enum(WEI_KEYS).optional(),
});

const Bilingual = z.object({ zh: z.string(), en: z.string() });
const StateValue = z.object({ lifecycle: z.string(), permits: z.string(), land: z.string(), bond: z.string(), statistics: z.string(), support: z.string() }).openapi('ProjectState');

export const ProblemSchema = z
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
  .openapi('Problem', { description: 'RFC 9457 problem details; title/detail in the language of Accept-Language (zh-CN by default), both languages in zh/en' });

export const ProjectViewSchema = z
  .object({
    id: z.string(),
    version: z.number(),
    machineVersion: z.number(),
    state: StateValue,
    context: z.record(z.string(), z.unknown()),
    wei: z.array(Bilingual.extend({ key: z.enum(WEI_KEYS) })),
    events: z.array(z.object({ type: z.string(), label: Bilingual, allowed: z.boolean(), reason: Bilingual.extend({ rule: z.string() }).nullable() })),
  })
  .openapi('Project', { description: 'A project: its state, context, 八未, and the events this caller may send now (allowed) or why not (reason)' });

export const EventOutcomeSchema = z
  .object({ status: z.literal('accepted'), projectId: z.string(), seq: z.number(), version: z.number(), from: StateValue, to: StateValue, wei: z.array(z.enum(WEI_KEYS)) })
  .openapi('EventAccepted');

export const JournalEntrySchema = z
  .object({
    seq: z.number(),
    kind: z.enum(['create', 'event', 'refusal']),
    entity: z.string(),
    id: z.string(),
    at: z.string().nullable(),
    actor: z.string(),
    event: z.unknown().optional(),
    from: StateValue.optional(),
    to: StateValue.optional(),
    version: z.number(),
    rejection: z.unknown().optional(),
    recordedAt: z.string(),
  })
  .openapi('JournalEntry');

export const TokenRoleSchema = z.enum(ROLES);

export const CampaignInputSchema = z
  .strictObject({
    id: safeId,
    name: z.string().min(1).max(200),
    start: isoDate,
    days: z.number().int().min(1).max(366),
    units: z.array(z.strictObject({ id: safeId, name: z.string().min(1).max(200), group: z.enum(UNIT_GROUPS) })).min(1).max(1000),
    targets: z.record(z.string(), z.record(z.string(), z.partialRecord(z.enum(TASKS), z.number().min(0)))).openapi({ description: 'unit → month (YYYY-MM) → task → target (bounded per task, checked by the campaign machine)' }),
    landTaskMu: mu.positive().optional(),
    bottomN: z.number().int().min(1).optional(),
    minRanked: z.number().int().min(1).optional(),
    lights: z.strictObject({ yellowWithinPoints: z.number(), unregisteredYellowMonths: z.number(), unregisteredRedMonths: z.number(), unstartedRedMonths: z.number() }).partial().optional(),
  })
  .openapi('CampaignInput');

export const CampaignEventSchema = z
  .discriminatedUnion('type', [
    dated('START', {}),
    dated('SUPERVISE', { month: isoMonth }),
    dated('ASSESS', {}),
    dated('CLOSE', {}),
    dated('RECORD_ACCOUNTABILITY', { unit: safeId, reason: z.string().max(1000) }),
  ])
  .openapi('CampaignEvent', { example: { type: 'SUPERVISE', month: '2022-08', at: '2022-08-31' } });

export const ReportQuerySchema = z.strictObject({ format: z.enum(['json', 'html', 'xlsx']).optional() });

export const ProblemInputSchema = z
  .strictObject({
    id: safeId,
    projectId: safeId,
    title: z.string().min(1).max(300),
    source: z.enum(PROBLEM_SOURCES),
    raisedOn: isoDate,
    raisedBy: z.string().max(100).optional(),
  })
  .openapi('ProblemInput', { example: { id: 'p-longhua-land', projectId: 'longhua', title: '龙华农牧:土地预征', source: 'onSiteMeeting', raisedOn: '2022-08-19' } });

export const ProblemEventSchema = z
  .discriminatedUnion('type', [
    dated('ASSIGN', { unitId: safeId, due: isoDate }),
    dated('RESOLVE', { note: z.string().max(1000) }),
    dated('VERIFY', {}),
    dated('REOPEN', { reason: z.string().max(1000) }),
  ])
  .openapi('ProblemEvent', { example: { type: 'ASSIGN', unitId: 'economic-zone', due: '2022-09-10', at: '2022-08-19' } });

export const ProblemListQuerySchema = z.strictObject({ project: z.string().optional(), unit: z.string().optional(), state: z.enum(['raised', 'assigned', 'resolved', 'verified']).optional() });
