/**
 * The web app's figures:
 *  1. first load of the dashboard on the demo campaign — a cold browser context (no cache),
 *     already signed in, loopback: from navigation to both charts drawn (ECharts' `finished`);
 *  2. the JavaScript that page loads, raw and gzipped (as served: the server compresses);
 *  3. 项目台账 from the API at N projects (default 100,000): one page of 50, with filters,
 *     text search and sorting, over HTTP with a token.
 *
 *   npx tsx bench/web.ts [--loads 5] [--projects 100000] [--repeat 20] [--only ledger]
 *
 * Needs Debian's Chromium (/usr/bin/chromium). Prints tables, then one JSON line of the figures.
 */
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { pino } from 'pino';
import { ensureWebBuilt } from '../cli/web-build.ts';
import { Engine, FileStore, MemoryStore, parseScenario, simulate, StaffDirectory } from '../engine/index.ts';
import { STAGES } from '../machines/index.ts';
import { createApp } from '../server/app.ts';
import { launchBrowser } from '../test/support/browser.ts';

const { values } = parseArgs({
  options: {
    loads: { type: 'string', default: '5' },
    projects: { type: 'string', default: '100000' },
    repeat: { type: 'string', default: '20' },
    only: { type: 'string' },
  },
});
const LOADS = Number(values.loads);
const PROJECTS = Number(values.projects);
const REPEAT = Number(values.repeat);

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const ms = (x: number) => Math.round(x * 10) / 10;

async function listen(app: ReturnType<typeof createApp>['app']) {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** 1 and 2: the dashboard's first load and its JavaScript. */
async function firstLoad() {
  await ensureWebBuilt((m) => process.stderr.write(`${m}\n`));
  const dir = await mkdtemp(join(tmpdir(), 'gj-web-bench-'));
  const scenario = parseScenario(JSON.parse(await readFile('scenarios/chaling-2022.json', 'utf8')));
  await (await simulate(scenario, { store: new FileStore(dir) })).engine.close();
  const engine = new Engine({ store: new FileStore(dir) });
  await engine.open();
  const staff = new StaffDirectory(dir);
  await staff.createAccount({ login: 'bench', name: 'bench', role: 'hq', password: 'load the dashboard 1' });
  const made = createApp({ engine, staff, logger: pino({ level: 'silent' }) });
  const { server, base } = await listen(made.app);
  const browser = await launchBrowser();
  if (browser === null) throw new Error('Chromium is needed: apt-get install -y chromium');
  // One sign-in; each measured load then starts from an empty cache with that session.
  const setup = await browser.newContext();
  const login = await setup.request.post(`${base}/api/session`, {
    data: { login: 'bench', password: 'load the dashboard 1' },
    headers: { Origin: base },
  });
  if (login.status() !== 201) throw new Error(`sign-in failed: ${login.status()}`);
  const state = await setup.storageState();
  const times: number[] = [];
  let scripts: { url: string; raw: number; gzip: number; served: number }[] = [];
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext({ storageState: state, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const loaded: Promise<{ url: string; raw: number; gzip: number; served: number }>[] = [];
    page.on('response', (r) => {
      if (r.request().resourceType() !== 'script') return;
      loaded.push(
        r.body().then(async (body) => ({
          url: new URL(r.url()).pathname,
          raw: body.length,
          gzip: gzipSync(body, { level: 6 }).length,
          served: Number((await r.request().sizes()).responseBodySize),
        })),
      );
    });
    const started = performance.now();
    if (process.env.BENCH_TRACE === '2')
      page.on('request', (r) =>
        console.log(`  ${Math.round(performance.now() - started)} ms → ${new URL(r.url()).pathname}`),
      );
    if (process.env.BENCH_TRACE)
      page.on('response', (r) =>
        console.log(`  ${Math.round(performance.now() - started)} ms ${r.status()} ${new URL(r.url()).pathname}`),
      );
    await page.goto(`${base}/`);
    if (process.env.BENCH_TRACE) {
      await page.getByTestId('dashboard').waitFor();
      console.log(`  ${Math.round(performance.now() - started)} ms dashboard shown`);
    }
    await page.locator('[data-testid="burn-down"][data-drawn="1"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="month-chart"][data-drawn="1"]').waitFor({ timeout: 30_000 });
    times.push(performance.now() - started);
    scripts = await Promise.all(loaded);
    await context.close();
  }
  await browser.close();
  made.closeStreams();
  server.close();
  await engine.close();
  await rm(dir, { recursive: true, force: true });
  const sum = (k: 'raw' | 'gzip' | 'served') => scripts.reduce((n, s) => n + s[k], 0);
  const echarts = scripts.filter((s) => s.url.includes('Chart-'));
  return {
    loadMs: times.map(ms),
    loadP50Ms: ms(quantile(times, 0.5)),
    loadMaxMs: ms(Math.max(...times)),
    scripts: scripts.length,
    jsRawKb: Math.round(sum('raw') / 1024),
    jsGzipKb: Math.round(sum('gzip') / 1024),
    jsServedKb: Math.round(sum('served') / 1024),
    echartsGzipKb: Math.round(echarts.reduce((n, s) => n + s.gzip, 0) / 1024),
  };
}

/** 3: 项目台账 pages at PROJECTS projects. */
async function ledger() {
  const engine = new Engine({ store: new MemoryStore() });
  await engine.open();
  const units = Array.from({ length: 40 }, (_, i) => `unit-${i}`);
  const started = performance.now();
  for (let i = 0; i < PROJECTS; i++) {
    const stage = STAGES[i % STAGES.length]!;
    const outcome = await engine.create(
      'project',
      {
        id: `p-${String(i).padStart(6, '0')}`,
        name: `${['园区', '安置房', '物流', '电子', '农牧'][i % 5]}项目${i}`,
        unitId: units[i % units.length]!,
        plannedInvestment: 600 + ((i * 7919) % 50_000),
        stage,
        ...(STAGES.indexOf(stage) >= 2
          ? {
              statsRegistered: i % 3 === 0,
              permits: ['landUsePlanning', 'landTitle', 'engineeringPlanning', 'construction'] as const,
            }
          : {}),
        ...(i % 5 === 0 ? { land: { requiredMu: 50, houses: 3 } } : {}),
      },
      { actor: 'bench' },
    );
    if (outcome.status !== 'created') throw new Error(`project ${i} (${stage}): ${JSON.stringify(outcome)}`);
  }
  const createSeconds = (performance.now() - started) / 1000;
  const staff = new StaffDirectory(await mkdtemp(join(tmpdir(), 'gj-web-bench-')));
  const { token } = await staff.create({ name: 'bench', role: 'viewer' });
  const made = createApp({ engine, staff, logger: pino({ level: 'silent' }), webRoot: null });
  const { server, base } = await listen(made.app);
  const queries = [
    'page=1',
    'page=1000',
    'unit=unit-7',
    'wei=unstarted',
    'stage=signed&wei=landUncleared',
    `q=${encodeURIComponent('物流')}`,
    'q=p-0999',
    'sort=name',
    'sort=-investment&page=50',
    `unit=unit-3&wei=unregistered&q=${encodeURIComponent('电子')}&sort=-investment`,
  ];
  const rows: { query: string; p50: number; p95: number; total: number }[] = [];
  for (const query of queries) {
    const times: number[] = [];
    let total = 0;
    for (let i = 0; i < REPEAT; i++) {
      const t0 = performance.now();
      const res = await fetch(`${base}/api/projects?pageSize=50&${query}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      const body = (await res.json()) as { total: number; projects: unknown[] };
      times.push(performance.now() - t0);
      if (!res.ok) throw new Error(`${query}: ${res.status}`);
      total = body.total;
    }
    rows.push({ query, p50: ms(quantile(times, 0.5)), p95: ms(quantile(times, 0.95)), total });
  }
  made.closeStreams();
  server.close();
  return { projects: PROJECTS, createSeconds: ms(createSeconds), rows };
}

const load = values.only === 'ledger' ? null : await firstLoad();
if (load !== null) {
  console.log(`\nDashboard first load (demo campaign, cold context, loopback), ${LOADS} loads`);
  console.log(
    `  to both charts drawn: ${load.loadMs.join(', ')} ms — p50 ${load.loadP50Ms} ms, max ${load.loadMaxMs} ms`,
  );
  console.log(
    `  JavaScript: ${load.scripts} files, ${load.jsRawKb} kB raw, ${load.jsGzipKb} kB gzipped ` +
      `(${load.jsServedKb} kB as served), of which ECharts chunk ${load.echartsGzipKb} kB gzipped`,
  );
}
const table = await ledger();
console.log(
  `\n项目台账 at ${table.projects.toLocaleString('en')} projects (created in ${table.createSeconds} s), page of 50`,
);
console.log('| query | matched | p50 ms | p95 ms |\n| --- | ---: | ---: | ---: |');
for (const r of table.rows)
  console.log(`| \`${decodeURIComponent(r.query)}\` | ${r.total.toLocaleString('en')} | ${r.p50} | ${r.p95} |`);
console.log(JSON.stringify({ load, ledger: table }));
process.exit(0);
