import { Router } from 'express';
import { maySee, UNIT_STATE_LABELS, WEI_KEYS, weiKeys, type Visibility } from '../../machines/index.ts';
import type { Engine } from '../../engine/index.ts';
import { staffOf } from '../auth.ts';
import { notFound } from '../outcome.ts';

/** A unit (责任单位): its projects and 八未 counts, and where it stands on each campaign's ladder. */
export function unitRoutes(engine: Engine, visibility: Visibility): Router {
  const router = Router();
  router.get('/:id', (req, res) => {
    const missing = notFound(`单位 ${req.params.id}`, `unit ${req.params.id}`);
    if (!maySee(staffOf(res), req.params.id, visibility)) throw missing;
    const projects = engine.list('project', { unitId: req.params.id });
    const ladders = engine.list('unit', { unitId: req.params.id }).map((u) => {
      const context = u.context;
      return {
        campaignId: context.campaignId,
        state: u.value,
        label: UNIT_STATE_LABELS[String(u.value)],
        assessments: context.assessments,
        accountability: context.accountability,
      };
    });
    if (projects.length === 0 && ladders.length === 0) throw missing;
    const wei = Object.fromEntries(
      WEI_KEYS.map((key) => [key, projects.filter((p) => weiKeys(p).includes(key)).length]),
    );
    res.json({
      id: req.params.id,
      wei,
      ladders,
      projects: projects.map((p) => ({
        id: p.id,
        name: p.context.name,
        state: p.value,
        wei: weiKeys(p),
        version: p.version,
      })),
    });
  });
  return router;
}
