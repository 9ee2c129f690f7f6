import { describe, expect, it } from 'vitest';
import { verifyPg } from '../../engine/index.ts';
import { PgStore, type JournalEntry } from '../../store/index.ts';
import { postgresForThisFile } from '../support/postgres.ts';
import { freePort, startServe, type ServeProcess } from '../support/serve-process.ts';
import { createLoadProjects } from '../support/load.ts';
import { tempDir } from '../support/temp-dir.ts';
import { until } from '../support/until.ts';

// Two `gongjian serve` nodes on one PostgreSQL, eight clients sending through both (each request
// with an Idempotency-Key, retried — on the other node if need be — until answered). One node is
// killed with SIGKILL under load and started again later; then PostgreSQL itself is stopped
// abruptly and started again. Every acknowledged event must be in the database as acknowledged,
// every retried one applied exactly once, and the database must verify.

const postgres = await postgresForThisFile();

interface Sent {
  key: string;
  project: string;
  answered: { status: number; seq: number } | null;
  attempts: number;
}

describe.skipIf('unavailable' in postgres)(
  `two nodes on PostgreSQL under load${'unavailable' in postgres ? ` (skipped: ${postgres.unavailable})` : ''}`,
  () => {
    it('one node killed, the database restarted: the other serves, 503s while it is down, nothing lost', async () => {
      if (!('url' in postgres)) return;
      const dir = await tempDir();
      const store = `${postgres.url}&schema=load`;
      const args = ['--store', store];
      const ports = [await freePort(), await freePort()];
      const nodes: (ServeProcess | null)[] = [await startServe({ dir, port: ports[0], args }), null];
      const token = nodes[0]!.token()!;
      nodes[1] = await startServe({ dir, port: ports[1], args });
      const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
      const projects = ['p1', 'p2', 'p3', 'p4'];
      await createLoadProjects(`http://127.0.0.1:${ports[0]}`, headers, projects);
      let running = true;
      let unavailable = 0;
      const sent: Sent[] = [];
      const client = async (c: number) => {
        for (let n = 0; running; n++) {
          const item: Sent = { key: `c${c}-${n}`, project: projects[(c + n) % 4]!, answered: null, attempts: 0 };
          sent.push(item);
          const body = JSON.stringify({ type: 'REPORT_CLEARANCE', mu: 1, houses: 0, at: '2022-08-02' });
          while (item.answered === null) {
            // Each attempt to the next node in turn, as a load balancer would.
            const port = ports[(c + n + item.attempts++) % 2]!;
            try {
              const res = await fetch(`http://127.0.0.1:${port}/api/projects/${item.project}/events`, {
                method: 'POST',
                headers: { ...headers, 'Idempotency-Key': item.key },
                body,
                signal: AbortSignal.timeout(5000),
              });
              const json = (await res.json()) as { seq?: number };
              if (res.status === 200 || res.status === 409) item.answered = { status: res.status, seq: json.seq! };
              else if (res.status === 503) unavailable += 1;
              else throw new Error(`unexpected ${res.status}: ${JSON.stringify(json)}`);
            } catch (err) {
              if ((err as Error).message.startsWith('unexpected')) throw err;
            }
            if (item.answered === null) await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }
      };
      const clients = Array.from({ length: 8 }, (_, c) => client(c));
      const answered = () => sent.filter((s) => s.answered !== null).length;
      const progress = (n: number) => {
        const target = answered() + n;
        return until(() => answered() >= target, `${n} more answers`, 30_000);
      };
      await progress(100);
      // One node dies: the other keeps answering (the clients retry there).
      await nodes[0]!.stop('SIGKILL');
      await progress(100);
      nodes[0] = await startServe({ dir, port: ports[0], args });
      await progress(100);
      // The database stops abruptly and comes back: 503s meanwhile, then everything works again.
      const before = unavailable;
      await postgres.restart({ downMs: 2_000 });
      await progress(100);
      expect(unavailable).toBeGreaterThan(before);
      running = false;
      await Promise.all(clients);
      for (const node of nodes) expect(await node!.stop('SIGTERM')).toBe(0);

      const reader = new PgStore(postgres.url, { schema: 'load' });
      await reader.open();
      const byKey = new Map<string, JournalEntry[]>();
      for await (const entry of reader.entries())
        if (entry.idempotencyKey !== undefined)
          byKey.set(entry.idempotencyKey, [...(byKey.get(entry.idempotencyKey) ?? []), entry]);
      expect(sent.length).toBeGreaterThan(400);
      expect(sent.filter((s) => s.attempts > 1).length).toBeGreaterThan(0);
      for (const item of sent) {
        const entries = byKey.get(item.key) ?? [];
        expect(entries, `${item.key} (${item.attempts} attempts)`).toHaveLength(1);
        expect([entries[0]!.id, entries[0]!.seq, entries[0]!.kind === 'event' ? 200 : 409]).toEqual([
          item.project,
          item.answered!.seq,
          item.answered!.status,
        ]);
      }
      // Each project's cleared land is exactly the number of its accepted reports.
      for (const id of projects) {
        const accepted = sent.filter((s) => s.project === id && s.answered!.status === 200).length;
        const context = (
          JSON.parse(reader.get('project', id)!.snapshot) as { context: { land: { clearedMu: number } } }
        ).context;
        expect(context.land.clearedMu, id).toBe(accepted);
      }
      await reader.close();
      expect((await verifyPg(postgres.url, { schema: 'load' })).firstBad).toBeNull();
    }, 180_000);
  },
);
