import { entryHash, FileStore, hashText, MemoryStore, StoreError, type JournalEntry } from '../store/index.ts';
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
 * directory a server is using), both reading through the store's own scan:
 *
 * 1. exactly what a start does — load the checkpoint, replay the journal after it — so a data
 *    directory that cannot start fails here too, naming the same entry;
 * 2. the whole journal from scratch: every entry's hash, every entry replayed through the
 *    machines, and the replay compared with the checkpoint's snapshots.
 *
 * Journal line n holds entry n (the store's scan checks the sequence), so lines and seqs agree.
 *
 * @example
 * const report = await verify('./data');
 * if (!report.ok) console.error(report.firstBad);
 */
export async function verify(dir: string): Promise<VerifyReport> {
  const report = await replayFromScratch(dir);
  const startup = await startUpFailure(dir);
  return startup === null ? report : { ...report, ok: false, firstBad: startup };
}

function failureOf(err: unknown, prefix: string): NonNullable<VerifyReport['firstBad']> {
  const seq = err instanceof StoreError ? err.seq : null;
  return { line: seq ?? 0, seq, reason: `${prefix}${(err as Error).message}` };
}

/** Opens the data directory as `serve` would (read-only); the failure, or null. */
async function startUpFailure(dir: string): Promise<VerifyReport['firstBad']> {
  try {
    await new Engine({ store: new FileStore(dir, { readOnly: true }) }).open();
    return null;
  } catch (err) {
    return failureOf(err, 'start-up would fail: ');
  }
}

async function replayFromScratch(dir: string): Promise<VerifyReport> {
  const report: VerifyReport = { ok: true, entries: 0, projects: 0, checkpointSeq: 0, tornTail: false, firstBad: null };
  const fail = (seq: number | null, reason: string): VerifyReport => ({
    ...report,
    ok: false,
    firstBad: { line: seq ?? 0, seq, reason },
  });
  // The stored side: the journal's structure (seqs, links, torn tail) and the checkpoint's
  // position; its records are read one at a time when the replay reaches that position.
  const saved = new FileStore(dir, { readOnly: true, keepRecords: false });
  try {
    await saved.open();
  } catch (err) {
    return { ...report, ok: false, firstBad: failureOf(err, '') };
  }
  report.checkpointSeq = saved.checkpointSeq;
  report.tornTail = saved.tornTail !== null;

  const store = new MemoryStore();
  const engine = new Engine({ store });
  await engine.open();
  const compareCheckpoint = async (): Promise<string | null> => {
    let count = 0;
    for await (const record of saved.checkpointRecords()) {
      count += 1;
      const mine = store.get(record.entity, record.id);
      if (
        mine === undefined ||
        mine.version !== record.version ||
        // The same text (the usual case) is the same snapshot; otherwise (written by an older
        // version, or to be migrated) the two are compared as values.
        (mine.snapshot !== record.snapshot &&
          stableStringify(JSON.parse(mine.snapshot)) !== stableStringify(engine.migratedSnapshot(record)))
      ) {
        return (
          `checkpoint's ${record.entity} ${record.id} (version ${record.version}) differs from the journal's ` +
          `replay`
        );
      }
    }
    const replayed = ALL_KINDS.reduce((n, kind) => n + store.list(kind.kind).length, 0);
    return replayed === count ? null : `checkpoint holds ${count} records, the journal gives ${replayed}`;
  };
  try {
    if (report.checkpointSeq === 0) {
      const bad = await compareCheckpoint();
      if (bad !== null) return fail(0, bad);
    }
    return await replayEntries(saved, engine, report, fail, compareCheckpoint);
  } catch (err) {
    // The checkpoint read whole or line by line: a file cut short or not JSON.
    return fail(report.checkpointSeq, `checkpoint: ${(err as Error).message}`);
  } finally {
    await saved.close();
  }
}

/**
 * Whether an entry's hash is the hash of its line as written: the line is the hashed text with
 * `,"hash":"…"}` in place of its closing brace, so the bytes on disk are hashed without
 * serialising the entry again. A line written some other way (reformatted) is judged by the
 * entry it parses to, serialised in the journal's field order.
 */
function hashHolds(entry: JournalEntry, text: string): boolean {
  const suffix = `,"hash":"${entry.hash}"}`;
  if (text.endsWith(suffix)) return hashText(entry.prevHash, `${text.slice(0, -suffix.length)}}`) === entry.hash;
  const { hash, ...unhashed } = entry;
  return entryHash(unhashed) === hash;
}

async function replayEntries(
  saved: FileStore,
  engine: Engine,
  report: VerifyReport,
  fail: (seq: number | null, reason: string) => VerifyReport,
  compareCheckpoint: () => Promise<string | null>,
): Promise<VerifyReport> {
  for await (const { entry, text } of saved.lines()) {
    if (!hashHolds(entry, text)) return fail(entry.seq, 'hash mismatch: the entry was altered after it was written');
    // Evidence the entry names must be there, with the bytes it was filed with.
    for (const blob of entry.blobs ?? []) {
      const state = await saved.checkBlob(blob);
      if (state !== 'ok')
        return fail(
          entry.seq,
          state === 'missing'
            ? `attachment ${blob} is missing from blobs/`
            : `attachment ${blob} was altered: its content no longer has that sha256`,
        );
    }
    try {
      await engine.applyJournalEntry(entry, (entity, id) => saved.history(entity, id), { defer: true });
    } catch (err) {
      return fail(entry.seq, `replay: ${(err as Error).message}`);
    }
    report.entries += 1;
    if (entry.seq === report.checkpointSeq) {
      engine.settleReplay();
      const bad = await compareCheckpoint();
      if (bad !== null) return fail(entry.seq, bad);
    }
  }
  engine.settleReplay();
  report.projects = engine.summaries('project').length;
  return report;
}
