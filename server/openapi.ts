import { SystemSchema } from './routes/system.ts';
import { OpenAPIRegistry, OpenApiGeneratorV3, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ALL_KINDS } from '../engine/index.ts';
import {
  BulletinQuerySchema,
  CampaignRouteEventSchema,
  CampaignInputSchema,
  EventOutcomeSchema,
  ProblemEventSchema,
  ProblemInputSchema,
  ProblemListQuerySchema,
  JournalEntrySchema,
  HttpProblemSchema,
  ProjectEventSchema,
  ProjectInputSchema,
  ProjectListQuerySchema,
  ProjectViewSchema,
  ReportQuerySchema,
  CorrectionSchema,
  FilingListQuerySchema,
  FilingRequestSchema,
  FilingRouteEventSchema,
  BatchEventSchema,
  ProgrammeEventSchema,
  ProgrammeInputSchema,
} from './schemas.ts';

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: HttpProblemSchema } },
});
const json = (description: string, schema: z.ZodType) => ({ description, content: { 'application/json': { schema } } });
const id = z.object({ id: z.string().openapi({ example: 'jingcai-2' }) });
const headers = z.object({
  'If-Match': z
    .string()
    .optional()
    .openapi({
      description:
        'RFC 9110: the version you saw (ETag), e.g. "3", a list of them, or *; weak tags never match; 412 if it ' +
        'changed since, 400 if malformed',
    }),
  'Idempotency-Key': z.string().optional().openapi({
    description:
      'a retry with the same key (same caller, same entity) returns the first response and applies nothing twice',
  }),
});

/**
 * The OpenAPI 3 document, generated from the zod schemas the server validates with.
 *
 * @example
 * app.get('/openapi.json', (_req, res) => { res.json(openApiDocument()); });
 */
export function openApiDocument(): unknown {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'token from `gongjian token create`',
  });
  // Every authenticated route: a bad token, too many failed attempts from the address.
  const common = {
    401: problem('no, bad, expired or revoked token'),
    404: problem('no such entity (or one the visibility setting hides)'),
    429: problem('too many failed authentications from this address (Retry-After)'),
  };
  const unavailable = {
    503: problem('the journal cannot be written (disk full, I/O error): nothing was saved; retry after Retry-After'),
  };
  const routes: RouteConfig[] = [
    {
      method: 'get',
      path: '/api/projects',
      summary: 'List projects, filtered by unit, stage or 八未 key',
      request: { query: ProjectListQuerySchema },
      responses: {
        200: json('projects', z.object({ projects: z.array(z.unknown()) })),
        401: common[401],
        422: problem('bad filter, or an unknown query parameter'),
        429: common[429],
      },
    },
    {
      method: 'post',
      path: '/api/projects',
      summary: 'Register a project at any stage (hq)',
      request: {
        headers: headers.pick({ 'Idempotency-Key': true }),
        body: { content: { 'application/json': { schema: ProjectInputSchema } } },
      },
      responses: {
        201: json('created', ProjectViewSchema),
        401: common[401],
        403: problem('not hq'),
        409: problem('the id exists'),
        415: problem('not JSON'),
        422: problem('invalid or self-contradictory input, or an unknown unit'),
        ...unavailable,
      },
    },
    {
      method: 'get',
      path: '/api/projects/{id}',
      summary: 'A project: state, 八未, version (ETag) and the events you may send now',
      request: { params: id },
      responses: { 200: json('the project', ProjectViewSchema), ...common },
    },
    {
      method: 'post',
      path: '/api/projects/{id}/events',
      summary: 'Send an event to a project (or, with ?dryRun=1, see what it would do: nothing journalled)',
      request: {
        params: id,
        query: z.object({
          dryRun: z
            .enum(['1', 'true', '0', 'false'])
            .optional()
            .meta({ description: '1: the same checks on a copy — the outcome, nothing journalled, no version taken' }),
        }),
        headers,
        body: { content: { 'application/json': { schema: ProjectEventSchema } } },
      },
      responses: {
        200: json('accepted, journalled and on disk (dry run: would be accepted, `dryRun: true`)', EventOutcomeSchema),
        400: problem('malformed JSON, empty body or headers'),
        ...common,
        403: problem('your role or unit may not send this event (checked before the body)'),
        409: problem('refused by a business rule (rule + the numbers); nothing changed'),
        412: problem('If-Match does not match the current version'),
        415: problem('not JSON'),
        422: problem('payload does not match the event schema, or a quantity over its bound'),
        ...unavailable,
      },
    },
    {
      method: 'get',
      path: '/api/projects/{id}/replay',
      summary: 'The journal replayed step by step: state, context and 八未 after each entry (time travel)',
      request: { params: id },
      responses: {
        200: json('steps', z.object({ projectId: z.string(), steps: z.array(z.record(z.string(), z.unknown())) })),
        ...common,
      },
    },
    {
      method: 'get',
      path: '/api/projects/{id}/history',
      summary: 'Every journal entry of a project: creation, accepted events and refusals',
      request: { params: id },
      responses: {
        200: json(
          'history',
          z.object({
            projectId: z.string(),
            entries: z.array(JournalEntrySchema),
            actors: z.record(z.string(), z.string()).describe('the name of each staff member who acted, by id'),
          }),
        ),
        ...common,
      },
    },
    {
      method: 'get',
      path: '/api/campaigns',
      summary: 'List campaigns (攻坚行动)',
      responses: { 200: json('campaigns', z.object({ campaigns: z.array(z.unknown()) })), 401: common[401] },
    },
    {
      method: 'post',
      path: '/api/campaigns',
      summary: 'Register a campaign: units in their groups, monthly targets per unit and task (hq)',
      request: { body: { content: { 'application/json': { schema: CampaignInputSchema } } } },
      responses: {
        201: json('created', z.unknown()),
        401: common[401],
        403: problem('not hq'),
        409: problem('the id exists'),
        415: problem('not JSON'),
        422: problem('invalid campaign'),
        ...unavailable,
      },
    },
    {
      method: 'get',
      path: '/api/campaigns/{id}',
      summary: 'A campaign: state, version (ETag), units, supervisions held, and the events you may send now',
      request: { params: id },
      responses: { 200: json('the campaign', z.record(z.string(), z.unknown())), ...common },
    },
    {
      method: 'post',
      path: '/api/campaigns/{id}/events',
      summary: 'START, SUPERVISE a month (each unit’s assessment is recorded on its ladder), ASSESS, CLOSE (hq)',
      request: { params: id, headers, body: { content: { 'application/json': { schema: CampaignRouteEventSchema } } } },
      responses: {
        200: json('accepted', z.unknown()),
        ...common,
        403: problem('not hq'),
        409: problem('refused by a campaign rule (order, dates)'),
        412: problem('stale If-Match'),
        415: problem('not JSON'),
        422: problem('payload does not match, or an unknown unit'),
        ...unavailable,
      },
    },
    {
      method: 'get',
      path: '/api/campaigns/{id}/report',
      summary:
        'The campaign report computed from the journal: totals, monthly supervisions, ladders, problems, refusals, ' +
        'burn-down, lights, assessment. ?format=html (printable) or xlsx',
      request: { params: id, query: ReportQuerySchema },
      responses: { 200: json('report (JSON; HTML or xlsx with ?format=)', z.unknown()), ...common },
    },
    {
      method: 'get',
      path: '/api/campaigns/{id}/supervisions/{month}',
      summary:
        'One month’s supervision (督查通报): per unit and task the target, actual, rate, rank in group, who missed, ' +
        'who is interviewed; ?format=html the 通报 as a printable document, ?format=docx as a Word file',
      request: { params: id.extend({ month: z.string().openapi({ example: '2022-08' }) }), query: BulletinQuerySchema },
      responses: { 200: json('supervision', z.unknown()), 400: problem('bad month'), ...common },
    },
    {
      method: 'get',
      path: '/api/problems',
      summary: 'Problems (问题清单), by project, unit or state, with the derived overdue flag',
      request: { query: ProblemListQuerySchema },
      responses: { 200: json('problems', z.unknown()), 401: common[401] },
    },
    {
      method: 'post',
      path: '/api/problems',
      summary: 'Raise a problem on a project (hq, or a leader at a meeting)',
      request: { body: { content: { 'application/json': { schema: ProblemInputSchema } } } },
      responses: {
        201: json('raised', z.unknown()),
        401: common[401],
        403: problem('role may not'),
        409: problem('the id exists'),
        415: problem('not JSON'),
        422: problem('invalid, or no such project'),
        ...unavailable,
      },
    },
    {
      method: 'get',
      path: '/api/problems/{id}',
      summary: 'One problem',
      request: { params: id },
      responses: { 200: json('problem', z.unknown()), ...common },
    },
    {
      method: 'post',
      path: '/api/problems/{id}/events',
      summary: 'ASSIGN (交办, hq), RESOLVE (销号, the assigned unit), VERIFY and REOPEN (hq)',
      request: { params: id, headers, body: { content: { 'application/json': { schema: ProblemEventSchema } } } },
      responses: {
        200: json('accepted', z.unknown()),
        ...common,
        403: problem('role or unit may not'),
        409: problem('refused by a rule'),
        412: problem('stale If-Match'),
        415: problem('not JSON'),
        422: problem('payload does not match, or an unknown unit'),
        ...unavailable,
      },
    },
    {
      method: 'get',
      path: '/api/units/{id}',
      summary: 'A unit: its projects and 八未 counts, and its accountability ladder in each campaign',
      request: { params: id },
      responses: { 200: json('unit', z.unknown()), ...common },
    },
    {
      method: 'get',
      path: '/api/system',
      summary: 'This node and the store it serves from (files or PostgreSQL, where, healthy or not, how far) — hq only',
      responses: { 200: json('the system status', SystemSchema), 401: common[401], 403: problem('not hq') },
    },
    {
      method: 'get',
      path: '/api/machines',
      summary: 'The machine definitions, rules, labels and permissions (for the inspector)',
      responses: { 200: json('machines', z.unknown()), 401: common[401] },
    },
    {
      method: 'get',
      path: '/api/machines/{kind}/diagram',
      summary: 'A machine’s statechart (states, transitions, rules, 八未) and its ELK layout, for the inspector',
      request: { params: z.object({ kind: z.string().meta({ description: 'project, campaign, unit, problem…' }) }) },
      responses: {
        200: json('chart and layout', z.object({ chart: z.unknown(), layout: z.unknown() })),
        401: common[401],
        404: problem('no such machine'),
      },
    },
    {
      method: 'post',
      path: '/api/projects/{id}/filings',
      summary:
        '填报: file a project event with its evidence. A type the campaign reviews becomes a filing (201), ' +
        'checked against the project now; any other type is applied at once, as /events (200)',
      request: { params: id, headers, body: { content: { 'application/json': { schema: FilingRequestSchema } } } },
      responses: {
        200: json('no review asked: applied at once (`reviewed: false`)', EventOutcomeSchema),
        201: json('the filing, submitted (Location: /api/filings/{id})', z.record(z.string(), z.unknown())),
        ...common,
        403: problem('your role or unit may not send this event'),
        409: problem('the project would refuse it now (rule + numbers); nothing filed'),
        415: problem('not JSON'),
        422: problem('payload does not match the event schema, or an attachment was never uploaded'),
        ...unavailable,
      },
    },
    {
      method: 'post',
      path: '/api/projects/{id}/corrections',
      summary:
        '更正 (hq): supersede an accepted event — a replacement of the same type, or void — with a reason; ' +
        'nothing is rewritten, the project is re-derived with the correction applied',
      request: { params: id, headers, body: { content: { 'application/json': { schema: CorrectionSchema } } } },
      responses: {
        200: json('corrected, journalled (kind correction) and on disk', EventOutcomeSchema),
        ...common,
        403: problem('only the campaign office corrects'),
        409: problem('the corrected history breaks a rule (which event, its rule and numbers); nothing changed'),
        412: problem('If-Match does not match the current version'),
        422: problem('not an accepted event of this project, another type, no reason'),
        ...unavailable,
      },
    },
    {
      method: 'get',
      path: '/api/programmes',
      summary: '项目群: every programme with its roll-up (from the sub-projects) and its sub-projects’ ids',
      responses: { 200: json('programmes', z.object({ programmes: z.array(z.unknown()) })), ...common },
    },
    {
      method: 'post',
      path: '/api/programmes',
      summary: 'Register a programme (hq): declared planned investment, capacity, land, responsible units',
      request: { headers, body: { content: { 'application/json': { schema: ProgrammeInputSchema } } } },
      responses: {
        201: json('the programme, with its (empty) roll-up', z.record(z.string(), z.unknown())),
        ...common,
        403: problem('only the campaign office registers programmes'),
        409: problem('exists'),
        422: problem('payload does not match, or an unknown unit'),
        ...unavailable,
      },
    },
    {
      method: 'get',
      path: '/api/programmes/{id}',
      summary:
        'One programme: its roll-up (sub-projects by stage, 八未, land, investment planned/signed/started/completed/' +
        'invested, capacity started and in production, declared totals that differ) and its sub-projects',
      request: { params: id },
      responses: { 200: json('the programme', z.record(z.string(), z.unknown())), ...common },
    },
    {
      method: 'post',
      path: '/api/programmes/{id}/events',
      summary: 'REVISE the declared totals (hq), with a reason',
      request: { params: id, headers, body: { content: { 'application/json': { schema: ProgrammeEventSchema } } } },
      responses: {
        200: json('revised', z.record(z.string(), z.unknown())),
        ...common,
        409: problem('refused (no reason, a date before the last)'),
      },
    },
    {
      method: 'post',
      path: '/api/programmes/{id}/batch',
      summary:
        'One project event to chosen sub-projects (all when none named), each through its own permissions and ' +
        'guards; the answer lists every sub-project’s outcome. Idempotency-Key: idempotent as a whole',
      request: { params: id, headers, body: { content: { 'application/json': { schema: BatchEventSchema } } } },
      responses: {
        200: json(
          'per sub-project: accepted, filed (for review), rejected (rule and reason) or forbidden',
          z.object({
            accepted: z.number(),
            filed: z.number(),
            rejected: z.number(),
            forbidden: z.number(),
            results: z.array(z.record(z.string(), z.unknown())),
          }),
        ),
        ...common,
        422: problem('a named project is not a sub-project of this programme'),
      },
    },
    {
      method: 'get',
      path: '/api/filings',
      summary: '审核 queues: filings, oldest first, each with its project, evidence, deadline and overdue flag',
      request: { query: FilingListQuerySchema },
      responses: { 200: json('filings', z.object({ filings: z.array(z.unknown()), total: z.number() })), ...common },
    },
    {
      method: 'get',
      path: '/api/filings/{id}',
      summary: 'One filing, with the events this caller may send it now (allowed) or why not',
      request: { params: id },
      responses: { 200: json('the filing (ETag: its version)', z.record(z.string(), z.unknown())), ...common },
    },
    {
      method: 'post',
      path: '/api/filings/{id}/events',
      summary:
        'APPROVE (the event applied to the project, dated as filed, in the same commit), RETURN {reason}, ' +
        'RESUBMIT {event, attachments?} (checked against the project again), WITHDRAW',
      request: { params: id, headers, body: { content: { 'application/json': { schema: FilingRouteEventSchema } } } },
      responses: {
        200: json('accepted', z.record(z.string(), z.unknown())),
        ...common,
        403: problem('not a reviewer of this filing, or not its unit'),
        409: problem('refused by the filing’s or the project’s rule (which, and the numbers); nothing changed'),
        412: problem('If-Match does not match the filing’s version'),
        422: problem('payload does not match'),
        ...unavailable,
      },
    },
    {
      method: 'get',
      path: '/api/filings/{id}/attachments/{hash}',
      summary: 'A piece of evidence, to those who may read the project it was filed on',
      request: { params: z.object({ id: z.string(), hash: z.string() }) },
      responses: {
        200: { description: 'the file (image/jpeg, image/png, image/webp or application/pdf)' },
        ...common,
        403: problem('you may not read that project'),
      },
    },
    {
      method: 'post',
      path: '/api/blobs',
      summary: 'Upload one piece of evidence (the raw bytes: a photo or a PDF, at most 10 MB), judged by its content',
      request: { body: { content: { 'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) } } } },
      responses: {
        201: json('stored under its sha256', z.object({ hash: z.string(), type: z.string(), size: z.number() })),
        400: problem('empty'),
        401: common[401],
        403: problem('viewers and leaders upload nothing'),
        413: problem('over 10 MB'),
        415: problem('by its content not a JPEG, PNG, WebP photo or a PDF (an .exe named .jpg is refused)'),
        ...unavailable,
      },
    },
    {
      method: 'get',
      path: '/api/stream',
      summary:
        'Server-sent events: every journalled change (transition, refusal, creation). Browsers may pass ?access_token=',
      responses: {
        200: {
          description:
            'text/event-stream; reconnect with Last-Event-ID to get what was missed (event reset if too far ' +
            'behind); a client too far behind is sent event dropped and disconnected',
        },
        401: common[401],
        429: problem('too many open streams for you, or too many failed authentications'),
        503: problem('too many open streams in all'),
      },
    },
    {
      method: 'get',
      path: '/metrics',
      summary:
        'Prometheus text format (no token): journal entries by entity, kind and event type; request latency by ' +
        'route; fsyncs, their seconds and the commits each carried; journal position and bytes; checkpoint age and ' +
        'lag; live actors; stream clients',
      responses: { 200: { description: 'text/plain; version=0.0.4' } },
    },
    {
      method: 'get',
      path: '/healthz',
      summary: 'Health (no token needed)',
      responses: {
        200: json(
          'ok',
          z.object({
            status: z.literal('ok'),
            log: z
              .object({
                dropped: z.number(),
                errors: z.number(),
                lastError: z.string().nullable(),
                pendingBytes: z.number(),
              })
              .optional(),
          }),
        ),
        503: json(
          'degraded: the journal cannot be written now (it recovers by itself)',
          z.object({
            status: z.literal('degraded'),
            journal: z.object({ code: z.string(), message: z.string(), since: z.string() }),
          }),
        ),
      },
    },
  ];
  for (const route of routes)
    registry.registerPath({
      security: route.path === '/healthz' || route.path === '/metrics' ? [] : [{ bearer: [] }],
      ...route,
    });
  // Every kind's input and events, from the registry — also those of a kind with no route yet
  // (each is named by its `.meta({ id })`).
  const kindSchemas = ALL_KINDS.flatMap((kind) => [kind.inputSchema, kind.eventSchema]).map((schema) => ({
    type: 'schema' as const,
    schema,
  }));
  return new OpenApiGeneratorV3([...registry.definitions, ...kindSchemas]).generateDocument({
    openapi: '3.0.3',
    info: {
      title: '攻坚 Gongjian API',
      version: '0.1.0',
      description:
        'Drive county campaign projects (八未) over HTTP. Errors are RFC 9457 problems in zh-CN and English.',
    },
  });
}
