import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { verify } from '../../engine/index.ts';
import type { JournalEntry } from '../../store/index.ts';
import { bundleFor } from '../support/bundle.ts';
import { tempDir } from '../support/temp-dir.ts';

interface Ack {
  seq: number;
  id: string;
  status: string;
  version: number;
}

/**
 * Starts the child and SIGKILLs it once it has acknowledged `killAfter` events — a moment
 * chosen by progress, not by the clock, so a slow machine tests the same thing as a fast one.
 */
function runAndKill(child: string, dir: string, killAfter: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const process_ = spawn(process.execPath, [child, dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks: Ack[] = [];
    let stderr = '';
    process_.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    createInterface({ input: process_.stdout }).on('line', (line) => {
      const m = /^ack (\d+) ([\w-]+) (\w+) (\d+)$/.exec(line);
      if (m) acks.push({ seq: Number(m[1]), id: m[2]!, status: m[3]!, version: Number(m[4]) });
      if (acks.length === killAfter) process_.kill('SIGKILL');
    });
    process_.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acks);
      else reject(new Error(`child exited with ${code}: ${stderr}`));
    });
  });
}

async function journal(dir: string): Promise<Map<number, JournalEntry>> {
  const text = await readFile(join(dir, 'journal.jsonl'), 'utf8');
  const entries = new Map<number, JournalEntry>();
  for (const line of text.split('\n')) {
    try {
      const e = JSON.parse(line) as JournalEntry;
      entries.set(e.seq, e);
    } catch {
      // The torn tail of the last kill; the next start drops it.
    }
  }
  return entries;
}

describe('crash safety (kill -9)', () => {
  it('every acknowledged event survives 24 kills at random moments, and verify passes', async () => {
    const child = await bundleFor(join(import.meta.dirname, 'crash-child.ts'));
    let planned = 0;
    const dir = await tempDir();
    const acked: Ack[] = [];
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 24; round++) {
      const killAfter = 1 + Math.floor(random() * 120);
      planned += killAfter;
      const acks = await runAndKill(child, dir, killAfter);
      // The next round's start is the recovery under test: it must drop any torn tail and carry on.
      acked.push(...acks);
      // Every event the child reported as acknowledged is in the journal, as reported.
      const entries = await journal(dir);
      for (const ack of acks) {
        const entry = entries.get(ack.seq);
        expect(entry, `acknowledged seq ${ack.seq} lost after kill ${round + 1}`).toBeDefined();
        expect([entry!.id, entry!.kind === 'event' ? 'accepted' : 'rejected', entry!.version]).toEqual([
          ack.id,
          ack.status,
          ack.version,
        ]);
      }
    }
    // Each round ran until its kill: at least the planned acknowledgements were checked.
    expect(acked.length).toBeGreaterThanOrEqual(planned);
    // The checkpoint parses, and the next start (after the last kill) recovers cleanly.
    JSON.parse(await readFile(join(dir, 'store.json'), 'utf8'));
    const report = await verify(dir);
    expect(report.firstBad?.reason ?? null).toBeNull();
    expect(report.ok).toBe(true);
    expect(report.entries).toBeGreaterThanOrEqual(Math.max(...acked.map((a) => a.seq)));
  }, 120_000);

  it('approvals (two entries as one) and corrections survive kill -9: nothing half-applied', async () => {
    const child = await bundleFor(join(import.meta.dirname, 'crash-filings-child.ts'));
    const dir = await tempDir();
    const acked: Ack[] = [];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 12; round++) {
      const acks = await runAndKill(child, dir, 1 + Math.floor(random() * 90));
      acked.push(...acks);
      const entries = await journal(dir);
      for (const ack of acks) {
        const entry = entries.get(ack.seq);
        expect(entry, `acknowledged seq ${ack.seq} (${ack.status}) lost after kill ${round + 1}`).toBeDefined();
        if (ack.status === 'filed') expect(entry).toMatchObject({ kind: 'create', entity: 'filing', id: ack.id });
        if (ack.status === 'approved') {
          // The project's event and the filing's approval: both there, one group.
          expect(entry).toMatchObject({ kind: 'event', entity: 'project', id: ack.id, group: [2, 2] });
          expect(entries.get(ack.seq - 1)).toMatchObject({
            entity: 'filing',
            event: { type: 'APPROVE' },
            group: [1, 2],
          });
        }
        if (ack.status === 'corrected') expect(entry).toMatchObject({ kind: 'correction', id: ack.id });
      }
    }
    expect(acked.some((a) => a.status === 'corrected')).toBe(true);
    // No group is ever half on disk after the next start has recovered.
    const report = await verify(dir);
    expect(report.firstBad?.reason ?? null).toBeNull();
    const entries = [...(await journal(dir)).values()];
    for (const e of entries.filter((x) => x.group?.[0] === 1 && x.group[1] === 2))
      expect(entries.find((x) => x.seq === e.seq + 1)?.group, `group at ${e.seq}`).toEqual([2, 2]);
  }, 120_000);
});
