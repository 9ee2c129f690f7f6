import { Router } from 'express';
import { WEI_KEYS } from '../../machines/index.ts';
import type { Engine } from '../../engine/index.ts';
import { HttpProblem } from '../problem.ts';

export function unitRoutes(engine: Engine): Router {
  const router = Router();
  router.get('/:id', (req, res) => {
    const projects = engine.listProjects({ unitId: req.params.id });
    if (projects.length === 0) {
      throw new HttpProblem(404, 'not-found', { title: '未找到', detail: `单位 ${req.params.id} 没有项目` }, { title: 'Not found', detail: `unit ${req.params.id} has no projects` });
    }
    const wei = Object.fromEntries(WEI_KEYS.map((key) => [key, projects.filter((p) => p.wei.includes(key)).length]));
    res.json({ id: req.params.id, wei, projects: projects.map((p) => ({ id: p.id, name: p.context.name, state: p.value, wei: p.wei, version: p.version })) });
  });
  return router;
}
