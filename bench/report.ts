// The campaign report and the dashboard's reads at scale, cold and warm.
// Run: npx tsx bench/report.ts [dataDir]   (default: a 10,000-project campaign simulated into a temp dir)
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CampaignService, Engine, FileStore, generateScenario, parseScenario, simulate } from '../engine/index.ts';

async function dataDir(): Promise<string> {
  const given = process.argv[2];
  if (given !== undefined) return given;
  const dir = await mkdtemp(join(tmpdir(), 'gj-report-'));
  const scenario = parseScenario(generateScenario({ projects: 10_000, units: 60, seed: 11 }));
  const started = performance.now();
  const { engine } = await simulate(scenario, { store: new FileStore(dir) });
  await engine.close();
  console.log(`simulated 10,000 projects into ${dir} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return dir;
}

const dir = await dataDir();
const engine = new Engine({ store: new FileStore(dir, { readOnly: true }) });
await engine.open();
const campaigns = new CampaignService(engine);
const id = engine.list('campaign')[0]!.id;
const time = async (label: string, run: () => Promise<unknown>) => {
  const started = performance.now();
  await run();
  const ms = performance.now() - started;
  console.log(`${label.padEnd(40)} ${ms.toFixed(1).padStart(9)} ms`);
  return ms;
};
for (let round = 1; round <= 3; round++) {
  await time(`report, round ${round}`, () => campaigns.report(id));
  await time(`supervisions, round ${round}`, () => campaigns.supervisions(id));
  await time(`total drill-down, round ${round}`, () => campaigns.totalProjects(id, 'majorSignings'));
}
console.log(`journal position ${engine.store.position()}, ${engine.summaries('project').length} projects`);
