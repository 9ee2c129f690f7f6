/**
 * The campaign report and the dashboard's reads at scale: cold, warm, and after one more journal
 * entry — what a dashboard asks while staff keep filing — and the longest a write waits while a
 * report is being computed (it is computed on the event loop).
 *
 *   npx tsx bench/report.ts [--projects 10000] [DIR]
 *
 * Without DIR, a generated campaign of `--projects` projects (60 units) is simulated into a
 * temporary directory (as `gongjian simulate --data` does) and opened as a server opens it. With
 * DIR, that directory is opened read-only and only the reads are measured (nothing is written to
 * it). Prints a table, then one JSON line: `{ projects, entries, reportColdMs, reportWarmMs,
 * reportAfterEntryMs, longestWriteDuringReportMs }` (the last two null with DIR).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CampaignService, Engine, FileStore, generateScenario, parseScenario, simulate } from '../engine/index.ts';
import { boundHeapGrowth } from '../cli/heap-growth.ts';
import { fromBundle } from './bundled.ts';

await fromBundle('report');
// As the CLI runs: the heap grows at most twice what is live.
boundHeapGrowth();

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { projects: { type: 'string', default: '10000' }, sources: { type: 'boolean', default: false } },
});
const PROJECTS = Number(values.projects);
const given = positionals[0];

let dir = given;
if (dir === undefined) {
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
    while (!computed) {
      const started = performance.now();
      await oneMoreEntry();
      worst = Math.max(worst, performance.now() - started);
    }
    await report;
    console.log(
      `${`longest write while a report is computed, ${round}`.padEnd(44)} ${worst.toFixed(1).padStart(9)} ms`,
    );
    writeWaits.push(worst);
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
  }),
);
