import {
  entryHash,
  FileStore,
  GENESIS_HASH,
  hashText,
  MemoryStore,
  PgStore,
  StoreError,
  type EntityRecord,
  type JournalEntry,
} from '../store/index.ts';
import { Engine, REPLAY_PROGRESS_EVERY } from './engine.ts';
import { ALL_KINDS } from './kinds/index.ts';
import { stableStringify } from './stable-json.ts';

/** How far a verify is: entries replayed of the journal's `total`. */
export interface VerifyProgress {
  phase: 'replay' | 'startUp';
  entries: number;
  total: number;
}

export interface VerifyOptions {
  /**
   * Progress of a long verify: the entries replayed so far (every `REPLAY_PROGRESS_EVERY`), then
   * the start-up dry run beginning.
   */
  onProgress?: (progress: VerifyProgress) => void;
  /** Entries between two progress reports (default `REPLAY_PROGRESS_EVERY`). */
  progressEvery?: number;
}

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
export async function verify(dir: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const report = await replayFromScratch(dir, options);
  options.onProgress?.({ phase: 'startUp', entries: report.entries, total: report.entries });
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

async function replayFromScratch(dir: string, options: VerifyOptions): Promise<VerifyReport> {
  const report: VerifyReport = { ok: true, entries: 0, projects: 0, checkpointSeq: 0, tornTail: false, firstBad: null };
  // The stored side: the journal's structure (seqs, links, torn tail) and the checkpoint's
  // position; its records are read one at a time when the replay reaches that position.
  const saved = new FileStore(dir, { readOnly: true, keepRecords: false });
  try {
    await saved.open();
  } catch (err) {
    return { ...report, ok: false, firstBad: failureOf(err, '') };
  }
  report.checkpointSeq = saved.checkpointSeq;
  const total = saved.position();
  report.tornTail = saved.tornTail !== null;

  try {
    return await replayAndCompare(saved, report, replayProgress(options, total));
  } finally {
    await saved.close();
  }
}

/** Told each entry replayed; says so to `onProgress` every `progressEvery`, of the journal's `total`. */
function replayProgress(options: VerifyOptions, total: number): (entries: number) => void {
  const every = options.progressEvery ?? REPLAY_PROGRESS_EVERY;
  return (entries) => {
    if (entries % every === 0) options.onProgress?.({ phase: 'replay', entries, total });
  };
}

/** What a replay from scratch reads of the store it verifies (a data directory, or PostgreSQL). */
interface VerifySource {
  /** Every journal entry in order, with its text as stored. */
  lines(): AsyncIterable<{ entry: JournalEntry; text: string }>;
  /** The records to compare with the replay once it reaches `report.checkpointSeq`. */
  checkpointRecords(): AsyncIterable<EntityRecord>;
  checkBlob(hash: string): Promise<'ok' | 'missing' | 'altered'>;
  history(entity: string, id: string): Promise<JournalEntry[]>;
}

async function replayAndCompare(
  saved: VerifySource,
  report: VerifyReport,
  progress: (entries: number) => void,
): Promise<VerifyReport> {
  const fail = (seq: number | null, reason: string): VerifyReport => ({
    ...report,
    ok: false,
    firstBad: { line: seq ?? 0, seq, reason },
  });
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
    return await replayEntries(saved, engine, report, fail, compareCheckpoint, progress);
  } catch (err) {
    // The checkpoint read whole or line by line: a file cut short or not JSON.
    return fail(report.checkpointSeq, `checkpoint: ${(err as Error).message}`);
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
  saved: VerifySource,
  engine: Engine,
  report: VerifyReport,
  fail: (seq: number | null, reason: string) => VerifyReport,
  compareCheckpoint: () => Promise<string | null>,
  progress: (entries: number) => void,
): Promise<VerifyReport> {
  let previous = { seq: 0, hash: GENESIS_HASH };
  for await (const { entry, text } of saved.lines()) {
    if (!hashHolds(entry, text)) return fail(entry.seq, 'hash mismatch: the entry was altered after it was written');
    if (entry.seq !== previous.seq + 1 || entry.prevHash !== previous.hash)
      return fail(entry.seq, `the chain breaks: entry ${previous.seq + 1} expected, linked to ${previous.hash}`);
    previous = { seq: entry.seq, hash: entry.hash };
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
    progress(report.entries);
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

/**
 * `verify` of a store on PostgreSQL: a start on it, then, in one consistent view of the database,
 * the hash chain of every journal row, a replay from scratch, and every record compared with the
 * replay. Safe while nodes are serving (what they commit meanwhile is not part of the view).
 */
export async function verifyPg(url: string, options: { schema?: string } & VerifyOptions = {}): Promise<VerifyReport> {
  const report: VerifyReport = { ok: true, entries: 0, projects: 0, checkpointSeq: 0, tornTail: false, firstBad: null };
  let startup: VerifyReport['firstBad'] = null;
  const started = new PgStore(url, { schema: options.schema });
  try {
    await new Engine({ store: started }).open();
  } catch (err) {
    startup = failureOf(err, 'start-up would fail: ');
  } finally {
    await started.close().catch(() => {});
  }
  const store = new PgStore(url, { schema: options.schema });
  try {
    const replayed = await store.snapshot(async (view) => {
      report.checkpointSeq = view.head.seq;
      const records = await view.records();
      return replayAndCompare(
        {
          lines: view.lines,
          async *checkpointRecords() {
            yield* records;
          },
          checkBlob: (hash) => store.checkBlob(hash),
          history: (entity, id) => store.history(entity, id),
        },
        report,
        replayProgress(options, view.head.seq),
      );
    });
    return startup === null ? replayed : { ...replayed, ok: false, firstBad: startup };
  } catch (err) {
    return { ...report, ok: false, firstBad: startup ?? failureOf(err, '') };
  } finally {
    await store.close();
  }
}
