import { Router } from 'express';
import {
  maySee,
  programmeRollup,
  weiKeys,
  type ProgrammeContext,
  type StaffMember,
  type Visibility,
} from '../../machines/index.ts';
import { KINDS, type CampaignService, type Engine, type EntityView, type FilingService } from '../../engine/index.ts';
import { staffOf } from '../auth.ts';
import { etag, idempotencyKey, ifMatch, parseOr422, requireJson } from '../http-util.ts';
import { forbidIf, HttpProblem } from '../http-problem.ts';
import { createdOrThrow, notFound, sendOutcome } from '../outcome.ts';
import { unknownUnit } from '../references.ts';
import { BatchEventSchema, ProgrammeEventSchema, ProgrammeInputSchema } from '../schemas.ts';
import { filingIdFor } from './filings.ts';

/** One sub-project's outcome in a batch. */
interface BatchResult {
  projectId: string;
  status: string;
  replayed?: boolean;
  seq?: number;
  version?: number;
  filingId?: string;
  rule?: string;
  zh?: string;
  en?: string;
}

const programmeNotFound = (id: string) => notFound(`项目群 ${id}`, `programme ${id}`);

/** A programme with its roll-up, from the sub-projects carrying its id (indexed by tag). */
export function programmeView(engine: Engine, programme: EntityView<string, ProgrammeContext>) {
  const subs = engine.list('project', { programmeId: programme.id });
  return {
    ...programme.context,
    id: programme.id,
    version: programme.version,
    rollup: programmeRollup(programme.context, subs),
    subProjects: subs.map((s) => ({
      id: s.id,
      name: s.context.name,
      unitId: s.context.unitId,
      stage: s.value.lifecycle,
      wei: weiKeys(s),
      plannedInvestment: s.context.plannedInvestment,
      capacity: s.context.capacity ?? null,
      landMu: s.context.land?.requiredMu ?? 0,
      version: s.version,
    })),
  };
}

/**
 * 项目群: programmes of sub-projects — register (hq), list and read them with their roll-ups
 * (computed from the sub-projects, never typed in), revise their declared totals, and send one
 * event to chosen sub-projects at once (a groundbreaking day's START_CONSTRUCTION).
 */
export function programmeRoutes(
  engine: Engine,
  campaigns: CampaignService,
  filings: FilingService,
  visibility: Visibility,
): Router {
  const router = Router();
  const found = (id: string) => {
    const programme = engine.get('programme', id);
    if (programme === undefined) throw programmeNotFound(id);
    return programme;
  };
  /** Sub-projects a member may see (under `--visibility unit`, those of their own unit). */
  const visibleTo = (staff: StaffMember, view: ReturnType<typeof programmeView>) => ({
    ...view,
    subProjects: view.subProjects.filter((s) => maySee(staff, s.unitId, visibility)),
  });

  router.get('/', (_req, res) => {
    const staff = staffOf(res);
    res.json({
      programmes: engine.list('programme').map((p) => {
        const { subProjects, ...rest } = visibleTo(staff, programmeView(engine, p));
        return { ...rest, subProjectIds: subProjects.map((s) => s.id) };
      }),
    });
  });

  router.get('/:id', (req, res) => {
    // No version ETag: the roll-up changes with the sub-projects while the programme's version
    // does not (the body's `version` is what If-Match takes for REVISE).
    const programme = found(req.params.id);
    res.json(visibleTo(staffOf(res), programmeView(engine, programme)));
  });

  router.post('/', async (req, res) => {
    const staff = staffOf(res);
    forbidIf(KINDS.programme.createForbidden(staff));
    requireJson(req);
    const input = parseOr422(ProgrammeInputSchema, req.body);
    for (const unitId of input.unitIds ?? [])
      if (!campaigns.unitKnown(unitId)) throw unknownUnit('unitIds', unitId, campaigns);
    const outcome = await engine.create('programme', input, { actor: staff.id, idempotencyKey: idempotencyKey(req) });
    const id = createdOrThrow(res, outcome, { code: 'programme', zh: '项目群', en: 'programme' });
    res
      .status(201)
      .location(`/api/programmes/${encodeURIComponent(id)}`)
      .set('ETag', etag(1))
      .json(programmeView(engine, engine.get('programme', id)!));
  });

  router.post('/:id/events', async (req, res) => {
    const staff = staffOf(res);
    found(req.params.id);
    forbidIf(KINDS.programme.forbidden(staff, 'REVISE', engine.get('programme', req.params.id)!));
    requireJson(req);
    const event = parseOr422(ProgrammeEventSchema, req.body);
    const outcome = await engine.send('programme', req.params.id, event, {
      actor: staff.id,
      ifMatch: ifMatch(req),
      idempotencyKey: idempotencyKey(req),
    });
    sendOutcome(res, outcome, { zh: '项目群', en: 'programme' }, () =>
      programmeView(engine, engine.get('programme', req.params.id)!),
    );
  });

  // One event to chosen sub-projects (all of them when none are named): each through its own
  // permissions and guards (a type a campaign reviews is filed, as from /filings); the answer
  // lists every sub-project's outcome. Idempotent as a whole: the Idempotency-Key is scoped to
  // each sub-project, so a retry applies nothing twice and answers as the first time.
  router.post('/:id/batch', async (req, res) => {
    const staff = staffOf(res);
    found(req.params.id);
    requireJson(req);
    const batch = parseOr422(BatchEventSchema, req.body);
    const subs = engine.summaries('project', { programmeId: req.params.id });
    const ids = batch.projects ?? subs.map((s) => s.id);
    const members = new Set(subs.map((s) => s.id));
    const strangers = ids.filter((id) => !members.has(id));
    if (strangers.length > 0)
      throw new HttpProblem(
        422,
        'not-a-sub-project',
        { title: '内容不合规', detail: `projects:${strangers.join('、')} 不是项目群 ${req.params.id} 的子项目` },
        {
          title: 'Invalid payload',
          detail: `projects: ${strangers.join(', ')} are not sub-projects of ${req.params.id}`,
        },
        { field: 'projects', projects: strangers },
      );
    const key = idempotencyKey(req);
    const results: BatchResult[] = [];
    for (const projectId of ids) {
      const project = engine.get('project', projectId)!;
      const why = maySee(staff, project.context.unitId, visibility)
        ? KINDS.project.forbidden(staff, batch.event.type, project, batch.event)
        : { rule: 'unit', zh: '不能办理其他单位的项目', en: "another unit's project" };
      if (why !== null) {
        results.push({ projectId, status: 'forbidden', rule: why.rule, zh: why.zh, en: why.en });
        continue;
      }
      const subKey = key === undefined ? undefined : `${key}|${projectId}`;
      const filed = await filings.file(
        projectId,
        batch.event,
        [],
        { actor: staff.id, idempotencyKey: subKey },
        filingIdFor(staff.id, subKey),
      );
      if (filed.status === 'notFound') continue;
      const outcome = filed.outcome;
      if (outcome.status === 'accepted')
        results.push({
          projectId,
          status: filed.status === 'filed' ? 'filed' : 'accepted',
          replayed: outcome.replayed,
          ...('seq' in outcome ? { seq: outcome.seq, version: outcome.version } : {}),
          ...(filed.status === 'filed' ? { filingId: filed.id } : {}),
        });
      else if (outcome.status === 'rejected')
        results.push({
          projectId,
          status: 'rejected',
          replayed: outcome.replayed,
          seq: outcome.seq,
          rule: outcome.rejection.rule,
          zh: outcome.rejection.zh,
          en: outcome.rejection.en,
        });
      else results.push({ projectId, status: outcome.status });
    }
    const count = (status: string) => results.filter((r) => r.status === status).length;
    if (results.length > 0 && results.every((r) => r.replayed === true)) res.set('Idempotent-Replayed', 'true');
    res.json({
      programmeId: req.params.id,
      event: batch.event,
      accepted: count('accepted'),
      filed: count('filed'),
      rejected: count('rejected'),
      forbidden: count('forbidden'),
      results,
    });
  });

  return router;
}
