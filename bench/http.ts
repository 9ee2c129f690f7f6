/**
 * HTTP throughput: `POST /api/projects/:id/events` (authenticated, validated, guarded, journalled
 * and fdatasync'd before the answer) against a bare Express JSON endpoint, in the same run.
 *
 *   npx tsx bench/http.ts [--seconds 10] [--connections 64] [--projects 1000]
 *
 * The servers run in a child process; autocannon (the load) runs here, on the same 2 cores.
 * Prints a table, then one JSON line of the figures.
 */
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '64' }, projects: { type: 'string', default: '1000' } } });
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const PROJECTS = Number(values.projects);

interface Figures {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

async function load(url: string, headers: Record<string, string>, path: () => string): Promise<Figures> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ type: 'ALLOCATE_BOND', amount: 1, at: '2022-08-02' }),
    requests: [{ setupRequest: (req) => ({ ...req, path: path() }) }],
  });
  return { perSecond: Math.round(result.requests.average), p50Ms: result.latency.p50, p99Ms: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

async function main(): Promise<void> {
  const child = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : []), '--import', 'tsx', join(import.meta.dirname, 'http-server.ts'), String(PROJECTS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const info = await new Promise<{ api: number; bare: number; token: string; dir: string }>((resolve) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line) as { api: number; bare: number; token: string; dir: string }));
  });
  let n = 0;
  process.stderr.write(`bare Express endpoint, ${SECONDS} s…\n`);
  const bare = await load(`http://127.0.0.1:${info.bare}`, {}, () => '/bare');
  process.stderr.write(`POST /api/projects/:id/events, ${SECONDS} s…\n`);
  const events = await load(`http://127.0.0.1:${info.api}`, { authorization: `Bearer ${info.token}` }, () => `/api/projects/p${(n = (n + 7919) % PROJECTS)}/events`);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.on('exit', resolve));
  await rm(info.dir, { recursive: true, force: true });
  console.log(`${CONNECTIONS} connections, ${SECONDS} s each, ${PROJECTS} projects; every event answer is durable (fdatasync'd journal)`);
  console.log('endpoint                          req/s   p50 ms  p99 ms  non-2xx  errors');
  const row = (name: string, f: Figures) =>
    console.log(`${name.padEnd(32)}${String(f.perSecond).padStart(7)}  ${String(f.p50Ms).padStart(6)}  ${String(f.p99Ms).padStart(6)}  ${String(f.non2xx).padStart(7)}  ${String(f.errors).padStart(6)}`);
  row('bare Express JSON', bare);
  row('POST /api/projects/:id/events', events);
  console.log(`events endpoint = ${((events.perSecond / bare.perSecond) * 100).toFixed(0)}% of the bare endpoint`);
  console.log(JSON.stringify({ bench: 'http', eventsPerSecond: events.perSecond, bareExpressPerSecond: bare.perSecond, p50Ms: events.p50Ms, p99Ms: events.p99Ms, non2xx: events.non2xx }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
