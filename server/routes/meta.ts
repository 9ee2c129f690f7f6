import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { Router } from 'express';
import {
  EVENT_LABELS,
  PERMIT_LABELS,
  PROJECT_EVENT_ROLES,
  PROJECT_MACHINE_VERSION,
  REGION_LABELS,
  STATE_LABELS,
  WEI_LABELS,
  projectMachine,
  projectRules,
  CAMPAIGN_EVENT_LABELS,
  CAMPAIGN_MACHINE_VERSION,
  CAMPAIGN_ROLES,
  CAMPAIGN_STATE_LABELS,
  LADDER_LABELS,
  PROBLEM_EVENT_LABELS,
  PROBLEM_EVENT_ROLES,
  PROBLEM_MACHINE_VERSION,
  PROBLEM_STATE_LABELS,
  UNIT_EVENT_LABELS,
  UNIT_MACHINE_VERSION,
  UNIT_STATE_LABELS,
  campaignMachine,
  campaignRules,
  problemMachine,
  problemRules,
  unitMachine,
  unitRules,
} from '../../machines/index.ts';
import type { LogSinkStats } from '../log-sink.ts';
import { openApiDocument } from '../openapi.ts';
import type { Store } from '../../store/index.ts';

const PUBLIC = join(import.meta.dirname, '../public');
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

/** The machines as data, for the inspector and other tools. */
export function machineRoutes(): Router {
  const router = Router();
  const body = {
    machines: [
      {
        id: 'project',
        version: PROJECT_MACHINE_VERSION,
        definition: projectMachine.definition,
        rules: Object.keys(projectRules),
        roles: PROJECT_EVENT_ROLES,
        labels: { regions: REGION_LABELS, states: STATE_LABELS, events: EVENT_LABELS, permits: PERMIT_LABELS, wei: WEI_LABELS },
      },
      { id: 'campaign', version: CAMPAIGN_MACHINE_VERSION, definition: campaignMachine.definition, rules: Object.keys(campaignRules), roles: { START: CAMPAIGN_ROLES, SUPERVISE: CAMPAIGN_ROLES, ASSESS: CAMPAIGN_ROLES, CLOSE: CAMPAIGN_ROLES }, labels: { states: CAMPAIGN_STATE_LABELS, events: CAMPAIGN_EVENT_LABELS } },
      { id: 'unit', version: UNIT_MACHINE_VERSION, definition: unitMachine.definition, rules: Object.keys(unitRules), roles: { RECORD_ACCOUNTABILITY: CAMPAIGN_ROLES }, labels: { states: UNIT_STATE_LABELS, events: UNIT_EVENT_LABELS, ladder: LADDER_LABELS } },
      { id: 'problem', version: PROBLEM_MACHINE_VERSION, definition: problemMachine.definition, rules: Object.keys(problemRules), roles: PROBLEM_EVENT_ROLES, labels: { states: PROBLEM_STATE_LABELS, events: PROBLEM_EVENT_LABELS } },
    ],
  };
  router.get('/', (_req, res) => {
    res.json(body);
  });
  return router;
}
