import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verify } from '../../engine/index.ts';
import type { JournalEntry } from '../../store/index.ts';
import { freePort, startServe, type ServeProcess } from '../support/serve-process.ts';
import { createLoadProjects } from '../support/load.ts';
import { tempDir } from '../support/temp-dir.ts';
import { until } from '../support/until.ts';

// Reliability: `kill -9` of the real server while clients keep sending, each request with an
// Idempotency-Key and retried (same key, same body) until it gets an answer — what a careful
// client does. Every acknowledged event must be in the journal as acknowledged; every retried
// one applied exactly once; and the data directory must verify.

interface Sent {
  key: string;
  project: string;
  answered: { status: number; seq: number; replayed: boolean } | null;
  attempts: number;
}

describe('kill -9 under load, with idempotent retries', () => {
  it('every acknowledged event survives, every retried one is applied exactly once, verify passes', async () => {
    const dir = await tempDir();
    const port = await freePort();
    let serve: ServeProcess = await startServe({ dir, port });
    const token = serve.token()!;
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const projects = ['p1', 'p2', 'p3', 'p4'];
    await createLoadProjects(`${serve.base}`, headers, projects);
    let running = true;
    let restarting: Promise<void> | null = null;
    const sent: Sent[] = [];

    const client = async (c: number) => {
      for (let n = 0; running; n++) {
        const item: Sent = {
          key: `c${c}-${n}`,
          project: projects[(c + n) % projects.length]!,
          answered: null,
          attempts: 0,
        };
        sent.push(item);
        const body = JSON.stringify({ type: 'REPORT_CLEARANCE', mu: 1, houses: 0, at: '2022-08-02' });
        // Retry until answered: the server may be dead, starting, or answer 503 meanwhile.
        while (item.answered === null) {
          item.attempts += 1;
          try {
            const res = await fetch(`http://127.0.0.1:${port}/api/projects/${item.project}/events`, {
              method: 'POST',
              headers: { ...headers, 'Idempotency-Key': item.key },
              body,
              signal: AbortSignal.timeout(5000),
            });
            const json = (await res.json()) as { seq?: number };
            if (res.status === 200 || res.status === 409)
              item.answered = {
                status: res.status,
                seq: json.seq!,
                replayed: res.headers.get('idempotent-replayed') === 'true',
              };
            else if (res.status !== 503) throw new Error(`unexpected ${res.status}: ${JSON.stringify(json)}`);
          } catch (err) {
            if ((err as Error).message.startsWith('unexpected')) throw err;
            await (restarting ?? new Promise((resolve) => setTimeout(resolve, 50)));
          }
        }
      }
    };

    const clients = Array.from({ length: 8 }, (_, c) => client(c));
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const answered = () => sent.filter((s) => s.answered !== null).length;
    /** Lets the clients get `n` more answers: moments chosen by progress, not by the clock. */
    const progress = (n: number) => {
      const target = answered() + n;
      return until(() => answered() >= target, `${n} more answers`, 30_000);
    };
    for (let kill = 0; kill < 6; kill++) {
      await progress(20 + Math.floor(random() * 130));
      restarting = (async () => {
        await serve.stop('SIGKILL');
        serve = await startServe({ dir, port });
      })();
      await restarting;
      restarting = null;
    }
    await progress(50);
    running = false;
    await Promise.all(clients);
    expect(await serve.stop('SIGTERM')).toBe(0);

    const journal = (await readFile(join(dir, 'journal.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as JournalEntry);
    const byKey = new Map<string, JournalEntry[]>();
    for (const entry of journal)
      if (entry.idempotencyKey !== undefined)
        byKey.set(entry.idempotencyKey, [...(byKey.get(entry.idempotencyKey) ?? []), entry]);
    const retried = sent.filter((s) => s.attempts > 1);
    expect(sent.length).toBeGreaterThan(200);
    expect(retried.length).toBeGreaterThan(0);
    for (const item of sent) {
      const entries = byKey.get(item.key) ?? [];
      // Applied exactly once, and as the client was told.
      expect(entries, `${item.key} (${item.attempts} attempts)`).toHaveLength(1);
      expect([entries[0]!.id, entries[0]!.seq, entries[0]!.kind === 'event' ? 200 : 409]).toEqual([
        item.project,
        item.answered!.seq,
        item.answered!.status,
      ]);
    }
    // Each project's cleared land is exactly the number of its accepted reports.
    const report = await verify(dir);
    expect(report.firstBad).toBeNull();
    const accepted = (id: string) => sent.filter((s) => s.project === id && s.answered!.status === 200).length;
    // The checkpoint keeps each snapshot as JSON text (format 2).
    const checkpoint = JSON.parse(await readFile(join(dir, 'store.json'), 'utf8')) as {
      records: { id: string; snapshot: string }[];
    };
    const cleared = (id: string) =>
      (
        JSON.parse(checkpoint.records.find((r) => r.id === id)!.snapshot) as {
          context: { land: { clearedMu: number } };
        }
      ).context.land.clearedMu;
    for (const id of projects) expect(cleared(id), id).toBe(accepted(id));
  }, 120_000);
});
