/**
 * The inspector's figures:
 *  1. layout + first render of the project statechart: in the signed-in app, from choosing the
 *     project machine (on /inspect/problem) to its chart drawn (the next animation frame after the
 *     SVG is in the page). The first run is cold — the server lays the machine out with ELK — the
 *     others are warm (the layout is cached per machine). Also: a cold page load of
 *     /inspect/project (new browser context, empty cache) to the chart drawn.
 *  2. the inspector's JavaScript beyond what the web app already loads (the scripts of
 *     /inspect/project not loaded by /projects), gzipped.
 *
 *   npx tsx bench/inspect.ts [--runs 10]
 *
 * Needs Debian's Chromium (/usr/bin/chromium). Prints a table, then one JSON line.
 */
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { pino } from 'pino';
import { ensureWebBuilt } from '../cli/web-build.ts';
import { Engine, MemoryStore, StaffDirectory } from '../engine/index.ts';
import { createApp } from '../server/app.ts';
import { launchBrowser } from '../test/support/browser.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const RUNS = Number(values.runs);
const ms = (x: number) => Math.round(x * 10) / 10;
const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

await ensureWebBuilt((m) => process.stderr.write(`${m}\n`));
const dir = await mkdtemp(join(tmpdir(), 'gj-inspect-bench-'));
const engine = new Engine({ store: new MemoryStore() });
await engine.open();
await engine.create(
  'project',
  {
    id: 'bench-1',
    name: '检查器基准项目',
    unitId: 'u1',
    plannedInvestment: 9000,
    stage: 'signed',
    land: { requiredMu: 10, houses: 0 },
  },
  { actor: 'bench' },
);
const staff = new StaffDirectory(dir);
await staff.createAccount({ login: 'bench', name: 'bench', role: 'hq', password: 'inspect the machines 1' });
const made = createApp({ engine, staff, logger: pino({ level: 'silent' }) });
const server = made.app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await launchBrowser();
if (browser === null) throw new Error('Chromium is needed: apt-get install -y chromium');
const setup = await browser.newContext();
const login = await setup.request.post(`${base}/api/session`, {
  data: { login: 'bench', password: 'inspect the machines 1' },
  headers: { Origin: base },
});
if (login.status() !== 201) throw new Error(`sign-in failed: ${login.status()}`);
const storageState = await setup.storageState();

const nextFrame = (page: Page) =>
  page.evaluate(
    () =>
      new Promise((resolve) =>
        (globalThis as unknown as { requestAnimationFrame(f: () => void): void }).requestAnimationFrame(() =>
          resolve(0),
        ),
      ),
  );

/** Scripts a page loads (path → gzipped size). */
async function scriptsOf(path: string, ready: string): Promise<Map<string, number>> {
  const context = await browser!.newContext({ storageState });
  const page = await context.newPage();
  const loaded: Promise<[string, number]>[] = [];
  page.on('response', (r) => {
    if (r.request().resourceType() === 'script')
      loaded.push(r.body().then((body) => [new URL(r.url()).pathname, gzipSync(body, { level: 6 }).length]));
  });
  await page.goto(base + path);
  await page.locator(ready).first().waitFor({ timeout: 30_000 });
  const out = new Map(await Promise.all(loaded));
  await context.close();
  return out;
}

// 1. In the app: /inspect/problem → the project machine, RUNS times (the first cold on the server).
const switches: number[] = [];
const context = await browser.newContext({ storageState, viewport: { width: 1400, height: 1000 } });
const page = await context.newPage();
for (let i = 0; i < RUNS; i++) {
  await page.goto(`${base}/inspect/problem`);
  await page.locator('[data-testid="statechart"][data-machine="problem"]').waitFor({ timeout: 30_000 });
  const started = performance.now();
  await page.getByTestId('machine-project').click();
  await page.locator('[data-testid="statechart"][data-machine="project"]').waitFor({ timeout: 30_000 });
  await nextFrame(page);
  switches.push(performance.now() - started);
}
await context.close();

// A cold page load of /inspect/project (empty cache, signed in) to the chart drawn.
const loads: number[] = [];
for (let i = 0; i < Math.min(RUNS, 5); i++) {
  const c = await browser.newContext({ storageState, viewport: { width: 1400, height: 1000 } });
  const p = await c.newPage();
  const started = performance.now();
  await p.goto(`${base}/inspect/project?instance=bench-1`);
  await p.locator('[data-state-id="project.lifecycle.signed"][data-active="1"]').waitFor({ timeout: 30_000 });
  await nextFrame(p);
  loads.push(performance.now() - started);
  await c.close();
}

// 2. JavaScript beyond the app's.
const app = await scriptsOf('/projects', '[data-testid="projects-table"]');
const inspector = await scriptsOf('/inspect/project?instance=bench-1', '[data-testid="statechart"]');
const extra = [...inspector].filter(([path]) => !app.has(path));
const kb = (n: number) => Math.round(n / 102.4) / 10;
const figures = {
  switchMs: switches.map(ms),
  coldSwitchMs: ms(switches[0]!),
  warmSwitchP50Ms: ms(quantile(switches.slice(1), 0.5)),
  warmSwitchMaxMs: ms(Math.max(...switches.slice(1))),
  pageLoadMs: loads.map(ms),
  pageLoadP50Ms: ms(quantile(loads, 0.5)),
  appJsGzipKb: kb([...app.values()].reduce((a, b) => a + b, 0)),
  inspectorExtraJsGzipKb: kb(extra.reduce((a, [, n]) => a + n, 0)),
  inspectorExtraFiles: extra.map(([path, n]) => `${path.replace('/assets/', '')} ${kb(n)} kB`),
};
const f = figures;
console.log(
  [
    '',
    `Inspector, project statechart (${RUNS} runs, Chromium headless, loopback)`,
    `  choose the project machine → chart drawn: cold ${f.coldSwitchMs} ms (ELK layout on the server),`,
    `    warm p50 ${f.warmSwitchP50Ms} ms, max ${f.warmSwitchMaxMs} ms`,
    `  cold page load of /inspect/project?instance=… → live chart drawn: p50 ${f.pageLoadP50Ms} ms`,
    `    (${f.pageLoadMs.join(', ')})`,
    `  JavaScript: the app (/projects) ${f.appJsGzipKb} kB gzipped; the inspector adds ${f.inspectorExtraJsGzipKb} kB:`,
    ...f.inspectorExtraFiles.map((x) => `    ${x}`),
  ].join('\n'),
);
console.log(JSON.stringify(figures));
await browser.close();
made.closeStreams();
server.close();
await engine.close();
await rm(dir, { recursive: true, force: true });
