/**
 * Durable events over HTTP on the embedded store against PostgreSQL with one and with two nodes,
 * in the same run on the same machine (issue 16).
 *
 *   npx tsx bench/pg.ts [--seconds 10] [--connections 64] [--projects 200] [--rounds 2]
 *
 * Each configuration is real `gongjian serve` processes (bin/gongjian.js, as `npm start` runs
 * it): the embedded store in a temporary data directory; PostgreSQL — a throw-away server this
 * bench starts (Debian's postgresql, as the tests do) — with one node, then with two nodes on the
 * same schema. The load is autocannon in this process: `POST /api/projects/:id/events`, each with
 * its own Idempotency-Key, over `--projects` projects; with two nodes, half the connections go to
 * each. The configurations alternate over `--rounds`. On a 2-core machine the database, the nodes
 * and the load share the cores. Prints a table, then one JSON line:
 * `{ embeddedPerSecond, pg1PerSecond, pg2PerSecond, embeddedP99Ms, pg1P99Ms, pg2P99Ms, … }`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { startPostgres } from '../test/support/postgres.ts';
import { BIN, startServe, type ServeProcess } from '../test/support/serve-process.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '64' },
    projects: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '2' },
  },
});
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const PROJECTS = Number(values.projects);
const ROUNDS = Number(values.rounds);

interface Figures {
  perSecond: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  /** CPU per accepted event (ms): the serve processes, the rest of the machine (PostgreSQL), the load generator. */
  nodeCpuMs: number;
  dbCpuMs: number;
  loadCpuMs: number;
}

/** CPU seconds used so far by a process (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of the line: 12 and 13 after "pid (comm) ".
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** CPU seconds the whole machine has been busy (all cores, user + system + irq…), from /proc/stat. */
function machineBusySeconds(): number {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = ticks.map(Number);
  return (user! + nice! + system! + irq! + softirq! + steal!) / 100;
}

let keys = 0;

/** `connections` spread over the nodes, all at once; their requests per second summed. */
async function load(nodes: readonly ServeProcess[], token: string): Promise<Figures> {
  let n = 0;
  const nodeCpu = () => nodes.reduce((a, node) => a + cpuSeconds(node.child.pid!), 0);
  const before = { node: nodeCpu(), machine: machineBusySeconds(), load: process.cpuUsage() };
  const runs = await Promise.all(
    nodes.map((node) =>
      autocannon({
        url: node.base,
        connections: Math.round(CONNECTIONS / nodes.length),
        duration: SECONDS,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ type: 'ALLOCATE_BOND', amount: 1, at: '2022-08-02' }),
        requests: [
          {
            setupRequest: (req) => {
              n = (n + 7919) % PROJECTS;
              return {
                ...req,
                path: `/api/projects/p${n}/events`,
                headers: { ...req.headers, 'idempotency-key': `bench-${process.pid}-${keys++}` },
              };
            },
          },
        ],
      }),
    ),
  );
  const usage = process.cpuUsage(before.load);
  const [node, load] = [nodeCpu() - before.node, (usage.user + usage.system) / 1e6];
  const events = runs.reduce((a, r) => a + r['2xx'], 0);
  const perEvent = (seconds: number) => Number(((seconds * 1000) / Math.max(1, events)).toFixed(3));
  return {
    nodeCpuMs: perEvent(node),
    // The rest of the machine's busy time: PostgreSQL (nothing else runs here), the kernel's I/O.
    dbCpuMs: perEvent(machineBusySeconds() - before.machine - node - load),
    loadCpuMs: perEvent(load),
    perSecond: Math.round(runs.reduce((a, r) => a + r.requests.average, 0)),
    p99Ms: Math.max(...runs.map((r) => r.latency.p99)),
    errors: runs.reduce((a, r) => a + r.errors, 0),
    non2xx: runs.reduce((a, r) => a + r.non2xx, 0),
  };
}

/** The projects the events go to, created through the first node. */
async function seed(node: ServeProcess, token: string): Promise<void> {
  for (let i = 0; i < PROJECTS; i += 50)
    await Promise.all(
      Array.from({ length: Math.min(50, PROJECTS - i) }, async (_, j) => {
        const res = await fetch(`${node.base}/api/projects`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({
            id: `p${i + j}`,
            name: `项目${i + j}`,
            unitId: 'u1',
            plannedInvestment: 1000,
            asOf: '2022-08-01',
            bond: { allocated: 1 },
          }),
        });
        if (res.status !== 201) throw new Error(`creating p${i + j}: ${res.status} ${await res.text()}`);
      }),
    );
}

const tempDir = () => mkdtemp(join(tmpdir(), 'gongjian-bench-pg-'));

/** A finance token (bond allocations are the finance bureau's) for the staff in `dir`. */
function financeToken(dir: string): string {
  return execFileSync(
    process.execPath,
    [BIN, 'token', 'create', '--role', 'finance', '--name', '财政局', '--data', dir],
    {
      encoding: 'utf8',
    },
  ).trim();
}

async function main(): Promise<void> {
  const postgres = await startPostgres();
  if ('unavailable' in postgres) throw new Error(`PostgreSQL: ${postgres.unavailable}`);
  try {
    // One data directory each (staff, and the embedded journal); the two PostgreSQL nodes share theirs.
    const embeddedDir = await tempDir();
    const embedded = await startServe({ dir: embeddedDir });
    await seed(embedded, embedded.token()!);
    const embeddedToken = financeToken(embeddedDir);
    const pgDir = await tempDir();
    const args = ['--store', `${postgres.url}&schema=bench`];
    const first = await startServe({ dir: pgDir, args });
    await seed(first, first.token()!);
    const pgToken = financeToken(pgDir);
    const second = await startServe({ dir: pgDir, args });
    const runs = { embedded: [] as Figures[], pg1: [] as Figures[], pg2: [] as Figures[] };
    for (let round = 1; round <= ROUNDS; round++) {
      process.stderr.write(`round ${round}/${ROUNDS}…\n`);
      const order: (keyof typeof runs)[] = round % 2 === 1 ? ['embedded', 'pg1', 'pg2'] : ['pg2', 'pg1', 'embedded'];
      for (const which of order) {
        const figures =
          which === 'embedded'
            ? await load([embedded], embeddedToken)
            : await load(which === 'pg1' ? [first] : [first, second], pgToken);
        runs[which].push(figures);
      }
    }
    for (const node of [embedded, first, second]) await node.stop('SIGTERM');
    const total = (list: Figures[]): Figures => ({
      perSecond: Math.round(list.reduce((a, r) => a + r.perSecond, 0) / list.length),
      p99Ms: Math.max(...list.map((r) => r.p99Ms)),
      errors: list.reduce((a, r) => a + r.errors, 0),
      non2xx: list.reduce((a, r) => a + r.non2xx, 0),
      nodeCpuMs: Number((list.reduce((a, r) => a + r.nodeCpuMs, 0) / list.length).toFixed(3)),
      dbCpuMs: Number((list.reduce((a, r) => a + r.dbCpuMs, 0) / list.length).toFixed(3)),
      loadCpuMs: Number((list.reduce((a, r) => a + r.loadCpuMs, 0) / list.length).toFixed(3)),
    });
    const [e, p1, p2] = [total(runs.embedded), total(runs.pg1), total(runs.pg2)];
    console.log(
      `${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${SECONDS} s, ${PROJECTS} projects; ` +
        'every answer durable (fdatasync / PostgreSQL commit)',
    );
    console.log(
      'store                          events/s   p99 ms  non-2xx  errors   CPU ms per event: nodes / rest / load',
    );
    const row = (name: string, f: Figures) =>
      console.log(
        `${name.padEnd(30)} ${String(f.perSecond).padStart(8)} ${String(f.p99Ms).padStart(8)} ` +
          `${String(f.non2xx).padStart(8)} ${String(f.errors).padStart(7)}   ` +
          `${f.nodeCpuMs.toFixed(2)} / ${f.dbCpuMs.toFixed(2)} / ${f.loadCpuMs.toFixed(2)}`,
      );
    row('embedded (file), 1 node', e);
    row('PostgreSQL, 1 node', p1);
    row('PostgreSQL, 2 nodes', p2);
    console.log(
      JSON.stringify({
        embeddedPerSecond: e.perSecond,
        pg1PerSecond: p1.perSecond,
        pg2PerSecond: p2.perSecond,
        embeddedP99Ms: e.p99Ms,
        pg1P99Ms: p1.p99Ms,
        pg2P99Ms: p2.p99Ms,
        non2xx: e.non2xx + p1.non2xx + p2.non2xx,
        cpuMsPerEvent: {
          embedded: { node: e.nodeCpuMs, rest: e.dbCpuMs, load: e.loadCpuMs },
          pg1: { node: p1.nodeCpuMs, rest: p1.dbCpuMs, load: p1.loadCpuMs },
          pg2: { nodes: p2.nodeCpuMs, rest: p2.dbCpuMs, load: p2.loadCpuMs },
        },
        connections: CONNECTIONS,
        projects: PROJECTS,
        rounds: ROUNDS,
      }),
    );
  } finally {
    await postgres.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
