import { Router } from 'express';
import { isIsoMonth, mayRunCampaign, type CampaignContext } from '../../machines/index.ts';
import type { CampaignService, Engine } from '../../engine/index.ts';
import { reportHtml, reportXlsx } from '../../report/index.ts';
import { staffOf } from '../auth.ts';
import { etag, idempotencyKey, ifMatch, parseOr422, requireJson } from '../http-util.ts';
import { keyReused, notFound, sendOutcome } from '../outcome.ts';
import { HttpProblem } from '../problem.ts';
import { CampaignEventSchema, CampaignInputSchema, ReportQuerySchema } from '../schemas.ts';

const missing = (id: string) => notFound(`攻坚行动 ${id}`, `campaign ${id}`);
const forbidden = () => new HttpProblem(403, 'forbidden', { title: '无权操作', detail: '只有三高办可以组织攻坚行动' }, { title: 'Forbidden', detail: 'only the campaign office (hq) runs campaigns' });

export function campaignRoutes(engine: Engine, campaigns: CampaignService): Router {
  const router = Router();

  router.get('/', (_req, res) => {
    res.json({
      campaigns: engine.list('campaign').map((c) => {
        const context = c.context as CampaignContext;
        return { id: c.id, name: context.config.name, state: c.value, start: context.config.start, days: context.config.days, version: c.version, supervisions: context.supervisions };
      }),
    });
  });

  router.post('/', async (req, res) => {
    if (!mayRunCampaign(staffOf(res))) throw forbidden();
    requireJson(req);
    const input = parseOr422(CampaignInputSchema, req.body);
    const outcome = await campaigns.create(input, staffOf(res).id);
    if (outcome.status === 'invalid') {
      throw new HttpProblem(422, 'invalid-campaign', { title: '攻坚行动配置有误', detail: outcome.problems.map((p) => p.zh).join(';') }, { title: 'Invalid campaign', detail: outcome.problems.map((p) => p.en).join('; ') }, { problems: outcome.problems });
    }
    if (outcome.status === 'exists') throw new HttpProblem(409, 'exists', { title: '已存在', detail: `攻坚行动 ${outcome.id} 已存在` }, { title: 'Exists', detail: `campaign ${outcome.id} exists` });
    if (outcome.status === 'keyReused') throw keyReused(outcome.idempotencyKey);
    res.status(201).location(`/api/campaigns/${encodeURIComponent(outcome.id)}`).set('ETag', etag(1)).json(engine.get('campaign', outcome.id));
  });

  router.post('/:id/events', async (req, res) => {
    if (engine.get('campaign', req.params.id) === undefined) throw missing(req.params.id);
    if (!mayRunCampaign(staffOf(res))) throw forbidden();
    requireJson(req);
    const event = parseOr422(CampaignEventSchema, req.body);
    const outcome = await campaigns.send(req.params.id, event, staffOf(res).id, { ifMatch: ifMatch(req), idempotencyKey: idempotencyKey(req) });
    sendOutcome(res, outcome, { zh: '攻坚行动', en: 'campaign' });
  });

  router.get('/:id/report', async (req, res) => {
    const { format = 'json' } = parseOr422(ReportQuerySchema, req.query);
    const report = await campaigns.report(req.params.id);
    if (report === undefined) throw missing(req.params.id);
    if (format === 'html') {
      res.type('html').send(reportHtml(report));
    } else if (format === 'xlsx') {
      res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').attachment(`${report.campaign.id}.xlsx`).send(await reportXlsx(report));
    } else {
      res.json(report);
    }
  });

  router.get('/:id/supervisions/:month', async (req, res) => {
    if (engine.get('campaign', req.params.id) === undefined) throw missing(req.params.id);
    if (!isIsoMonth(req.params.month)) throw new HttpProblem(400, 'bad-month', { title: '请求格式错误', detail: `月份应为 YYYY-MM(收到 ${req.params.month})` }, { title: 'Malformed request', detail: `month must be YYYY-MM (got ${req.params.month})` });
    const supervision = (await campaigns.supervisions(req.params.id)).find((s) => s.month === req.params.month);
    if (supervision === undefined) throw notFound(`${req.params.month} 的督查`, `supervision for ${req.params.month}`);
    res.json(supervision);
  });

  return router;
}
