// Child process of bench/http.ts: the real server on a file store (request logs to a file through
// the server's LogSink, as deployed), and a bare Express JSON endpoint on another port, for comparison in the same run.
import { openSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { pino } from 'pino';
import { Engine } from '../engine/index.ts';
import { createApp } from '../server/app.ts';
import { LogSink } from '../server/log-sink.ts';
import { FileStore, StaffDirectory } from '../engine/index.ts';

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
const logger = pino(new LogSink(openSync(join(dir, 'requests.log'), 'a')));
const { app } = createApp({ engine, staff, logger });
const api = app.listen(0, '127.0.0.1');
const bare = express();
bare.use(express.json());
bare.post('/bare', (req, res) => {
  res.json({ ok: true, type: (req.body as { type?: string }).type });
});
const bareServer = bare.listen(0, '127.0.0.1');
await new Promise((r) => setTimeout(r, 100));
const ports = { api: (api.address() as AddressInfo).port, bare: (bareServer.address() as AddressInfo).port };
process.stdout.write(`${JSON.stringify({ ...ports, token, dir })}\n`);
process.on('SIGTERM', () => process.exit(0));
