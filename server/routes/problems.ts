import { Router } from 'express';
import { isOverdue, problemEventForbidden, type ProblemContext } from '../../machines/index.ts';
import type { Engine } from '../../engine/index.ts';
import { staffOf } from '../auth.ts';
import { etag, idempotencyKey, ifMatch, parseOr422, requireJson } from '../http-util.ts';
import { keyReused, notFound, sendOutcome } from '../outcome.ts';
import { HttpProblem, problemFrom } from '../problem.ts';
import { ProblemEventSchema, ProblemInputSchema, ProblemListQuerySchema } from '../schemas.ts';

/** Today in Asia/Shanghai (YYYY-MM-DD), for the derived `overdue` flag. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

/** 问题清单: raise, assign (交办), resolve (销号), verify, reopen — over HTTP. */
export function problemRoutes(engine: Engine): Router {
  const router = Router();
  const view = (id: string) => {
    const p = engine.get('problem', id);
    return p === undefined ? undefined : { ...(p.context as ProblemContext), version: p.version, state: p.value, overdue: isOverdue(p.context as ProblemContext, today()) };
  };

  router.get('/', (req, res) => {
    const q = parseOr422(ProblemListQuerySchema, req.query);
    const all = engine.list('problem').map((p) => view(p.id)!);
    res.json({ problems: all.filter((p) => (q.project === undefined || p.projectId === q.project) && (q.unit === undefined || p.unitId === q.unit) && (q.state === undefined || p.state === q.state)) });
  });

  router.get('/:id', (req, res) => {
    const problem = view(req.params.id);
    if (problem === undefined) throw notFound(`问题 ${req.params.id}`, `problem ${req.params.id}`);
    res.set('ETag', etag(problem.version)).json(problem);
  });

  router.post('/', async (req, res) => {
    const staff = staffOf(res);
    const forbidden = problemEventForbidden(staff, 'RAISE', null);
    if (forbidden !== null) throw problemFrom(403, 'forbidden', { zh: '无权操作', en: 'Forbidden' }, forbidden, { rule: forbidden.rule });
    requireJson(req);
    const input = parseOr422(ProblemInputSchema, req.body);
    if (engine.getProject(input.projectId) === undefined) throw new HttpProblem(422, 'unknown-project', { title: '内容不合规', detail: `项目 ${input.projectId} 不存在` }, { title: 'Invalid payload', detail: `no project ${input.projectId}` });
    const outcome = await engine.create('problem', input, { actor: staff.id, idempotencyKey: idempotencyKey(req) });
    if (outcome.status === 'exists') throw new HttpProblem(409, 'exists', { title: '已存在', detail: `问题 ${outcome.id} 已存在` }, { title: 'Exists', detail: `problem ${outcome.id} exists` });
    if (outcome.status === 'keyReused') throw keyReused(outcome.idempotencyKey);
    if (outcome.status === 'invalid') throw new HttpProblem(422, 'invalid-problem', { title: '内容不合规', detail: outcome.problems.map((p) => p.zh).join(';') }, { title: 'Invalid payload', detail: outcome.problems.map((p) => p.en).join('; ') });
    res.status(201).location(`/api/problems/${encodeURIComponent(outcome.id)}`).set('ETag', etag(1)).json(view(outcome.id));
  });

  router.post('/:id/events', async (req, res) => {
    const staff = staffOf(res);
    const problem = view(req.params.id);
    if (problem === undefined) throw notFound(`问题 ${req.params.id}`, `problem ${req.params.id}`);
    requireJson(req);
    const event = parseOr422(ProblemEventSchema, req.body);
    const forbidden = problemEventForbidden(staff, event.type, problem.unitId);
    if (forbidden !== null) throw problemFrom(403, 'forbidden', { zh: '无权操作', en: 'Forbidden' }, forbidden, { rule: forbidden.rule });
    const outcome = await engine.sendTo('problem', req.params.id, event, { actor: staff.id, ifMatch: ifMatch(req), idempotencyKey: idempotencyKey(req) });
    sendOutcome(res, outcome, { zh: '问题', en: 'problem' });
  });

  return router;
}
