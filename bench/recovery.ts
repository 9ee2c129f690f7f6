/**
 * Recovery at scale: how long a data directory with a long journal takes to start, to replay
 * from nothing, and to verify — and how much memory each needs.
 *
 *   npx tsx bench/recovery.ts [--entries 1000000] [--projects 100000] [--dir DIR] [--skip verify,serve]
 *                             [--sources]
 *
 * The journal is generated once into DIR (default: $TMPDIR/gongjian-recovery-<entries>-<projects>)
 * and reused by later runs: `projects` creations, then events spread uniformly at random over
 * the projects (bond allocations and disbursements, 1 in 20 refused), each sent with an
 * Idempotency-Key as the web app sends it, through the engine on a FileStore — real entries,
 * hash-chained, fdatasync'd, checkpointed and sealed into segments as a server does. Each
 * measurement runs in its own process, so its peak RSS is its own:
 * - start: `Engine.open()` with the checkpoint the generator left (as fresh as a stop leaves it);
 * - replay: the same journal without a checkpoint (every entry replayed through the machines);
 * - verify: `verify()` (hash chain, replay from scratch, comparison with the checkpoint);
 * - serve: `gongjian serve` launched on DIR as `npm start` launches it (bin/gongjian.js, its
 *   bundle built beforehand), timed from the launch to its first `/healthz` answer.
 *
 * Each runs from the bench's bundle (dist/bench/recovery.mjs), as `gongjian serve` and `verify`
 * run from the CLI's; `--sources` runs the TypeScript through tsx instead (see bench/bundled.ts).
 *
 * Prints a table, then one JSON line: `{ entries, projects, startSeconds, replaySeconds,
 * verifySeconds, peakRssMb, bytesPerEntry, serveHealthzSeconds }`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { link, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Engine, seededRandom, verify } from '../engine/index.ts';
import { FileStore } from '../store/index.ts';
import { boundHeapGrowth, launchFlags } from '../cli/heap-growth.ts';
import { packageRoot } from '../server/assets.ts';
import { BUNDLED, fromBundle } from './bundled.ts';

await fromBundle('recovery');

// As the CLI runs (serve, verify, simulate): the heap grows at most twice what is live.
boundHeapGrowth();

const { values } = parseArgs({
  options: {
    entries: { type: 'string', default: '1000000' },
    projects: { type: 'string', default: '100000' },
    dir: { type: 'string' },
    phase: { type: 'string' },
    skip: { type: 'string', default: '' },
    sources: { type: 'boolean', default: false },
  },
});
const ENTRIES = Number(values.entries);
const PROJECTS = Math.min(Number(values.projects), ENTRIES);
const DIR = values.dir ?? join(tmpdir(), `gongjian-recovery-${ENTRIES}-${PROJECTS}`);
const IN_FLIGHT = 64;

async function generate(): Promise<void> {
  await rm(DIR, { recursive: true, force: true });
  await mkdir(DIR, { recursive: true });
  // Checkpoints and segments as a server makes them (every max(5,000, records) entries; 64 MiB).
  const store = new FileStore(DIR);
  const engine = new Engine({ store, clock: () => '2022-12-31T00:00:00.000Z' });
  await engine.open();
  let issued = 0;
  const started = performance.now();
  const progress = setInterval(() => {
    const rate = issued / ((performance.now() - started) / 1000);
    process.stderr.write(
      `generating: ${issued.toLocaleString('en')} of ${ENTRIES.toLocaleString('en')} entries, ` +
        `${Math.round(rate)}/s\n`,
    );
  }, 10_000);
  const random = seededRandom(ENTRIES);
  const next = async (): Promise<void> => {
    const n = issued++;
    if (n < PROJECTS) {
      const outcome = await engine.create(
        'project',
        {
          id: `p${n}`,
          name: `项目${n}`,
          unitId: `u${n % 60}`,
          plannedInvestment: 1000 + (n % 997),
          asOf: '2022-08-01',
          bond: { allocated: 1 },
        },
        { actor: 'hq' },
      );
      if (outcome.status !== 'created') throw new Error(`creating p${n}: ${outcome.status}`);
      return;
    }
    const id = `p${Math.floor(random() * PROJECTS)}`;
    const roll = random();
    // 1 in 20 refused (a disbursement beyond what was allocated), as staff mistakes are.
    const event =
      roll < 0.05
        ? { type: 'DISBURSE_BOND', amount: 1e9, at: '2022-08-03' }
        : roll < 0.3
          ? { type: 'DISBURSE_BOND', amount: 0.001, at: '2022-08-03' }
          : { type: 'ALLOCATE_BOND', amount: 1, at: '2022-08-02' };
    const outcome = await engine.send('project', id, event, { actor: 'fin', idempotencyKey: `k${n}` });
    if (outcome.status !== 'accepted' && outcome.status !== 'rejected')
      throw new Error(`event ${n} on ${id}: ${outcome.status}`);
  };
  // Creations first (events need their project), then the events, IN_FLIGHT at a time.
  for (const until of [PROJECTS, ENTRIES])
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (issued < until) await next();
      }),
    );
  clearInterval(progress);
  await engine.close();
  await writeFile(join(DIR, 'bench.json'), JSON.stringify({ entries: ENTRIES, projects: PROJECTS }));
}

/** One measurement in this process: prints `{ seconds, rssMb }`. */
async function phase(name: string): Promise<void> {
  const started = performance.now();
  if (name === 'start' || name === 'replay') {
    const dir = name === 'start' ? DIR : join(DIR, 'replay');
    if (name === 'replay') {
      // The same journal (its segments and the active file), no checkpoint.
      await rm(dir, { recursive: true, force: true });
      await mkdir(join(dir, 'journal'), { recursive: true });
      await link(join(DIR, 'journal.jsonl'), join(dir, 'journal.jsonl'));
      for (const file of await readdir(join(DIR, 'journal')).catch(() => []))
        await link(join(DIR, 'journal', file), join(dir, 'journal', file));
    }
    const store = new FileStore(dir);
    const engine = new Engine({ store });
    await engine.open();
    const seconds = (performance.now() - started) / 1000;
    const projects = engine.summaries('project').length;
    await store.close({ checkpoint: false });
    if (name === 'replay') await rm(dir, { recursive: true, force: true });
    report({ seconds, projects });
  } else if (name === 'verify') {
    const result = await verify(DIR);
    if (!result.ok) throw new Error(`verify failed: ${JSON.stringify(result.firstBad)}`);
    report({ seconds: (performance.now() - started) / 1000, projects: result.projects, entries: result.entries });
  } else throw new Error(`unknown phase ${name}`);
}

function report(figures: Record<string, number>): void {
  const rssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(JSON.stringify({ ...figures, rssMb }));
}

/** Seconds from launching `gongjian serve` on DIR to its first `/healthz` 200 (then it is stopped). */
async function serveToHealthz(): Promise<number> {
  const bin = join(packageRoot(import.meta.dirname), 'bin', 'gongjian.js');
  // Build the bundle first (as a clone's first `npm start` does once): not part of a start.
  spawnSync(process.execPath, [bin, '--help'], { stdio: 'ignore' });
  const free = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => free.once('listening', resolve));
  const port = (free.address() as AddressInfo).port;
  await new Promise((resolve) => free.close(resolve));
  const launched = performance.now();
  // As `npm start` launches it (its flags: cli/heap-growth.ts).
  const child = spawn(
    process.execPath,
    [...launchFlags([], undefined), bin, 'serve', '--data', DIR, '--port', String(port)],
    { stdio: 'ignore' },
  );
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return (performance.now() - launched) / 1000;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
  }
}

function measure(name: string): { seconds: number; rssMb: number; projects: number } {
  const run = spawnSync(
    process.execPath,
    [
      // The parent's young generation: the size it was launched with, else the CLI's.
      ...launchFlags(process.execArgv, process.env.NODE_OPTIONS),
      ...process.execArgv.filter((flag) => /semi[-_]space/.test(flag)),
      // This bench's own code, as the parent runs it: its bundle, or the sources through tsx.
      ...(BUNDLED ? [] : ['--import', 'tsx']),
      import.meta.filename,
      ...['--phase', name, '--dir', DIR, '--entries', String(ENTRIES)],
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
  );
  if (run.status !== 0) throw new Error(`${name} failed (exit ${run.status}): ${run.stdout}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { seconds: number; rssMb: number; projects: number };
}

async function main(): Promise<void> {
  if (values.phase !== undefined) return phase(values.phase);
  const marker = join(DIR, 'bench.json');
  const made = existsSync(marker) ? (JSON.parse(await readFile(marker, 'utf8')) as { entries: number }) : null;
  if (made?.entries !== ENTRIES) {
    process.stderr.write(`generating ${ENTRIES.toLocaleString('en')} entries in ${DIR} (once)…\n`);
    await generate();
  }
  // The journal on disk: the active file and every sealed segment (compressed, with its index).
  const active = (await stat(join(DIR, 'journal.jsonl'))).size;
  const segmentFiles = await readdir(join(DIR, 'journal')).catch(() => [] as string[]);
  let bytes = active;
  for (const file of segmentFiles) bytes += (await stat(join(DIR, 'journal', file))).size;
  const sealed = segmentFiles.filter((f) => f.endsWith('.jsonl.gz')).length;
  const skip = new Set(values.skip.split(','));
  const none = { seconds: Number.NaN, rssMb: Number.NaN, projects: Number.NaN };
  const start = skip.has('start') ? none : measure('start');
  const replay = skip.has('replay') ? none : measure('replay');
  const checked = skip.has('verify') ? none : measure('verify');
  const served = skip.has('serve') ? Number.NaN : await serveToHealthz();
  const row = (what: string, m: typeof none) =>
    `${what.padEnd(36)} ${m.seconds.toFixed(1).padStart(8)} s ${String(m.rssMb).padStart(7)} MB peak RSS`;
  console.log(
    `${ENTRIES.toLocaleString('en')} journal entries, ${PROJECTS.toLocaleString('en')} projects: journal ` +
      `${(bytes / 2 ** 20).toFixed(0)} MiB on disk (${Math.round(bytes / ENTRIES)} bytes/entry), ${sealed} sealed ` +
      `segments + ${(active / 2 ** 20).toFixed(1)} MiB active`,
  );
  console.log(row('start, fresh checkpoint', start));
  console.log(row('start replaying the whole journal', replay));
  console.log(row('verify', checked));
  console.log(`${'serve: launch to first /healthz'.padEnd(36)} ${served.toFixed(1).padStart(8)} s`);
  const finite = [start, replay, checked].map((m) => m.rssMb).filter(Number.isFinite);
  console.log(
    JSON.stringify({
      entries: ENTRIES,
      projects: PROJECTS,
      startSeconds: Number(start.seconds.toFixed(2)),
      replaySeconds: Number(replay.seconds.toFixed(2)),
      verifySeconds: Number(checked.seconds.toFixed(2)),
      peakRssMb: Math.max(...finite),
      bytesPerEntry: Math.round(bytes / ENTRIES),
      serveHealthzSeconds: Number(served.toFixed(2)),
      from: BUNDLED ? 'bundle' : 'sources',
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
