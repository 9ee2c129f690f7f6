/**
 * The campaign report and the dashboard's reads at scale: cold, warm, and after one more journal
 * entry — what a dashboard asks while staff keep filing — and the longest a write waits while a
 * report is being computed (it is computed on the event loop).
 *
 *   npx tsx bench/report.ts [--projects 10000] [DIR [--writable]]
 *
 * Without DIR, a generated campaign of `--projects` projects (60 units) is simulated into a
 * temporary directory (as `gongjian simulate --data` does) and opened as a server opens it. With
 * DIR, that directory is opened read-only and only the reads are measured (nothing is written to
 * it); with DIR and `--writable`, a copy of DIR is measured, writes included (to rerun on one
 * simulated campaign: `gongjian scenario generate --projects 100000 --units 60 --seed 11 --out
 * s.json && gongjian simulate --scenario s.json --data DIR`). Prints a table, then one JSON line:
 * `{ projects, entries, reportColdMs, reportWarmMs, reportAfterEntryMs, longestWriteDuringReportMs,
 * longestWriteAloneMs, serialiseMs, serialiseDashboardMs, pageMs, pageHeldMs, workbookMs,
 * workbookHeldMs }` (longestWrite… and reportAfterEntryMs null when read-only; longestWriteAloneMs:
 * as many writes with no report in progress; …HeldMs: the longest the event loop was held).
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  CampaignService,
  Engine,
  FileStore,
  generateScenario,
  inSlices,
  parseScenario,
  simulate,
} from '../engine/index.ts';
import { boundHeapGrowth } from '../cli/heap-growth.ts';
import { reportHtmlSteps, reportXlsx } from '../report/index.ts';
import { fromBundle } from './bundled.ts';

await fromBundle('report');
// As the CLI runs: the heap grows at most twice what is live.
boundHeapGrowth();

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    projects: { type: 'string', default: '10000' },
    sources: { type: 'boolean', default: false },
    writable: { type: 'boolean', default: false },
  },
});
const PROJECTS = Number(values.projects);
/** The directory to open read-only, if any. */
let given = positionals[0];

let dir = given;
if (dir !== undefined && values.writable) {
  dir = await mkdtemp(join(tmpdir(), 'gj-report-'));
  await cp(given!, dir, { recursive: true });
  given = undefined;
} else if (dir === undefined) {
  dir = await mkdtemp(join(tmpdir(), 'gj-report-'));
  const scenario = parseScenario(generateScenario({ projects: PROJECTS, units: 60, seed: 11 }));
  const started = performance.now();
  const { engine } = await simulate(scenario, { store: new FileStore(dir, { sync: 'close' }) });
  await engine.close();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`simulated ${PROJECTS.toLocaleString('en')} projects into ${dir} in ${seconds} s`);
}
const engine = new Engine({ store: new FileStore(dir, { readOnly: given !== undefined }) });
await engine.open();
const campaigns = new CampaignService(engine);
const id = engine.list('campaign')[0]!.id;
const projectIds = engine.summaries('project').map((p) => p.id);

const time = async (label: string, run: () => Promise<unknown>): Promise<number> => {
  const started = performance.now();
  await run();
  const ms = performance.now() - started;
  console.log(`${label.padEnd(44)} ${ms.toFixed(1).padStart(9)} ms`);
  return ms;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const reports: number[] = [];
for (let round = 1; round <= 3; round++) {
  reports.push(await time(`report, round ${round}`, () => campaigns.report(id)));
  await time(`supervisions, round ${round}`, () => campaigns.supervisions(id));
  await time(`total drill-down, round ${round}`, () => campaigns.totalProjects(id, 'majorSignings'));
}
// What the API answers is this report serialised: whole, and as the dashboard asks for it
// (`?omit=projects,projectLights,refusals`).
const whole = (await campaigns.report(id))!;
const dashboard = { ...whole, projects: undefined, projectLights: undefined, refusals: undefined };
const serialised = await time('report serialised whole (JSON)', async () => JSON.stringify(whole));
const withoutRows = await time('report serialised as the dashboard asks', async () => JSON.stringify(dashboard));
const mb = (value: unknown) => (JSON.stringify(value).length / 1e6).toFixed(1);
console.log(`${'report JSON whole / as the dashboard asks'.padEnd(44)} ${mb(whole)} / ${mb(dashboard)} MB`);
// The printable page and the workbook as the API makes them, and the longest the event loop was
// held meanwhile (a 1 ms timer's longest gap).
await import('exceljs'); // loaded once per process (≈ 0.5 s), before it is timed
const stall = async (label: string, make: () => Promise<number>): Promise<{ ms: number; stallMs: number }> => {
  let longest = 0;
  let last = performance.now();
  const probe = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  const started = performance.now();
  const bytes = await make();
  const ms = performance.now() - started;
  // The probe's last gap (up to the end of the work) counted too.
  await new Promise((resolve) => setTimeout(resolve, 5));
  clearInterval(probe);
  const size = `${(bytes / 1e6).toFixed(1)} MB, held ≤ ${longest.toFixed(0)} ms`;
  console.log(`${label.padEnd(44)} ${ms.toFixed(0).padStart(9)} ms, ${size}`);
  return { ms, stallMs: longest };
};
const page = await stall(
  'report page (HTML, made in slices)',
  async () => (await inSlices(reportHtmlSteps(whole))).length,
);
const book = await stall('report workbook (xlsx, streamed)', async () => (await reportXlsx(whole)).length);
// One more journal entry — an event refused (dated in 2099): journalled, it moves the position as any entry does.
let n = 0;
const oneMoreEntry = () =>
  engine.send(
    'project',
    projectIds[n++ % projectIds.length]!,
    { type: 'ALLOCATE_BOND', amount: 1, at: '2099-01-01' },
    { actor: 'bench' },
  );
const afterEntry: number[] = [];
const writeWaits: number[] = [];
const writeAlone: number[] = [];
if (given === undefined) {
  for (let round = 1; round <= 3; round++) {
    await oneMoreEntry();
    afterEntry.push(await time(`report after one more entry, round ${round}`, () => campaigns.report(id)));
  }
  for (let round = 1; round <= 3; round++) {
    await oneMoreEntry();
    // A dashboard asks; members keep filing, one after another, until it has its report: the
    // longest any of them waited for an acknowledgement.
    let computed = false;
    const report = campaigns.report(id).then(() => {
      computed = true;
    });
    let worst = 0;
    let writes = 0;
    while (!computed) {
      const started = performance.now();
      await oneMoreEntry();
      worst = Math.max(worst, performance.now() - started);
      writes += 1;
    }
    await report;
    const label = `longest write while a report is computed, ${round}`;
    console.log(`${label.padEnd(44)} ${worst.toFixed(1).padStart(9)} ms (of ${writes})`);
    writeWaits.push(worst);
    // The same number of writes with no report in progress: what a write waits anyway (the disk, GC).
    let alone = 0;
    for (let i = 0; i < writes; i++) {
      const started = performance.now();
      await oneMoreEntry();
      alone = Math.max(alone, performance.now() - started);
    }
    console.log(
      `${`longest of as many writes with no report, ${round}`.padEnd(44)} ${alone.toFixed(1).padStart(9)} ms`,
    );
    writeAlone.push(alone);
  }
}
const entries = engine.store.position();
console.log(`journal position ${entries.toLocaleString('en')}, ${projectIds.length.toLocaleString('en')} projects`);
await engine.close();
if (given === undefined) await rm(dir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    projects: projectIds.length,
    entries,
    reportColdMs: Number(reports[0]!.toFixed(1)),
    reportWarmMs: Number(median(reports.slice(1)).toFixed(1)),
    reportAfterEntryMs: afterEntry.length === 0 ? null : Number(median(afterEntry).toFixed(1)),
    longestWriteDuringReportMs: writeWaits.length === 0 ? null : Number(median(writeWaits).toFixed(1)),
    longestWriteAloneMs: writeAlone.length === 0 ? null : Number(median(writeAlone).toFixed(1)),
    serialiseMs: Number(serialised.toFixed(1)),
    serialiseDashboardMs: Number(withoutRows.toFixed(1)),
    pageMs: Math.round(page.ms),
    pageHeldMs: Math.round(page.stallMs),
    workbookMs: Math.round(book.ms),
    workbookHeldMs: Math.round(book.stallMs),
  }),
);
