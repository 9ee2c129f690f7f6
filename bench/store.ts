/**
 * Durable commits per second at 1k, 10k and 100k projects: committing one event must cost the
 * same whatever the store's size (it appends one journal line; it never rewrites the document).
 *
 *   npx tsx bench/store.ts [--commits 20000] [--sizes 1000,10000,100000]
 *
 * Two measurements per size, 64 commits in flight (as under HTTP load), every one written and
 * fdatasync'd before it is acknowledged:
 * - store: `FileStore.commit` of real journal entries carrying real project records (the
 *   issue's figure: the persistence cost per event);
 * - engine: `Engine.send` end to end (machine, journal, record), cold (right after loading,
 *   so most events also restore their project's actor) and warm (after `engine.warmUp()`).
 *   Beyond the live-actor cache (20,000) a random event restores its actor (≈ 30–100 µs), so
 *   at 100k projects the engine's rate is bounded by restores, not by the store.
 *
 * Prints a table, then one JSON line of the figures.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Engine } from '../engine/index.ts';
import { FileStore, type EntityRecord } from '../store/index.ts';

const { values } = parseArgs({
  options: { commits: { type: 'string', default: '20000' }, sizes: { type: 'string', default: '1000,10000,100000' } },
});
const COMMITS = Number(values.commits);
const SIZES = values.sizes.split(',').map(Number);
const IN_FLIGHT = 64;

function prng(seed: number): () => number {
  return () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
}

/** Runs `COMMITS` operations with IN_FLIGHT outstanding; seconds taken and sorted latencies. */
async function run(op: () => Promise<unknown>): Promise<{ seconds: number; latencies: number[] }> {
  const latencies: number[] = [];
  let issued = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (issued < COMMITS) {
        issued += 1;
        const t = performance.now();
        await op();
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latencies: latencies.sort((a, b) => a - b) };
}

const pct = (sorted: number[], p: number) => Number(sorted[Math.floor(sorted.length * p)]!.toFixed(2));

interface Row {
  projects: number;
  commitsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  eventsPerFsync: number;
  engineColdPerSecond: number;
  engineWarmPerSecond: number;
  checkpointMs: number;
  checkpointMB: number;
}

async function measure(projects: number): Promise<Row> {
  const dir = await mkdtemp(join(tmpdir(), 'gongjian-bench-'));
  const store = new FileStore(dir);
  const engine = new Engine({ store });
  await engine.open();
  for (let i = 0; i < projects; i += 1000) {
    await Promise.all(
      Array.from({ length: Math.min(1000, projects - i) }, (_, j) =>
        engine.create(
          'project',
          {
            id: `p${i + j}`,
            name: `项目${i + j}`,
            unitId: `u${(i + j) % 40}`,
            plannedInvestment: 1000 + j,
            asOf: '2022-08-01',
            bond: { allocated: 1 },
          },
          { actor: 'hq' },
        ),
      ),
    );
  }
  await store.checkpoint();
  const random = prng(projects);
  const pick = () => `p${Math.floor(random() * projects)}`;

  // The store alone: each commit journals an accepted event and replaces a real project record.
  const sample = store.get('project', 'p0')!;
  const syncsBefore = store.syncs;
  const storeRun = await run(() => {
    const id = pick();
    const record: EntityRecord = { ...sample, id, version: sample.version + 1 };
    return store.commit(
      {
        kind: 'event',
        entity: 'project',
        id,
        at: '2022-08-02',
        actor: 'fin',
        event: { type: 'ALLOCATE_BOND', amount: 1, at: '2022-08-02' },
        from: {
          lifecycle: 'negotiating',
          permits: 'pending',
          land: 'notRequired',
          bond: 'allocated',
          statistics: 'unregistered',
          support: 'normal',
        },
        to: {
          lifecycle: 'negotiating',
          permits: 'pending',
          land: 'notRequired',
          bond: 'allocated',
          statistics: 'unregistered',
          support: 'normal',
        },
        version: record.version,
        machineVersion: 1,
        recordedAt: new Date().toISOString(),
      },
      record,
    );
  });
  const syncs = store.syncs - syncsBefore;

  // The engine end to end.
  const send = async () => {
    const outcome = await engine.send(
      'project',
      pick(),
      { type: 'ALLOCATE_BOND', amount: 1, at: '2022-08-02' },
      { actor: 'fin' },
    );
    if (outcome.status !== 'accepted') throw new Error(`unexpected ${outcome.status}`);
  };
  const cold = await run(send);
  await engine.warmUp();
  const warm = await run(send);

  const t = performance.now();
  await store.checkpoint();
  const checkpointMs = performance.now() - t;
  const checkpointMB = (await stat(join(dir, 'store.json'))).size / 1e6;
  await engine.close();
  await rm(dir, { recursive: true, force: true });
  return {
    projects,
    commitsPerSecond: Math.round(COMMITS / storeRun.seconds),
    p50Ms: pct(storeRun.latencies, 0.5),
    p99Ms: pct(storeRun.latencies, 0.99),
    eventsPerFsync: Number((COMMITS / syncs).toFixed(1)),
    engineColdPerSecond: Math.round(COMMITS / cold.seconds),
    engineWarmPerSecond: Math.round(COMMITS / warm.seconds),
    checkpointMs: Math.round(checkpointMs),
    checkpointMB: Number(checkpointMB.toFixed(1)),
  };
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (const size of SIZES) {
    process.stderr.write(`measuring ${size} projects…\n`);
    rows.push(await measure(size));
  }
  console.log(`durable commits: ${COMMITS} per measurement, ${IN_FLIGHT} in flight, fdatasync before acknowledging`);
  console.log(
    'projects  store commits/s  p50 ms  p99 ms  events/fsync  engine cold/s  engine warm/s  checkpoint ms  ' +
      'checkpoint MB',
  );
  for (const r of rows) {
    console.log(
      [
        String(r.projects).padStart(8),
        String(r.commitsPerSecond).padStart(15),
        r.p50Ms.toFixed(2).padStart(6),
        r.p99Ms.toFixed(2).padStart(6),
        r.eventsPerFsync.toFixed(1).padStart(12),
        String(r.engineColdPerSecond).padStart(13),
        String(r.engineWarmPerSecond).padStart(13),
        String(r.checkpointMs).padStart(13),
        r.checkpointMB.toFixed(1).padStart(13),
      ].join('  '),
    );
  }
  const first = rows[0]!;
  const last = rows.at(-1)!;
  const ratio = (a: number, b: number) => `${((a / b) * 100).toFixed(0)}%`;
  const store = ratio(last.commitsPerSecond, first.commitsPerSecond);
  const warm = ratio(last.engineWarmPerSecond, first.engineWarmPerSecond);
  const cold = ratio(last.engineColdPerSecond, first.engineColdPerSecond);
  console.log(`${last.projects} vs ${first.projects} projects: store ${store}, engine warm ${warm}, cold ${cold}`);
  const by = (f: (r: Row) => number) => Object.fromEntries(rows.map((r) => [r.projects, f(r)]));
  console.log(
    JSON.stringify({
      bench: 'store',
      commitsPerSecond: by((r) => r.commitsPerSecond),
      p99Ms: by((r) => r.p99Ms),
      engineWarmPerSecond: by((r) => r.engineWarmPerSecond),
      engineColdPerSecond: by((r) => r.engineColdPerSecond),
      checkpointMs: by((r) => r.checkpointMs),
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
