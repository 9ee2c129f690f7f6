/**
 * HTTP throughput: `POST /api/projects/:id/events` (authenticated, validated, guarded, journalled
 * and fdatasync'd before the answer) against a bare Express JSON endpoint, in the same run.
 *
 *   npx tsx bench/http.ts [--rounds 4] [--seconds 5] [--warmup 3] [--connections 64]
 *                         [--projects 1000|100000] [--sources]
 *
 * The servers run in a child process — from the bundle of bench/http-server.ts, as `gongjian
 * serve` runs from the CLI's (`--sources`: through tsx; see bench/bundled.ts); autocannon (the
 * load) runs here, on the same 2 cores.
 * The two endpoints are measured in alternating rounds (bare first in odd rounds, events first
 * in even ones) so that drift on a shared machine does not fall on one side; the figures are
 * over all rounds. Before the first round every endpoint is loaded for `--warmup` seconds, not
 * measured: a server answers warm (its code compiled by the JIT) after its first few thousand
 * requests, and a first round measured cold weighed on the endpoint with the most code to compile
 * — the events endpoint's first round took 700 µs of CPU per event, its later ones 450 (session 11).
 * Each event carries its own Idempotency-Key, as the web app's do. A third endpoint, the same
 * events sent with `?dryRun=true` (every layer, the same checks and the machine on a copy of the
 * project, nothing journalled or fsync'd), shows what the HTTP stack costs without the journal:
 * the ceiling a durable event could reach through it. A fourth, the layers the issue requires
 * (request log, security headers, bearer token, zod) on Express alone with a fixed answer, shows
 * what Express and those layers allow before any work on the event. A fifth, the engine alone on
 * bare Express (engine.send, journalled and fdatasync'd; no layer, no check of the route's), shows
 * what the engine costs over the bare endpoint. A sixth, XState and the disk alone (the live actor
 * asked `can` and sent the event, a JSON line group-committed and fdatasync'd; none of our engine),
 * is the least any implementation pays for the event. Prints a table, then one
 * JSON line: `{ eventsPerSecond, bareExpressPerSecond, ratio, p99Ms, bareP99Ms, p99Ratio,
 * projects, dryRunPerSecond, dryRunRatio, layersPerSecond, layersRatio, cpuUsPerEvent, cpuUsPerBare,
 * cpuRatio, … }` — the last three the server process's CPU time per request (every thread, asked
 * of the child before and after each load), steadier than throughput on a shared machine.
 */
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { benchBundle } from './bundled.ts';
import { launchFlags } from '../cli/heap-growth.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '4' },
    connections: { type: 'string', default: '64' },
    projects: { type: 'string', default: '1000' },
    // For a profile of one endpoint alone (BENCH_PROFILE=dir): e.g. --only events.
    only: { type: 'string', default: '' },
    sources: { type: 'boolean', default: false },
  },
});
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);
const ROUNDS = Number(values.rounds);
const CONNECTIONS = Number(values.connections);
const PROJECTS = Number(values.projects);

interface Figures {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  /** The server process's CPU time per answered request, µs (user + system, every thread). */
  cpuUs: number;
}

/** The server's CPU time so far (µs), asked of the child over its stdin. */
let serverCpu: () => Promise<number> = async () => Number.NaN;

let keys = 0;

async function load(
  url: string,
  headers: Record<string, string>,
  path: () => string,
  keyed = false,
  seconds = SECONDS,
): Promise<Figures> {
  const cpuBefore = await serverCpu();
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ type: 'ALLOCATE_BOND', amount: 1, at: '2022-08-02' }),
    requests: [
      {
        // Each event with its own Idempotency-Key, as the web app sends them.
        setupRequest: (req) => ({
          ...req,
          path: path(),
          ...(keyed ? { headers: { ...req.headers, 'idempotency-key': `bench-${process.pid}-${keys++}` } } : {}),
        }),
      },
    ],
  });
  const cpu = (await serverCpu()) - cpuBefore;
  return {
    perSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    cpuUs: Math.round(cpu / Math.max(1, result.requests.total)),
  };
}

async function main(): Promise<void> {
  const child = spawn(
    process.execPath,
    [
      // The server launched as `npm start` launches it (cli/heap-growth.ts).
      ...launchFlags(process.execArgv, process.env.NODE_OPTIONS),
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : []),
      ...(values.sources
        ? ['--import', 'tsx', join(import.meta.dirname, 'http-server.ts')]
        : [await benchBundle('http-server')]),
      String(PROJECTS),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  type Info = {
    api: number;
    bare: number;
    layers: number;
    engine: number;
    minimal: number;
    token: string;
    dir: string;
  };
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const info = JSON.parse((await lines.next()).value as string) as Info;
  serverCpu = async () => {
    child.stdin.write('cpu\n');
    return Number((await lines.next()).value);
  };
  let n = 0;
  const bareRuns: Figures[] = [];
  const eventRuns: Figures[] = [];
  const dryRuns: Figures[] = [];
  const layerRuns: Figures[] = [];
  const engineRuns: Figures[] = [];
  const minimalRuns: Figures[] = [];
  const bare = (seconds?: number) => load(`http://127.0.0.1:${info.bare}`, {}, () => '/bare', false, seconds);
  const events = (query = '', port = info.api, seconds?: number) =>
    load(
      `http://127.0.0.1:${port}`,
      { authorization: `Bearer ${info.token}` },
      () => {
        n = (n + 7919) % PROJECTS;
        return `/api/projects/p${n}/events${query}`;
      },
      query === '' && port === info.api,
      seconds,
    );
  const endpoints: [Figures[], (seconds?: number) => Promise<Figures>][] = [
    [bareRuns, bare],
    [eventRuns, (seconds) => events('', info.api, seconds)],
    [dryRuns, (seconds) => events('?dryRun=true', info.api, seconds)],
    [layerRuns, (seconds) => events('', info.layers, seconds)],
    [engineRuns, (seconds) => events('', info.engine, seconds)],
    [minimalRuns, (seconds) => events('', info.minimal, seconds)],
  ];
  // Each endpoint warmed up, unmeasured, before any is measured (see the header).
  const warmUp = async (runs: readonly (typeof endpoints)[number][]) => {
    if (WARMUP <= 0) return;
    process.stderr.write(`warming up each endpoint for ${WARMUP} s…\n`);
    for (const [, run] of runs) await run(WARMUP);
  };
  if (values.only !== '') {
    const names = ['bare', 'events', 'dryRun', 'layers', 'engine', 'minimal'];
    const chosen = endpoints[names.indexOf(values.only)];
    if (chosen === undefined) throw new Error(`--only: one of ${names.join(', ')}`);
    await warmUp([chosen]);
    for (let round = 1; round <= ROUNDS; round++) console.log(JSON.stringify(await chosen[1]()));
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('exit', resolve));
    await rm(info.dir, { recursive: true, force: true });
    return;
  }
  await warmUp(endpoints);
  for (let round = 1; round <= ROUNDS; round++) {
    process.stderr.write(`round ${round}/${ROUNDS}…\n`);
    // Each endpoint first, second and last in turn.
    for (let i = 0; i < endpoints.length; i++) {
      const [runs, run] = endpoints[(i + round - 1) % endpoints.length]!;
      runs.push(await run());
    }
  }
  child.kill('SIGTERM');
  await new Promise((resolve) => child.on('exit', resolve));
  await rm(info.dir, { recursive: true, force: true });
  const total = (runs: Figures[]): Figures => ({
    perSecond: Math.round(runs.reduce((a, r) => a + r.perSecond, 0) / runs.length),
    p50Ms: Math.max(...runs.map((r) => r.p50Ms)),
    p99Ms: Math.max(...runs.map((r) => r.p99Ms)),
    non2xx: runs.reduce((a, r) => a + r.non2xx, 0),
    errors: runs.reduce((a, r) => a + r.errors, 0),
    cpuUs: Math.round(runs.reduce((a, r) => a + r.cpuUs, 0) / runs.length),
  });
  console.log(
    `${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${SECONDS} s per endpoint (after ${WARMUP} s of ` +
      `warm-up each), ${PROJECTS} projects; ` +
      `every event answer is durable (fdatasync'd journal)`,
  );
  const perRound = (runs: Figures[]) =>
    runs.map((r, i) => `${((r.perSecond / bareRuns[i]!.perSecond) * 100).toFixed(0)}%`).join(' ');
  console.log(
    `per round, events/bare: ${perRound(eventRuns)}; dry run/bare: ${perRound(dryRuns)}; ` +
      `layers/bare: ${perRound(layerRuns)}; engine/bare: ${perRound(engineRuns)}; ` +
      `XState and the disk/bare: ${perRound(minimalRuns)}`,
  );
  console.log(
    'endpoint                          req/s   p50 ms  p99 ms  non-2xx  errors  CPU µs/req  (means; worst p50/p99)',
  );
  const row = (name: string, f: Figures) =>
    console.log(
      `${name.padEnd(32)}${String(f.perSecond).padStart(7)}  ${String(f.p50Ms).padStart(6)}  ` +
        `${String(f.p99Ms).padStart(6)}  ${String(f.non2xx).padStart(7)}  ${String(f.errors).padStart(6)}` +
        `${String(f.cpuUs).padStart(12)}`,
    );
  const b = total(bareRuns);
  const e = total(eventRuns);
  const d = total(dryRuns);
  const l = total(layerRuns);
  const g = total(engineRuns);
  const m = total(minimalRuns);
  row('bare Express JSON', b);
  row('POST /api/projects/:id/events', e);
  row('  the same, ?dryRun=true', d);
  row('required layers, no engine', l);
  row('the engine alone, no layers', g);
  row('XState and the disk alone', m);
  console.log(`events endpoint = ${((e.perSecond / b.perSecond) * 100).toFixed(0)}% of the bare endpoint`);
  console.log(
    `dry run (every layer, no journal) = ${((d.perSecond / b.perSecond) * 100).toFixed(0)}% of the bare endpoint; ` +
      `durable events = ${((e.perSecond / d.perSecond) * 100).toFixed(0)}% of the dry run`,
  );
  const percent = (a: Figures, of: Figures) => `${((a.perSecond / of.perSecond) * 100).toFixed(0)}%`;
  console.log(
    `required layers alone (log, headers, token, zod; no engine) = ${percent(l, b)} of the bare endpoint; ` +
      `durable events = ${percent(e, l)} of them`,
  );
  // CPU per request is steadier than throughput on a shared machine: the same comparison by it.
  console.log(
    `server CPU per request: events ${e.cpuUs} µs, bare ${b.cpuUs} µs (bare/events = ` +
      `${((b.cpuUs / e.cpuUs) * 100).toFixed(0)}%), layers alone ${l.cpuUs} µs, engine alone ${g.cpuUs} µs, ` +
      `dry run ${d.cpuUs} µs`,
  );
  // Costs over bare, added: the layers and the engine (what the events endpoint is made of but
  // for its route), and the layers and XState with the disk (the least any implementation pays).
  const floor = l.cpuUs + g.cpuUs - b.cpuUs;
  const least = l.cpuUs + m.cpuUs - b.cpuUs;
  const of = (us: number) => `${((b.cpuUs / us) * 100).toFixed(0)}%`;
  console.log(
    `layers + engine (each over bare, added to bare) = ${floor} µs (bare/that = ${of(floor)}): the events ` +
      `endpoint is ${e.cpuUs - floor} µs above it`,
  );
  console.log(
    `layers + XState and the disk = ${least} µs (bare/that = ${of(least)}): the least the required work ` +
      `costs on Express; the engine is ${g.cpuUs - m.cpuUs} µs above XState and the disk alone (${m.cpuUs} µs)`,
  );
  console.log(
    JSON.stringify({
      eventsPerSecond: e.perSecond,
      bareExpressPerSecond: b.perSecond,
      ratio: Number((e.perSecond / b.perSecond).toFixed(3)),
      p99Ms: e.p99Ms,
      bareP99Ms: b.p99Ms,
      p99Ratio: Number((e.p99Ms / b.p99Ms).toFixed(2)),
      projects: PROJECTS,
      warmupSeconds: WARMUP,
      p50Ms: e.p50Ms,
      non2xx: e.non2xx,
      rounds: ROUNDS,
      dryRunPerSecond: d.perSecond,
      dryRunRatio: Number((d.perSecond / b.perSecond).toFixed(3)),
      dryRunP99Ms: d.p99Ms,
      layersPerSecond: l.perSecond,
      layersRatio: Number((l.perSecond / b.perSecond).toFixed(3)),
      layersP99Ms: l.p99Ms,
      enginePerSecond: g.perSecond,
      engineRatio: Number((g.perSecond / b.perSecond).toFixed(3)),
      cpuUsPerEngineOnly: g.cpuUs,
      cpuUsPerLayers: l.cpuUs,
      cpuUsFloor: floor,
      minimalPerSecond: m.perSecond,
      minimalRatio: Number((m.perSecond / b.perSecond).toFixed(3)),
      cpuUsPerMinimal: m.cpuUs,
      cpuUsLeast: least,
      cpuUsPerEvent: e.cpuUs,
      cpuUsPerBare: b.cpuUs,
      cpuRatio: Number((b.cpuUs / e.cpuUs).toFixed(3)),
      server: values.sources ? 'sources' : 'bundle',
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
