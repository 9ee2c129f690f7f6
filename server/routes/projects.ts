import { Router } from 'express';
import { maySee, weiKeys, type StaffMember, type Visibility } from '../../machines/index.ts';
import { actionForbidden, KINDS, type CampaignService, type Engine } from '../../engine/index.ts';
import { staffOf } from '../auth.ts';
import { etag, idempotencyKey, ifMatch, parseOr422, requireJson } from '../http-util.ts';
import { createdOrThrow, notFound, sendOutcome } from '../outcome.ts';
import { forbidIf } from '../http-problem.ts';
import { projectForStaff } from '../project-view.ts';
import { DryRunQuerySchema, ProjectEventSchema, ProjectInputSchema, ProjectListQuerySchema } from '../schemas.ts';
import { unknownUnit } from '../references.ts';
import { projectPage, projectsXlsx } from '../project-list.ts';

const projectNotFound = (id: string) => notFound(`项目 ${id}`, `project ${id}`);

export function projectRoutes(engine: Engine, campaigns: CampaignService, visibility: Visibility): Router {
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
    let only: Set<string> | undefined;
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
      projects: page.rows.map((row) => ({ ...row, state: engine.get('project', row.id)!.value })),
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
    res.set('ETag', etag(project.version)).json(projectForStaff(project, staffOf(res)));
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
    res.json({ projectId: req.params.id, entries: await engine.history('project', req.params.id) });
  });

  router.post('/:id/events', async (req, res) => {
    const staff = staffOf(res);
    unitOf(req.params.id, staff);
    const project = engine.get('project', req.params.id)!;
    // Authorise before reading the body: who may not act hears that, not what their payload lacks.
    forbidIf(actionForbidden(KINDS.project, staff, project));
    requireJson(req);
    const event = parseOr422(ProjectEventSchema, req.body);
    forbidIf(KINDS.project.forbidden(staff, event.type, project, event));
    if (parseOr422(DryRunQuerySchema, req.query, 'query').dryRun) {
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
      wei: weiKeys({ value: to, context: engine.get('project', req.params.id)?.context }),
    }));
  });

  return router;
}
