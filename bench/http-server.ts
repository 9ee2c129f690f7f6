// Child process of bench/http.ts: the real server on a file store (request logs to a file through
// the server's LogSink, as deployed), and on other ports, for comparison in the same run, a bare
// Express JSON endpoint, the required layers alone, the engine alone, and XState and the disk alone.
import { openSync } from 'node:fs';
import { mkdtemp, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createActor } from 'xstate';
import { Engine, KINDS, restorable, type PersistedSnapshot } from '../engine/index.ts';
import { AppendFile } from '../store/append-file.ts';
import { ProjectEventSchema } from '../engine/kinds/project.ts';
import { apiHeaders, createApp } from '../server/app.ts';
import { identify, refuseCrossSite, requireIdentity } from '../server/auth.ts';
import { requestLog } from '../server/request-log.ts';
import { SessionStore } from '../server/sessions.ts';
import { LogSink, serviceLogger } from '../server/log-sink.ts';
import { FileStore, StaffDirectory } from '../engine/index.ts';
import { boundHeapGrowth } from '../cli/heap-growth.ts';

// As the CLI runs (serve, verify, simulate): the heap grows at most twice what is live.
boundHeapGrowth();

const PROJECTS = Number(process.argv[2] ?? 1000);
const dir = await mkdtemp(join(tmpdir(), 'gongjian-http-bench-'));
const engine = new Engine({ store: new FileStore(dir) });
await engine.open();
for (let i = 0; i < PROJECTS; i += 500) {
  await Promise.all(
    Array.from({ length: Math.min(500, PROJECTS - i) }, (_, j) =>
      engine.create(
        'project',
        {
          id: `p${i + j}`,
          name: `项目${i + j}`,
          unitId: 'u1',
          plannedInvestment: 1000,
          asOf: '2022-08-01',
          bond: { allocated: 1 },
        },
        { actor: 'hq' },
      ),
    ),
  );
}
await engine.warmUp();
const staff = new StaffDirectory(dir);
const { token } = await staff.create({ name: '财政局', role: 'finance' });
// As `gongjian serve` logs, to a file.
const logger = serviceLogger(new LogSink(openSync(join(dir, 'requests.log'), 'a')));
const { app } = createApp({ engine, staff, logger });
const api = app.listen(0, '127.0.0.1');
const bare = express();
bare.use(express.json());
bare.post('/bare', (req, res) => {
  res.json({ ok: true, type: (req.body as { type?: string }).type });
});
const bareServer = bare.listen(0, '127.0.0.1');
// The layers the issue requires of the events endpoint — request log, security headers, bearer
// token, zod — on Express with the server's own middleware, answering without the engine: what
// Express and those layers allow on this machine, before any of our work on the event.
const layers = express();
layers.disable('x-powered-by');
layers.set('etag', false);
layers.use(requestLog(logger));
layers.use(apiHeaders);
layers.use(express.json({ limit: '100kb', strict: true }));
layers.use('/api', identify(staff, new SessionStore()), refuseCrossSite, requireIdentity);
layers.post('/api/projects/:id/events', (req, res) => {
  const event = ProjectEventSchema.parse(req.body);
  res.json({ status: 'accepted', id: req.params.id, type: event.type });
});
const layersServer = layers.listen(0, '127.0.0.1');
// The engine alone on bare Express: the event journalled and fdatasync'd through engine.send, no
// layer and no check of the route's — what the engine costs over the bare endpoint.
const engineOnly = express();
engineOnly.use(express.json());
engineOnly.post('/api/projects/:id/events', async (req, res) => {
  res.json(await engine.send('project', req.params.id, req.body, { actor: 'finance-1' }));
});
const engineServer = engineOnly.listen(0, '127.0.0.1');
// The least a durable state machine behind Express must do, and none of our engine: the project's
// live XState actor asked \`can\`, sent the event, and one JSON line of it appended to a
// group-committed, fdatasync'd file before the answer (DESIGN.md §6's measurement). Over the bare
// endpoint it is what XState and the disk cost whoever writes the engine.
const actors = new Map(
  engine.store.list('project').map((record) => {
    const snapshot = restorable(JSON.parse(record.snapshot) as PersistedSnapshot);
    return [record.id, createActor(KINDS.project.machine, { snapshot }).start()];
  }),
);
const minimalFile = await open(join(dir, 'minimal.jsonl'), 'a');
const minimalJournal = new AppendFile(minimalFile, 0);
const minimal = express();
minimal.use(express.json());
minimal.post('/api/projects/:id/events', async (req, res) => {
  const actor = actors.get(req.params.id);
  const event = req.body as { type: string };
  if (actor === undefined || !actor.getSnapshot().can(event)) {
    res.status(409).json({ status: 'rejected' });
    return;
  }
  actor.send(event);
  const line = JSON.stringify({ id: req.params.id, event, to: actor.getSnapshot().value });
  await minimalJournal.append(Buffer.from(`${line}\n`), undefined);
  res.json({ status: 'accepted', id: req.params.id });
});
const minimalServer = minimal.listen(0, '127.0.0.1');
await new Promise((r) => setTimeout(r, 100));
const ports = {
  api: (api.address() as AddressInfo).port,
  bare: (bareServer.address() as AddressInfo).port,
  layers: (layersServer.address() as AddressInfo).port,
  engine: (engineServer.address() as AddressInfo).port,
  minimal: (minimalServer.address() as AddressInfo).port,
};
process.stdout.write(`${JSON.stringify({ ...ports, token, dir })}\n`);
// Each line on stdin asks for this process's CPU time so far (µs, user + system), answered on a line.
createInterface({ input: process.stdin }).on('line', () => {
  const { user, system } = process.cpuUsage();
  process.stdout.write(`${user + system}\n`);
});
process.on('SIGTERM', () => process.exit(0));
