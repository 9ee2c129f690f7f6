import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CheckpointFile, type Checkpoint } from '../store/checkpoint-file.ts';
import { FileStore, GENESIS_HASH, MemoryStore, StoreError, entryHash, type JournalEntry } from '../store/index.ts';
import { Engine } from './engine.ts';
import { ALL_KINDS } from './kinds/index.ts';
import { stableStringify } from './stable-json.ts';

export interface VerifyReport {
  ok: boolean;
  entries: number;
  projects: number;
  checkpointSeq: number;
  /** A torn last line (a crash mid-append, never acknowledged) that the next start will drop. */
  tornTail: boolean;
  /**
   * The first entry that fails, and why. When the data directory would not start, this is the
   * entry start-up stops at (the reason begins "start-up"), whatever else is wrong.
   */
  firstBad: { line: number; seq: number | null; reason: string } | null;
}

/**
 * Tamper evidence and a dry run of start-up. Two replays, both read-only (safe on a data
 * directory a server is using):
 *
 * 1. exactly what a start does — load the checkpoint, replay the journal after it — so a data
 *    directory that cannot start fails here too, naming the same entry;
 * 2. the whole journal from scratch: walks the hash chain, replays every entry through the
 *    machines, and checks the replay reproduces the checkpoint's snapshots.
 *
 * @example
 * const report = await verify('./data');
 * if (!report.ok) console.error(report.firstBad);
 */
export async function verify(dir: string): Promise<VerifyReport> {
  const startup = await startUpFailure(dir);
  const report = await replayFromScratch(dir);
  if (startup === null) return report;
  return { ...report, ok: false, firstBad: startup };
}

/** Opens the data directory as `serve` would (read-only); the failure, or null. */
async function startUpFailure(dir: string): Promise<VerifyReport['firstBad']> {
  const engine = new Engine({ store: new FileStore(dir, { readOnly: true }) });
  try {
    await engine.open();
    return null;
  } catch (err) {
    const seq = err instanceof StoreError ? err.seq : null;
    // Journal lines and entries correspond one to one: line n holds entry n.
    return { line: seq ?? 0, seq, reason: `start-up would fail: ${(err as Error).message}` };
  }
}

async function replayFromScratch(dir: string): Promise<VerifyReport> {
  const checkpoint: Checkpoint = (await new CheckpointFile(join(dir, 'store.json')).read()) ?? { format: 1, lastSeq: 0, lastHash: GENESIS_HASH, records: [] };
  const store = new MemoryStore();
  const engine = new Engine({ store });
  await engine.open();
  const report: VerifyReport = { ok: true, entries: 0, projects: 0, checkpointSeq: checkpoint.lastSeq, tornTail: false, firstBad: null };
  const fail = (line: number, seq: number | null, reason: string): VerifyReport => ({ ...report, ok: false, firstBad: { line, seq, reason } });

  const compareCheckpoint = (line: number): VerifyReport | null => {
    const replayed = ALL_KINDS.reduce((n, kind) => n + store.list(kind.kind).length, 0);
    if (replayed !== checkpoint.records.length) {
      return fail(line, checkpoint.lastSeq, `checkpoint holds ${checkpoint.records.length} records, the journal gives ${replayed}`);
    }
    for (const record of checkpoint.records) {
      const mine = store.get(record.entity, record.id);
      const snapshot = engine.migratedSnapshot(record);
      if (mine === undefined || mine.version !== record.version || stableStringify(JSON.parse(mine.snapshot)) !== stableStringify(snapshot)) {
        return fail(line, checkpoint.lastSeq, `checkpoint's ${record.entity} ${record.id} (version ${record.version}) differs from the journal's replay`);
      }
    }
    return null;
  };

  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let line = 0;
  if (checkpoint.lastSeq === 0) {
    const bad = compareCheckpoint(0);
    if (bad) return bad;
  }
  const journalPath = join(dir, 'journal.jsonl');
  const size = await stat(journalPath).then((s) => s.size, () => 0);
  const lines = createInterface({ input: createReadStream(journalPath, { encoding: 'utf8' }).on('error', () => {}), crlfDelay: Infinity });
  let bytes = 0;
  try {
    for await (const text of lines) {
      line += 1;
      bytes += Buffer.byteLength(text, 'utf8') + 1;
      let entry: JournalEntry;
      try {
        entry = JSON.parse(text) as JournalEntry;
      } catch {
        if (bytes > size) {
          report.tornTail = true;
          break;
        }
        return fail(line, null, 'not valid JSON');
      }
      if (entry.seq !== expectedSeq) return fail(line, entry.seq ?? null, `seq ${String(entry.seq)} where ${expectedSeq} was expected`);
      if (entry.prevHash !== prevHash) return fail(line, entry.seq, 'prevHash does not link to the previous entry');
      const { hash, ...unhashed } = entry;
      if (entryHash(unhashed) !== hash) return fail(line, entry.seq, 'hash mismatch: the entry was altered after it was written');
      try {
        engine.applyJournalEntry(entry);
      } catch (err) {
        return fail(line, entry.seq, `replay: ${(err as Error).message}`);
      }
      report.entries += 1;
      expectedSeq += 1;
      prevHash = hash;
      if (entry.seq === checkpoint.lastSeq) {
        const bad = compareCheckpoint(line);
        if (bad) return bad;
      }
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (checkpoint.lastSeq > report.entries) return fail(line, checkpoint.lastSeq, `checkpoint is at entry ${checkpoint.lastSeq} but the journal ends at ${report.entries}`);
  report.projects = store.list('project').length;
  return report;
}
