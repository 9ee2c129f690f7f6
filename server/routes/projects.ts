import { Router } from 'express';
import {
  correctionForbidden,
  filesForReview,
  maySee,
  weiKeys,
  type StaffMember,
  type Visibility,
} from '../../machines/index.ts';
import { actionForbidden, KINDS, type CampaignService, type Engine, type FilingService } from '../../engine/index.ts';
import { staffOf } from '../auth.ts';
import { etag, idempotencyKey, ifMatch, parseOr422, requireJson } from '../http-util.ts';
import { createdOrThrow, notFound, sendOutcome } from '../outcome.ts';
import { forbidIf, HttpProblem } from '../http-problem.ts';
import { projectForStaff } from '../project-view.ts';
import {
  CorrectionSchema,
  DryRunQuerySchema,
  FilingAttachmentsSchema,
  ProjectEventSchema,
  ProjectInputSchema,
  ProjectListQuerySchema,
} from '../schemas.ts';
import { filingIdFor, filingView, resolveAttachments, togetherProblem } from './filings.ts';
import { unknownUnit } from '../references.ts';
import { projectPage, projectsXlsx } from '../project-list.ts';

const projectNotFound = (id: string) => notFound(`项目 ${id}`, `project ${id}`);

export function projectRoutes(
  engine: Engine,
  campaigns: CampaignService,
  filings: FilingService,
  visibility: Visibility,
  /** A staff member's name by id (the timeline shows who acted by name), undefined if unknown. */
  staffName: (id: string) => string | undefined = () => undefined,
): Router {
  const router = Router();
  /** The project's unit, or 404 — also for a project this member may not see (as if it did not exist). */
  const unitOf = (id: string, staff: StaffMember): string => {
    const unitId = engine.tags('project', id)?.unitId;
    if (unitId === undefined || !maySee(staff, unitId, visibility)) throw projectNotFound(id);
    return unitId;
  };

  router.get('/', async (req, res) => {
    const query = parseOr422(ProjectListQuerySchema, req.query, 'query');
    // A campaign's figure, drilled into: a total, or one cell of a held supervision.
    let only: ReadonlySet<string> | undefined;
    if (query.total !== undefined) {
      only = await campaigns.totalProjects(query.campaign!, query.total);
      if (only === undefined) throw notFound(`攻坚行动 ${query.campaign}`, `campaign ${query.campaign}`);
    } else if (query.task !== undefined) {
      only = await campaigns.cellProjects(query.campaign!, query.month!, query.task, query.unit);
      if (only === undefined)
        throw notFound(
          `攻坚行动 ${query.campaign} 的 ${query.month} 督查`,
          `the ${query.month} supervision of campaign ${query.campaign}`,
        );
    }
    const page = projectPage(engine, staffOf(res), visibility, query, only);
    if (query.format === 'xlsx') {
      res
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .attachment('projects.xlsx')
        .send(await projectsXlsx(page.rows, campaigns.knownUnits() ?? new Map()));
      return;
    }
    // Only the page's rows have their snapshot read (for the full state).
    res.json({
      projects: page.rows.map((row) => ({
        ...row,
        state: row.subProjects === undefined ? engine.get('project', row.id)!.value : null,
      })),
      total: page.total,
      page: query.page,
      pageSize: query.pageSize,
      counts: page.counts,
    });
  });

  router.post('/', async (req, res) => {
    const staff = staffOf(res);
    forbidIf(KINDS.project.createForbidden(staff));
    requireJson(req);
    const input = parseOr422(ProjectInputSchema, req.body);
    if (!campaigns.unitKnown(input.unitId)) throw unknownUnit('unitId', input.unitId, campaigns);
    if (input.programmeId !== undefined && engine.get('programme', input.programmeId) === undefined)
      throw new HttpProblem(
        422,
        'unknown-programme',
        { title: '内容不合规', detail: `programmeId:项目群 ${input.programmeId} 不存在,请先登记项目群` },
        { title: 'Invalid payload', detail: `programmeId: no programme ${input.programmeId}; register it first` },
        { field: 'programmeId' },
      );
    const outcome = await engine.create('project', input, { actor: staff.id, idempotencyKey: idempotencyKey(req) });
    const project = engine.get(
      'project',
      createdOrThrow(res, outcome, { code: 'project', zh: '项目', en: 'project' }),
    )!;
    res
      .status(201)
      .location(`/api/projects/${encodeURIComponent(project.id)}`)
      .set('ETag', etag(project.version))
      .json(projectForStaff(project, staff));
  });

  router.get('/:id', (req, res) => {
    unitOf(req.params.id, staffOf(res));
    const project = engine.get('project', req.params.id)!;
    const reviewOf = (type: string) => filings.policy(project.id, type);
    res.set('ETag', etag(project.version)).json(projectForStaff(project, staffOf(res), reviewOf));
  });

  router.get('/:id/replay', async (req, res) => {
    unitOf(req.params.id, staffOf(res));
    const steps = await engine.replay('project', req.params.id);
    res.json({
      projectId: req.params.id,
      steps: steps.map((step) => ({ ...step, wei: weiKeys({ value: step.value, context: step.context }) })),
    });
  });

  router.get('/:id/history', async (req, res) => {
    unitOf(req.params.id, staffOf(res));
    const entries = await engine.history('project', req.params.id);
    // Who acted, by name: a staff id means nothing to a reader (the CLI, the simulation: no name).
    const actors: Record<string, string> = {};
    for (const { actor } of entries) {
      const name = actors[actor] ?? staffName(actor);
      if (name !== undefined) actors[actor] = name;
    }
    res.json({ projectId: req.params.id, entries, actors });
  });

  router.post('/:id/events', async (req, res) => {
    const staff = staffOf(res);
    unitOf(req.params.id, staff);
    // Read, not changed: from the live actor when there is one (no snapshot parsed per request).
    const project = engine.peek('project', req.params.id)!;
    // Authorise before reading the body: who may not act hears that, not what their payload lacks.
    forbidIf(actionForbidden(KINDS.project, staff, project));
    requireJson(req);
    const event = parseOr422(ProjectEventSchema, req.body);
    forbidIf(KINDS.project.forbidden(staff, event.type, project, event));
    // A type the campaign reviews is filed by whoever does not review it (its reviewers may record it).
    const policy = filings.policy(req.params.id, event.type);
    if (policy !== null && filesForReview(policy, staff))
      throw new HttpProblem(
        409,
        'review-required',
        {
          title: '须提交审核',
          detail:
            `攻坚行动 ${policy.campaignId} 规定 ${event.type} 须经审核后计入;` +
            `请通过 POST /api/projects/${req.params.id}/filings 填报`,
        },
        {
          title: 'Review required',
          detail:
            `campaign ${policy.campaignId} reviews ${event.type} before it counts; ` +
            `file it with POST /api/projects/${req.params.id}/filings`,
        },
        { rule: 'reviewRequired', reviewers: policy.reviewers },
      );
    // Most events come without a query string: nothing to parse then (not dry, nothing unknown).
    if (req.url.includes('?') && parseOr422(DryRunQuerySchema, req.query, 'query').dryRun) {
      // The same checks on a copy: nothing journalled, no version taken, no Idempotency-Key used.
      const tried = engine.dryRun('project', req.params.id, event, { ifMatch: ifMatch(req) });
      if (tried.status === 'accepted') {
        res.json({ dryRun: true, ...tried, wei: weiKeys({ value: tried.to, context: tried.context }) });
        return;
      }
      sendOutcome(res, tried.status === 'rejected' ? { ...tried, seq: 0, replayed: false } : tried, {
        zh: '项目',
        en: 'project',
      });
      return;
    }
    const outcome = await engine.send('project', req.params.id, event, {
      actor: staff.id,
      ifMatch: ifMatch(req),
      idempotencyKey: idempotencyKey(req),
    });
    // A project's answer also names the 八未 it is in now.
    sendOutcome(res, outcome, { zh: '项目', en: 'project' }, (to) => ({
      wei: weiKeys({ value: to, context: engine.peek('project', req.params.id)?.context }),
    }));
  });

  // 填报: the project event and its evidence. A type the campaign reviews becomes a filing (201);
  // any other type is applied at once, exactly as `/events` would (200).
  router.post('/:id/filings', async (req, res) => {
    const staff = staffOf(res);
    unitOf(req.params.id, staff);
    const project = engine.get('project', req.params.id)!;
    forbidIf(actionForbidden(KINDS.project, staff, project));
    requireJson(req);
    const { attachments: refs, ...rest } = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as {
      attachments?: unknown;
    };
    const { attachments: parsedRefs } = parseOr422(
      FilingAttachmentsSchema,
      refs === undefined ? {} : { attachments: refs },
    );
    const event = parseOr422(ProjectEventSchema, Array.isArray(req.body) ? req.body : rest);
    forbidIf(KINDS.project.forbidden(staff, event.type, project, event));
    const attachments = await resolveAttachments(engine, parsedRefs);
    const key = idempotencyKey(req);
    const options = { actor: staff.id, ifMatch: ifMatch(req), idempotencyKey: key };
    const filed = await filings.file(req.params.id, event, attachments, options, filingIdFor(staff.id, key));
    if (filed.status === 'notFound') throw projectNotFound(req.params.id);
    if (filed.status === 'applied') {
      sendOutcome(res, filed.outcome, { zh: '项目', en: 'project' }, () => ({
        reviewed: false,
        wei: weiKeys(engine.get('project', req.params.id)!),
      }));
      return;
    }
    if (filed.outcome.status !== 'accepted') throw togetherProblem(filed.outcome);
    if (filed.outcome.replayed) res.set('Idempotent-Replayed', 'true');
    const filing = engine.get('filing', filed.id)!;
    res
      .status(201)
      .location(`/api/filings/${encodeURIComponent(filed.id)}`)
      .set('ETag', etag(filing.version))
      .json(filingView(engine, filing));
  });

  // 更正: an accepted event replaced (a new amount or date) or voided, by the campaign office, with a reason.
  router.post('/:id/corrections', async (req, res) => {
    const staff = staffOf(res);
    unitOf(req.params.id, staff);
    forbidIf(correctionForbidden(staff));
    requireJson(req);
    const body = parseOr422(CorrectionSchema, req.body);
    if ((body.event === undefined) === (body.void === undefined))
      throw new HttpProblem(
        422,
        'invalid-payload',
        { title: '内容不合规', detail: '须给出更正后的事件(event)或作废(void: true),二者选一' },
        { title: 'Invalid payload', detail: 'give either the corrected event (event) or void: true, not both' },
      );
    const outcome = await engine.correct('project', req.params.id, body, {
      actor: staff.id,
      ifMatch: ifMatch(req),
      idempotencyKey: idempotencyKey(req),
    });
    if (outcome.status === 'invalid')
      throw new HttpProblem(
        422,
        'invalid-correction',
        { title: '更正有误', detail: `${outcome.field}:${outcome.zh}` },
        { title: 'Invalid correction', detail: `${outcome.field}: ${outcome.en}` },
        { field: outcome.field },
      );
    sendOutcome(res, outcome, { zh: '项目', en: 'project' }, (to) => ({
      wei: weiKeys({ value: to, context: engine.peek('project', req.params.id)?.context }),
    }));
  });

  return router;
}
