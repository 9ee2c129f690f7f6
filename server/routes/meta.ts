import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { Router } from 'express';
import { ALL_KINDS, statechartOf, type Statechart, type StatechartLayout } from '../../engine/index.ts';
import { notFound } from '../outcome.ts';
import { layoutStatechart } from '../statechart-layout.ts';
import { VOCABULARY } from '../../machines/index.ts';
import type { LogSinkStats } from '../log-sink.ts';
import { packageRoot } from '../assets.ts';
import { openApiDocument } from '../openapi.ts';
import type { Store } from '../../engine/index.ts';

const PUBLIC = join(packageRoot(import.meta.dirname), 'server/public');
const SWAGGER_UI = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** Routes that need no token: health and the OpenAPI document. */
export function publicRoutes({ store, logStats }: { store: Store; logStats?: () => LogSinkStats }): Router {
  const router = Router();
  const document = openApiDocument();
  /** 200 `ok`, or 503 `degraded` while the journal cannot be written; what the log lost. */
  router.get('/healthz', async (_req, res) => {
    const health = await store.health();
    if (health.status !== 'ok') res.status(503).set('Retry-After', '5');
    res.json({ ...health, ...(logStats === undefined ? {} : { log: logStats() }) });
  });
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  return router;
}

/** The offline API reference page, mounted at /api/docs. */
export function docsRoutes(): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.sendFile(join(PUBLIC, 'api-docs.html'));
  });
  router.get('/init.js', (_req, res) => {
    res.sendFile(join(PUBLIC, 'api-docs-init.js'));
  });
  router.use('/assets', express.static(SWAGGER_UI, { index: false }));
  return router;
}

/** Every label people read, and who may send each event (machines/vocabulary.ts), for the web app. */
export function vocabularyRoutes(): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.set('Cache-Control', 'private, max-age=300').json(VOCABULARY);
  });
  return router;
}

/** The machines as data, for the inspector and other tools — every kind in the registry. */
export function machineRoutes(): Router {
  const router = Router();
  const body = {
    machines: ALL_KINDS.map((kind) => ({
      id: kind.kind,
      machineId: kind.machine.id,
      label: kind.label,
      version: kind.version,
      definition: kind.machine.definition,
      rules: kind.rules,
      roles: kind.roles,
      labels: { ...kind.labels, ...kind.moreLabels },
    })),
  };
  router.get('/', (_req, res) => {
    res.json(body);
  });
  // Laid out once per machine (the layout depends on the definition alone), on first request.
  const diagrams = new Map<string, Promise<{ chart: Statechart; layout: StatechartLayout }>>();
  router.get('/:kind/diagram', async (req, res) => {
    const kind = ALL_KINDS.find((k) => k.kind === req.params.kind);
    if (kind === undefined) throw notFound(`状态机 ${req.params.kind}`, `machine ${req.params.kind}`);
    let diagram = diagrams.get(kind.kind);
    if (diagram === undefined) {
      const chart = statechartOf(kind);
      diagram = layoutStatechart(chart).then((layout) => ({ chart, layout }));
      diagrams.set(kind.kind, diagram);
      diagram.catch(() => diagrams.delete(kind.kind));
    }
    res.set('Cache-Control', 'private, max-age=300').json(await diagram);
  });
  return router;
}
