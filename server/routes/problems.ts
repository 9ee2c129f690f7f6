import { Router } from 'express';
import { isOverdue, maySee, type StaffMember, type Visibility } from '../../machines/index.ts';
import { actionForbidden, KINDS, type CampaignService, type Engine } from '../../engine/index.ts';
import { staffOf } from '../auth.ts';
import { etag, idempotencyKey, ifMatch, parseOr422, requireJson } from '../http-util.ts';
import { createdOrThrow, notFound, sendOutcome } from '../outcome.ts';
import { forbidIf, HttpProblem } from '../http-problem.ts';
import { unknownUnit } from '../references.ts';
import { ProblemEventSchema, ProblemInputSchema, ProblemListQuerySchema } from '../schemas.ts';

/** Today in Asia/Shanghai (YYYY-MM-DD), for the derived `overdue` flag. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

const problemNotFound = (id: string) => notFound(`问题 ${id}`, `problem ${id}`);

/** 问题清单: raise, assign (交办), resolve (销号), verify, reopen — over HTTP. */
export function problemRoutes(engine: Engine, campaigns: CampaignService, visibility: Visibility): Router {
  const router = Router();
  const view = (id: string) => {
    const p = engine.get('problem', id);
    return p === undefined
      ? undefined
      : { ...p.context, version: p.version, state: p.value, overdue: isOverdue(p.context, today()) };
  };
  /** A problem is seen by its assigned unit and by the unit of the project it was raised on. */
  const visible = (staff: StaffMember, problem: { unitId: string | null; projectId: string }) =>
    maySee(staff, problem.unitId, visibility) ||
    maySee(staff, engine.tags('project', problem.projectId)?.unitId, visibility);
  const visibleOr404 = (id: string, staff: StaffMember) => {
    const problem = view(id);
    if (problem === undefined || !visible(staff, problem)) throw problemNotFound(id);
    return problem;
  };

  router.get('/', (req, res) => {
    const q = parseOr422(ProblemListQuerySchema, req.query, 'query');
    const staff = staffOf(res);
    const all = engine.list('problem').map((p) => view(p.id)!);
    res.json({
      problems: all.filter(
        (p) =>
          visible(staff, p) &&
          (q.project === undefined || p.projectId === q.project) &&
          (q.unit === undefined || p.unitId === q.unit) &&
          (q.state === undefined || p.state === q.state),
      ),
    });
  });

  router.get('/:id', (req, res) => {
    const staff = staffOf(res);
    const problem = visibleOr404(req.params.id, staff);
    const entity = engine.get('problem', req.params.id)!;
    // As for a project: every event its state takes now, allowed for this member or why not.
    const events = KINDS.problem.options(entity).map((option) => {
      const reason = KINDS.problem.forbidden(staff, option.type, entity) ?? option.blockedBy;
      return { type: option.type, allowed: reason === null, reason };
    });
    res.set('ETag', etag(problem.version)).json({ ...problem, events });
  });

  router.post('/', async (req, res) => {
    const staff = staffOf(res);
    forbidIf(KINDS.problem.createForbidden(staff));
    requireJson(req);
    const input = parseOr422(ProblemInputSchema, req.body);
    if (engine.get('project', input.projectId) === undefined)
      throw new HttpProblem(
        422,
        'unknown-project',
        { title: '内容不合规', detail: `projectId: 项目 ${input.projectId} 不存在` },
        { title: 'Invalid payload', detail: `projectId: no project ${input.projectId}` },
        { field: 'projectId' },
      );
    const outcome = await engine.create('problem', input, { actor: staff.id, idempotencyKey: idempotencyKey(req) });
    const id = createdOrThrow(res, outcome, { code: 'problem', zh: '问题', en: 'problem' });
    res
      .status(201)
      .location(`/api/problems/${encodeURIComponent(id)}`)
      .set('ETag', etag(1))
      .json(view(id));
  });

  router.post('/:id/events', async (req, res) => {
    const staff = staffOf(res);
    visibleOr404(req.params.id, staff);
    const problem = engine.get('problem', req.params.id)!;
    forbidIf(actionForbidden(KINDS.problem, staff, problem));
    requireJson(req);
    const event = parseOr422(ProblemEventSchema, req.body);
    forbidIf(KINDS.problem.forbidden(staff, event.type, problem));
    if (event.type === 'ASSIGN' && !campaigns.unitKnown(event.unitId))
      throw unknownUnit('unitId', event.unitId, campaigns);
    const outcome = await engine.send('problem', req.params.id, event, {
      actor: staff.id,
      ifMatch: ifMatch(req),
      idempotencyKey: idempotencyKey(req),
    });
    sendOutcome(res, outcome, { zh: '问题', en: 'problem' });
  });

  return router;
}
