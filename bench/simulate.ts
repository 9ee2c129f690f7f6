/**
 * The generated 10,000-project campaign (seed 11, 60 units) simulated, against the same events
 * on bare XState actors.
 *
 *   npx tsx bench/simulate.ts [--projects 10000] [--rounds 3] [--skip durable] [--sources]
 *
 * Runs from its bundle (dist/bench/simulate.mjs), as `gongjian simulate` runs from the CLI's;
 * `--sources` runs the TypeScript through tsx instead (see bench/bundled.ts).
 *
 * - in memory: `simulate()` on a MemoryStore (machines, guards, journal entries, supervisions,
 *   rankings, the report);
 * - durable: the same on a FileStore in a temporary directory, as `gongjian simulate --data` runs
 *   it (written as it goes, fdatasync'd once at the end: the simulation owns its store);
 * - baseline: every entity the simulation created, created again as a bare live XState actor
 *   from the same initial snapshot, and every event the simulation journalled (accepted or
 *   refused) sent to it in journal order — what XState alone costs for this campaign.
 *
 * The in-memory simulation and the baseline alternate for `--rounds` rounds in one process
 * (medians reported): each measured with the JIT as warm as the other's.
 *
 * Profile with `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/simulate.ts` (the flag
 * is passed on to the bundle's process, whose profile is the one to read).
 * Prints a table, then one JSON line:
 * `{ projects, events, seconds, durableSeconds, baselineSeconds, overheadFactor, peakRssMb }`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createActor, type AnyActor } from 'xstate';
import { generateScenario, kindOf, migrateInput, parseScenario, restorable, simulate } from '../engine/index.ts';
import { FileStore, type JournalEntry } from '../store/index.ts';
import { boundHeapGrowth } from '../cli/heap-growth.ts';
import { BUNDLED, fromBundle } from './bundled.ts';

await fromBundle('simulate');

// As the CLI runs (serve, verify, simulate): the heap grows at most twice what is live.
boundHeapGrowth();

const { values } = parseArgs({
  options: {
    projects: { type: 'string', default: '10000' },
    skip: { type: 'string', default: '' },
    rounds: { type: 'string', default: '3' },
    sources: { type: 'boolean', default: false },
  },
});
const projects = Number(values.projects);
const rounds = Number(values.rounds);
const scenario = parseScenario(generateScenario({ projects, units: 60, seed: 11 }));

// A full collection before each timed part: neither starts with the other's garbage to collect.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/** The same creations and events on bare live actors, nothing else. */
function baseline(entries: readonly JournalEntry[]): number {
  collect();
  const started = performance.now();
  const actors = new Map<string, AnyActor>();
  for (const entry of entries) {
    const key = `${entry.entity} ${entry.id}`;
    if (entry.kind === 'create') {
      const kind = kindOf(entry.entity);
      const snapshot = kind.initial(migrateInput(kind, entry.machineVersion, entry.input, { records: () => [] }));
      actors.set(key, createActor(kind.machine, { snapshot: restorable(snapshot) }).start());
    } else if (entry.kind === 'event' || entry.kind === 'refusal') {
      actors.get(key)?.send(entry.event as { type: string });
    }
  }
  return (performance.now() - started) / 1000;
}

// Alternating rounds, the same process: the simulation and the baseline each measured `rounds`
// times, one after the other, so neither alone pays for the JIT warming up (the first
// simulation warms XState's code that the baseline then runs) — the median of each is reported.
const simulated: number[] = [];
const baselines: number[] = [];
let entries: JournalEntry[] = [];
let counts = { events: 0 };
for (let round = 0; round < rounds; round++) {
  entries = [];
  collect();
  const started = performance.now();
  const run = await simulate(scenario);
  simulated.push((performance.now() - started) / 1000);
  counts = run.counts;
  for await (const entry of run.engine.store.entries()) entries.push(entry);
  await run.engine.close();
  baselines.push(baseline(entries));
  console.log(
    `round ${round + 1}: simulate ${simulated.at(-1)!.toFixed(2)} s, bare XState ${baselines.at(-1)!.toFixed(2)} s`,
  );
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const seconds = median(simulated);
const baselineSeconds = median(baselines);

let durableSeconds = Number.NaN;
if (!values.skip.split(',').includes('durable')) {
  const dir = await mkdtemp(join(tmpdir(), 'gongjian-simulate-'));
  collect();
  const durableStarted = performance.now();
  // As `gongjian simulate --data` runs it: the simulation owns the store, fdatasync'd at the end.
  const durable = await simulate(scenario, { store: new FileStore(dir, { sync: 'close' }) });
  await durable.engine.close();
  durableSeconds = (performance.now() - durableStarted) / 1000;
  await rm(dir, { recursive: true, force: true });
}

const events = entries.filter((e) => e.kind === 'event' || e.kind === 'refusal').length;
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
const overheadFactor = seconds / baselineSeconds;
console.log(
  `${projects.toLocaleString('en')} projects, ${counts.events.toLocaleString('en')} scenario events, ` +
    `${entries.length.toLocaleString('en')} journal entries (${events.toLocaleString('en')} events sent to machines)`,
);
console.log(`simulate, in memory        ${seconds.toFixed(2).padStart(6)} s   (median of ${rounds})`);
console.log(`simulate, durable (--data) ${durableSeconds.toFixed(1).padStart(6)} s`);
console.log(
  `bare XState actors         ${baselineSeconds.toFixed(2).padStart(6)} s   overhead ×${overheadFactor.toFixed(2)}`,
);
console.log(`peak RSS                   ${peakRssMb} MB`);
console.log(`ran from                   ${BUNDLED ? 'the bundle (dist/bench/simulate.mjs)' : 'the sources (tsx)'}`);
console.log(
  JSON.stringify({
    projects,
    events,
    seconds: Number(seconds.toFixed(2)),
    durableSeconds: Number(durableSeconds.toFixed(2)),
    baselineSeconds: Number(baselineSeconds.toFixed(2)),
    overheadFactor: Number(overheadFactor.toFixed(2)),
    peakRssMb,
    from: BUNDLED ? 'bundle' : 'sources',
  }),
);
