import { Router } from 'express';
import {
  campaignPeriods,
  isIsoMonth,
  targetWarnings,
  maySee,
  type CampaignReport,
  type StaffMember,
  type Visibility,
} from '../../machines/index.ts';
import { actionForbidden, inSlices, KINDS, type CampaignService, type Engine } from '../../engine/index.ts';
import {
  BULLETIN_CSP,
  bulletinDocx,
  bulletinHtml,
  bulletinOf,
  REPORT_CSP,
  reportHtmlSteps,
  reportXlsx,
} from '../../report/index.ts';
import { staffOf } from '../auth.ts';
import { sendJsonInSlices, sendTextInSlices } from '../json-slices.ts';
import { etag, idempotencyKey, ifMatch, parseOr422, requireJson } from '../http-util.ts';
import { createdOrThrow, notFound, sendOutcome } from '../outcome.ts';
import { forbidIf, HttpProblem } from '../http-problem.ts';
import { BulletinQuerySchema, CampaignRouteEventSchema, CampaignInputSchema, ReportQuerySchema } from '../schemas.ts';

const missing = (id: string) => notFound(`攻坚行动 ${id}`, `campaign ${id}`);

export function campaignRoutes(engine: Engine, campaigns: CampaignService, visibility: Visibility): Router {
  const router = Router();
  /**
   * The report as this member may read it: the published 督查通报 (rankings, interviews, notices,
   * assessment) for all; project-level lists (lights, problems, refusals) only of what they see.
   */
  const reportFor = (report: CampaignReport, staff: StaffMember): CampaignReport => {
    if (visibility === 'county' || staff.role !== 'unit') return report;
    const sees = (unitId: string | null | undefined) => maySee(staff, unitId, visibility);
    const list = report.refusals.list.filter((r) => sees(engine.tags('project', r.projectId)?.unitId));
    const byRule: Record<string, number> = {};
    for (const r of list) byRule[r.rule] = (byRule[r.rule] ?? 0) + 1;
    const problems = report.problems.filter((p) => sees(p.unitId) || sees(engine.tags('project', p.projectId)?.unitId));
    const projectLights = report.projectLights.filter((l) => sees(l.unitId));
    // Names only of the projects left in it.
    const named = new Set([...problems, ...projectLights, ...list].map((x) => x.projectId));
    const projectNames = Object.fromEntries(Object.entries(report.names.projects).filter(([id]) => named.has(id)));
    return {
      ...report,
      projectLights,
      projects: report.projects.filter((p) => sees(p.unitId)),
      problems,
      refusals: { count: list.length, byRule, list },
      names: { ...report.names, projects: projectNames },
    };
  };

  router.get('/', (_req, res) => {
    res.json({
      campaigns: engine.list('campaign').map((c) => ({
        id: c.id,
        name: c.context.config.name,
        state: c.value,
        start: c.context.config.start,
        days: c.context.config.days,
        units: c.context.config.units,
        locality: c.context.config.locality ?? 'county',
        version: c.version,
        supervisions: c.context.supervisions,
      })),
    });
  });

  router.get('/:id', (req, res) => {
    const staff = staffOf(res);
    const campaign = engine.get('campaign', req.params.id);
    if (campaign === undefined) throw missing(req.params.id);
    // As for a project: every event its state takes now, allowed for this member or why not; and
    // 问责 by hand (RECORD_ACCOUNTABILITY), which the unit's ladder judges when it is sent.
    const events = [...KINDS.campaign.options(campaign), { type: 'RECORD_ACCOUNTABILITY', blockedBy: null }].map(
      (option) => {
        const reason = KINDS.campaign.forbidden(staff, option.type, campaign) ?? option.blockedBy;
        return { type: option.type, allowed: reason === null, reason };
      },
    );
    res.set('ETag', etag(campaign.version)).json({
      id: campaign.id,
      name: campaign.context.config.name,
      state: campaign.value,
      version: campaign.version,
      start: campaign.context.config.start,
      days: campaign.context.config.days,
      units: campaign.context.config.units,
      supervisions: campaign.context.supervisions,
      months: campaignPeriods(campaign.context.config.start, campaign.context.config.days).map((p) => p.month),
      events,
    });
  });

  router.post('/', async (req, res) => {
    forbidIf(KINDS.campaign.createForbidden(staffOf(res)));
    requireJson(req);
    const input = parseOr422(CampaignInputSchema, req.body);
    const outcome = await campaigns.create(input, staffOf(res).id);
    const id = createdOrThrow(res, outcome, { code: 'campaign', zh: '攻坚行动', en: 'campaign' });
    res
      .status(201)
      .location(`/api/campaigns/${encodeURIComponent(id)}`)
      .set('ETag', etag(1))
      // Targets no unit could meet with the projects registered now: said at once, not in month three.
      .json({ ...engine.get('campaign', id), warnings: targetWarnings(input, campaigns.projectCategories()) });
  });

  router.post('/:id/events', async (req, res) => {
    const campaign = engine.get('campaign', req.params.id);
    if (campaign === undefined) throw missing(req.params.id);
    forbidIf(actionForbidden(KINDS.campaign, staffOf(res), campaign));
    requireJson(req);
    const event = parseOr422(CampaignRouteEventSchema, req.body);
    // With the payload: a unit records only its own unit's measures.
    if (event.type !== 'RECORD_ACCOUNTABILITY')
      forbidIf(KINDS.campaign.forbidden(staffOf(res), event.type, campaign, event));
    if (event.type === 'RECORD_ACCOUNTABILITY') {
      const units = campaign.context.config.units;
      if (!units.some((u) => u.id === event.unit)) {
        throw new HttpProblem(
          422,
          'unknown-unit',
          {
            title: '内容不合规',
            detail: `unit: 单位 ${event.unit} 不在本次攻坚行动中;参加单位:${units.map((u) => u.id).join('、')}`,
          },
          {
            title: 'Invalid payload',
            detail:
              `unit: ${event.unit} is not a unit of this campaign; its units: ` +
              `${units.map((u) => u.id).join(', ')}`,
          },
          { field: 'unit' },
        );
      }
    }
    const outcome = await campaigns.send(req.params.id, event, staffOf(res).id, {
      ifMatch: ifMatch(req),
      idempotencyKey: idempotencyKey(req),
    });
    sendOutcome(res, outcome, { zh: '攻坚行动', en: 'campaign' });
  });

  router.get('/:id/report', async (req, res) => {
    const { format = 'json', omit } = parseOr422(ReportQuerySchema, req.query, 'query');
    const full = await campaigns.report(req.params.id);
    if (full === undefined) throw missing(req.params.id);
    const report = reportFor(full, staffOf(res));
    if (format === 'html') {
      // Its own policy: the API's `default-src 'none'` would block the page's style sheet.
      const page = await inSlices(reportHtmlSteps(report));
      res.type('html').set('Content-Security-Policy', REPORT_CSP);
      await sendTextInSlices(res, page);
    } else if (format === 'xlsx') {
      res
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .attachment(`${report.campaign.id}.xlsx`)
        .send(await reportXlsx(report));
    } else {
      const body: Partial<CampaignReport> = { ...report };
      for (const key of omit) delete body[key];
      await sendJsonInSlices(res, body, 'projects');
    }
  });

  router.get('/:id/supervisions/:month', async (req, res) => {
    if (engine.get('campaign', req.params.id) === undefined) throw missing(req.params.id);
    if (!isIsoMonth(req.params.month))
      throw new HttpProblem(
        400,
        'bad-month',
        { title: '请求格式错误', detail: `月份应为 YYYY-MM(收到 ${req.params.month})` },
        { title: 'Malformed request', detail: `month must be YYYY-MM (got ${req.params.month})` },
      );
    const { format = 'json' } = parseOr422(BulletinQuerySchema, req.query, 'query');
    const supervision = (await campaigns.supervisions(req.params.id)).find((s) => s.month === req.params.month);
    if (supervision === undefined) throw notFound(`${req.params.month} 的督查`, `supervision for ${req.params.month}`);
    if (format === 'json') {
      res.json(supervision);
      return;
    }
    // The 督查通报 as a document: a printable page or a Word file, from the report this member may read.
    const bulletin = bulletinOf(reportFor((await campaigns.report(req.params.id))!, staffOf(res)), req.params.month)!;
    if (format === 'html') res.type('html').set('Content-Security-Policy', BULLETIN_CSP).send(bulletinHtml(bulletin));
    else
      res
        .type('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
        .attachment(`${req.params.id}-${req.params.month}-督查通报.docx`)
        .send(await bulletinDocx(bulletin));
  });

  return router;
}
