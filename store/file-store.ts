import { mkdir, open, rename, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { AppendFile } from './append-file.ts';
import { BlobDir } from './blobs.ts';
import { JournalChain } from './chain.ts';
import { CheckpointFile, openCheckpoint, type Checkpoint, type CheckpointReader } from './checkpoint-file.ts';
import { fsyncDir } from './atomic-write.ts';
import { GENESIS_HASH } from './hash.ts';
import { SEGMENT_DIR, SegmentReader, compressSegment, findSegments, rawSegmentPath, type Segment } from './segments.ts';
import { JournalIndex, type LineSpan } from './journal-index.ts';
import { checkpointMismatch, inflated, scanJournal, spanKey, splitLines, type TailReader } from './journal-scan.ts';
import { DataDirLock } from './lock.ts';
import { RecordTable } from './record-table.ts';
import {
  StoreError,
  entryIdempotencyKey,
  idempotencyIndexKey,
  type IdempotencyScope,
  type EntityKind,
  type EntityRecord,
  type JournalDraft,
  type JournalEntry,
  type ListFilter,
  type Store,
  type StoreHealth,
  type StoreStats,
  withSeq,
} from './types.ts';

export interface FileStoreOptions {
  /**
   * Checkpoint once this many journal entries, or as many as there are records if that is
   * more, are not yet in the checkpoint (default 5,000). Scaling with the record count keeps a
   * checkpoint's cost at about one record per event, whatever the store's size, and bounds the
   * replay at start to about one entry per record.
   */
  checkpointEvery?: number;
  /** …or after this long with uncheckpointed entries (default 60 s). */
  checkpointIntervalMs?: number;
  /**
   * Seal the active journal file as a segment at the next checkpoint once it holds this many
   * bytes (default 64 MiB); sealed segments are compressed and indexed.
   */
  segmentBytes?: number;
  /**
   * `commit` (default): every commit is fdatasync'd before it resolves — what a server needs.
   * `close`: written at once, fdatasync'd when the store closes (or a segment is sealed) — for
   * a simulation that owns its store and is simply run again if it is cut short.
   */
  sync?: 'commit' | 'close';
  /** Where warnings go (a torn journal tail cut off, a corrupt checkpoint set aside). */
  onWarning?: (message: string) => void;
  /**
   * Load exactly as a start does, but change nothing and take no lock: a torn tail is left in
   * place, an unreadable checkpoint is an error, commits are refused. For `verify` and reports
   * while a server runs.
   */
  readOnly?: boolean;
  /**
   * With `readOnly`, for `verify`: `false` loads the journal but not the checkpoint's records
   * (`get` and `list` find none); `checkpointRecords()` reads them one at a time instead, from
   * the checkpoint as it was when the store opened. Default `true`.
   */
  keepRecords?: boolean;
}

const EMPTY: Checkpoint = { format: 2, lastSeq: 0, lastHash: GENESIS_HASH, records: [] };

/**
 * The default store: a data directory with `journal.jsonl` (append-only, hash-chained,
 * group-committed and fdatasync'd — the commit point) and `store.json` (a lowdb checkpoint of
 * current records, written off the hot path). One process per directory (`LOCK`).
 *
 * Committing an event appends one line; it never rewrites the document, so its cost does not
 * grow with the number of projects.
 *
 * @example
 * const store = new FileStore('./data');
 * const tail = await store.open(); // entries after the checkpoint, for the engine to replay
 */
export class FileStore implements Store {
  readonly dir: string;
  private readonly journalPath: string;
  private readonly lock: DataDirLock;
  private readonly db: Low<Checkpoint>;
  private readonly records = new RecordTable();
  private checkpointReader: CheckpointReader | null = null;
  private readonly chain = new JournalChain();
  private readonly blobs: BlobDir;
  private index = new JournalIndex();
  private file: AppendFile<{ seq: number; hash: string }> | null = null;
  /** The last entry known to be on disk (the journal's end once every write has finished). */
  private durableSeq = 0;
  private durableHash = GENESIS_HASH;
  private lastProbe = 0;
  private readonly reader = new SegmentReader(() => this.segments);
  /** Sealed segments, oldest first; the active file (`journal.jsonl`) follows the last. */
  private segments: Segment[] = [];
  /** Where the active file starts in the whole journal, and the seq of its first entry. */
  private activeBase = 0;
  private activeFirstSeq = 1;
  private rolling: Promise<void> | null = null;
  private compressing: Promise<void> | null = null;
  private closing = false;
  private readonly segmentBytes: number;
  private fileBytes = 0;
  private appliedSeq = 0;
  private appliedHash = GENESIS_HASH;
  private checkpointedSeq = 0;
  private checkpointAt: string | null = null;
  private checkpointing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly checkpointEvery: number;
  private readonly warn: (message: string) => void;

  constructor(
    dir: string,
    private readonly options: FileStoreOptions = {},
  ) {
    this.dir = dir;
    this.journalPath = join(dir, 'journal.jsonl');
    this.blobs = new BlobDir(join(dir, 'blobs'));
    this.lock = new DataDirLock(dir);
    this.db = new Low(new CheckpointFile(join(dir, 'store.json')), EMPTY);
    this.checkpointEvery = options.checkpointEvery ?? 5000;
    this.segmentBytes = options.segmentBytes ?? 64 * 2 ** 20;
    this.warn = options.onWarning ?? (() => {});
  }

  /** The torn last line found on open (a crash mid-append, never acknowledged), if any. */
  tornTail: string | null = null;

  /** The journal entry the checkpoint read on open (or last written) covers. */
  get checkpointSeq(): number {
    return this.checkpointedSeq;
  }

  /** Journal batches fdatasync'd so far. */
  get syncs(): number {
    return this.file?.syncs ?? 0;
  }

  async open(replay: TailReader = () => {}): Promise<void> {
    if (this.options.readOnly === true) return this.load(replay);
    await mkdir(this.dir, { recursive: true });
    await this.lock.acquire();
    try {
      return await this.load(replay);
    } catch (err) {
      await this.lock.release();
      throw err;
    }
  }

  private async load(replay: TailReader): Promise<void> {
    try {
      if (this.options.keepRecords === false) {
        if (this.options.readOnly !== true) throw new Error('keepRecords: false needs readOnly');
        this.checkpointReader = await openCheckpoint(join(this.dir, 'store.json'));
        const head = this.checkpointReader?.head;
        // Only the position is read now; a checkpoint laid out otherwise is read whole.
        if (head != null) this.db.data = { ...head, records: [] };
        else await this.db.read();
      } else await this.db.read();
    } catch (err) {
      if (this.options.readOnly === true)
        throw new StoreError(
          'checkpointUnreadable',
          `store.json is unreadable: ${(err as Error).message}`,
          `store.json 无法读取:${(err as Error).message}`,
        );
      // The journal holds everything: set the unreadable checkpoint aside and rebuild from it.
      const aside = join(this.dir, `store.json.corrupt-${Date.now()}`);
      await rename(join(this.dir, 'store.json'), aside);
      this.warn(
        `checkpoint store.json unreadable (${(err as Error).message}); moved to ${aside}, rebuilding from the journal`,
      );
      this.db.data = EMPTY;
    }
    const checkpoint = this.db.data;
    if (checkpoint.format !== 1 && checkpoint.format !== 2) {
      throw new StoreError(
        'checkpointFormat',
        `store.json has unknown format ${String(checkpoint.format)}`,
        `store.json 格式未知:${String(checkpoint.format)}`,
      );
    }
    // Records first: the tail is replayed onto them as the journal is read.
    if (this.options.keepRecords !== false) for (const record of checkpoint.records) this.records.set(record);
    this.index = new JournalIndex();
    const since = { seq: checkpoint.lastSeq, hash: checkpoint.lastHash };
    // Sealed segments, oldest first: a compressed one the checkpoint covers is taken from its
    // index without being read; any other is read like the journal (and replayed past the checkpoint).
    let at = { seq: 0, hash: GENESIS_HASH, offset: 0 };
    let hashAtSince: string | null = since.seq === 0 ? GENESIS_HASH : null;
    this.segments = [];
    const sealed = await findSegments(this.dir, this.options.readOnly === true);
    this.index.reserveKeys(sealed.reduce((n, found) => n + (found.index?.keys.length ?? 0), 0));
    for (const found of sealed) {
      if (found.firstSeq !== at.seq + 1)
        throw new StoreError(
          'segmentGap',
          `journal segments: entry ${at.seq + 1} expected, the next segment starts at ${found.firstSeq}. ` +
            'Restore journal/ from a backup',
          `日志分段不连续:应从第 ${at.seq + 1} 条开始,下一分段却从第 ${found.firstSeq} 条开始,请从备份恢复 journal/`,
        );
      const idx = found.index;
      // A segment's own index, written when it was sealed, follows on from the segments before.
      const linked = idx !== null && idx.prevHash === at.hash && idx.base === at.offset;
      if (idx !== null && linked) {
        this.index.load(idx);
        const { firstSeq, lastSeq, lastHash, base, rawBytes, blocks } = idx;
        // The segment's own fields only: its index's arrays are in `this.index` now.
        this.segments.push({ firstSeq, lastSeq, lastHash, base, rawBytes, blocks, path: found.path });
        if (idx.lastSeq <= since.seq) {
          // Wholly before the checkpoint: taken from its index without being read.
          if (idx.lastSeq === since.seq) hashAtSince = idx.lastHash;
          at = { seq: idx.lastSeq, hash: idx.lastHash, offset: idx.base + idx.rawBytes };
          continue;
        }
        // Replayed past the checkpoint: read and checked line by line, not indexed a second time.
        const source = { path: found.path, from: at, sealed: true, gzip: true, rawBytes, indexed: true };
        const part = await scanJournal(source, since, replay, this.index);
        if (part.hashAtSinceSeq !== null) hashAtSince = part.hashAtSinceSeq;
        if (part.lastSeq !== lastSeq || part.lastHash !== lastHash || part.validBytes !== base + rawBytes)
          throw new StoreError(
            'journalCorrupt',
            `journal segment ${found.path} does not end where its index says (entry ${lastSeq}). Nothing was ` +
              'changed; run "gongjian verify" and restore journal/ from a backup',
            `日志分段 ${found.path} 的结尾与其索引不符(应为第 ${lastSeq} 条)。未作任何修改;请运行 "gongjian verify" 并从备份恢复 journal/`,
            part.lastSeq,
          );
        at = { seq: lastSeq, hash: lastHash, offset: base + rawBytes };
        continue;
      }
      const source = { path: found.path, from: at, sealed: true, gzip: idx !== null, rawBytes: idx?.rawBytes };
      const part = await scanJournal(source, since, replay, this.index);
      if (part.hashAtSinceSeq !== null) hashAtSince = part.hashAtSinceSeq;
      const rawBytes = part.validBytes - at.offset;
      this.segments.push({
        firstSeq: found.firstSeq,
        lastSeq: part.lastSeq,
        lastHash: part.lastHash,
        base: at.offset,
        rawBytes,
        path: found.path,
        blocks: idx?.blocks ?? null,
      });
      at = { seq: part.lastSeq, hash: part.lastHash, offset: part.validBytes };
    }
    const scan = await scanJournal({ path: this.journalPath, from: at }, since, replay, this.index);
    if (scan.hashAtSinceSeq !== null) hashAtSince = scan.hashAtSinceSeq;
    this.tornTail = scan.tornTail;
    if (scan.tornTail !== null && this.options.readOnly !== true) {
      await truncate(this.journalPath, scan.validBytes - at.offset);
      this.warn(`journal: dropped a torn last ${scan.tornTail}, left by a crash mid-append (never acknowledged)`);
    }
    if (checkpoint.lastSeq > scan.lastSeq || hashAtSince !== checkpoint.lastHash)
      throw checkpointMismatch(checkpoint.lastSeq, scan.lastSeq);
    this.activeBase = at.offset;
    this.activeFirstSeq = at.seq + 1;
    this.chain.lastSeq = scan.lastSeq;
    this.chain.lastHash = scan.lastHash;
    this.appliedSeq = scan.lastSeq;
    this.appliedHash = scan.lastHash;
    this.checkpointedSeq = checkpoint.lastSeq;
    this.checkpointAt = new Date().toISOString();
    this.fileBytes = scan.validBytes;
    if (this.options.readOnly === true) return;
    this.durableSeq = scan.lastSeq;
    this.durableHash = scan.lastHash;
    this.file = await this.openActive(scan.validBytes - at.offset);
    const interval = this.options.checkpointIntervalMs ?? 60_000;
    this.timer = setInterval(() => this.checkpointInBackground(), interval);
    this.timer.unref();
    // A segment sealed but not yet compressed when the last run stopped is compressed now.
    this.compressSealed();
  }

  /** The active journal file opened for appending, `size` bytes long (all of them durable). */
  private async openActive(size: number): Promise<AppendFile<{ seq: number; hash: string }>> {
    return new AppendFile(await open(this.journalPath, 'a'), size, {
      syncOnClose: this.options.sync === 'close',
      onDurable: (mark) => {
        this.durableSeq = mark.seq;
        this.durableHash = mark.hash;
      },
      // Every entry not yet on disk is being refused: the next one takes the first free seq
      // and the first free byte again, so the chain stays unbroken.
      onFailure: () => {
        this.chain.lastSeq = this.durableSeq;
        this.chain.lastHash = this.durableHash;
        this.fileBytes = this.activeBase + this.file!.durableBytes;
      },
    });
  }

  /**
   * Seals the active journal file as a segment — one rename while commits wait — and starts an
   * empty one. Done before a checkpoint, once the active file has grown past `segmentBytes`, so
   * the checkpoint then covers every sealed entry and a start reads only the active file.
   */
  private async roll(): Promise<void> {
    const file = this.file;
    if (file === null) return;
    let done!: () => void;
    this.rolling = new Promise<void>((resolve) => (done = resolve));
    try {
      await file.idle();
      if (file.failure !== null || this.durableSeq < this.activeFirstSeq || (await segmentsHeld(this.dir))) return;
      await file.close();
      this.file = null;
      const path = rawSegmentPath(this.dir, this.activeFirstSeq);
      await mkdir(join(this.dir, SEGMENT_DIR), { recursive: true });
      // The point of no return: from here the active file's entries are a segment's.
      await rename(this.journalPath, path);
      this.reader.rename(this.journalPath, path);
      this.segments.push({
        firstSeq: this.activeFirstSeq,
        lastSeq: this.durableSeq,
        lastHash: this.durableHash,
        base: this.activeBase,
        rawBytes: file.durableBytes,
        path,
        blocks: null,
      });
      this.activeBase += file.durableBytes;
      this.activeFirstSeq = this.durableSeq + 1;
      this.file = await this.openActive(0);
      // Both renames (old name gone, new file there) are durable before any commit goes into it.
      await fsyncDir(join(this.dir, SEGMENT_DIR));
      await fsyncDir(this.dir);
    } finally {
      // Reopen the active file after a failure: as it was if the rename did not happen, else anew.
      if (this.file === null) {
        const sealed = this.segments.at(-1)?.lastSeq === this.durableSeq && this.activeFirstSeq > this.durableSeq;
        this.file = await this.openActive(sealed ? 0 : file.durableBytes).catch(() => null);
      }
      this.rolling = null;
      done();
    }
  }

  /** Compresses sealed raw segments one after another, off the commit path. */
  private compressSealed(): void {
    if (this.compressing !== null || this.options.readOnly === true) return;
    const next = this.segments.find((segment) => segment.blocks === null);
    if (next === undefined) return;
    this.compressing = (async () => {
      const fragment = this.index.fragment(next.firstSeq, next.lastSeq);
      const before = this.segments.find((segment) => segment.lastSeq === next.firstSeq - 1);
      const prevHash = before?.lastHash ?? GENESIS_HASH;
      const { path, blocks } = await compressSegment(next, { prevHash, ...fragment });
      const raw = next.path;
      next.path = path;
      next.blocks = blocks;
      this.reader.retire(raw);
    })()
      .catch((err: unknown) =>
        this.warn(`compressing a journal segment failed (it stays uncompressed): ${(err as Error).message}`),
      )
      .finally(() => {
        this.compressing = null;
        if (!this.closing) this.compressSealed();
      });
  }

  get(entity: EntityKind, id: string): EntityRecord | undefined {
    return this.records.get(entity, id);
  }

  list(entity: EntityKind, filter?: ListFilter): EntityRecord[] {
    return this.records.list(entity, filter);
  }

  async commit(draft: JournalDraft, record: EntityRecord | null): Promise<JournalEntry> {
    return (await this.commitLines([{ draft, record }]))[0]!;
  }

  async commitAll(items: readonly { draft: JournalDraft; record: EntityRecord | null }[]): Promise<JournalEntry[]> {
    return this.commitLines(
      items.map(({ draft, record }, i) => ({ draft: { ...draft, group: [i + 1, items.length] }, record })),
    );
  }

  /** Appends the entries' lines as one chunk (one write, one fsync), then makes them visible. */
  private async commitLines(
    items: readonly { draft: JournalDraft; record: EntityRecord | null }[],
  ): Promise<JournalEntry[]> {
    while (this.rolling !== null) await this.rolling;
    const file = this.file;
    if (file === null) {
      if (this.options.readOnly === true)
        throw new StoreError('readOnly', 'the store was opened read-only', '存储以只读方式打开');
      throw new StoreError('closed', 'the store is not open', '存储未打开');
    }
    const made = items.map(({ draft, record }) => {
      const { entry, line: text } = this.chain.nextWithLine(draft);
      const line = Buffer.from(text, 'utf8');
      const span = { offset: this.fileBytes, length: line.length };
      this.fileBytes += line.length;
      return { entry, line, span, record };
    });
    const last = made.at(-1)!.entry;
    try {
      const chunk = made.length === 1 ? made[0]!.line : Buffer.concat(made.map((m) => m.line));
      await file.append(chunk, { seq: last.seq, hash: last.hash });
    } catch (err) {
      throw journalWriteError(err);
    }
    // Durable from here on: make it visible.
    for (const { entry, span, record } of made) {
      this.index.add(entry.seq, span.offset + span.length, spanKey(entry.entity, entry.id), entryIdempotencyKey(entry));
      if (record !== null) this.records.set(withSeq(record, entry.seq));
    }
    this.appliedSeq = last.seq;
    this.appliedHash = last.hash;
    if (this.appliedSeq - this.checkpointedSeq >= Math.max(this.checkpointEvery, this.records.size))
      this.checkpointInBackground();
    return made.map((m) => m.entry);
  }

  async putBlob(bytes: Uint8Array): Promise<string> {
    if (this.options.readOnly === true)
      throw new StoreError('readOnly', 'the store was opened read-only', '存储以只读方式打开');
    return this.blobs.put(bytes);
  }

  getBlob(hash: string): Promise<Uint8Array | undefined> {
    return this.blobs.get(hash);
  }

  checkBlob(hash: string): Promise<'ok' | 'missing' | 'altered'> {
    return this.blobs.check(hash);
  }

  position(): number {
    return this.appliedSeq;
  }

  stats(): StoreStats {
    return {
      kind: 'file',
      location: this.dir,
      position: this.appliedSeq,
      syncs: this.file?.syncs ?? 0,
      commits: this.file?.chunks ?? 0,
      syncSeconds: this.file?.syncSeconds ?? 0,
      journalBytes:
        (this.file?.durableBytes ?? this.fileBytes - this.activeBase) +
        this.segments.reduce(
          (n, s) => n + (s.blocks === null ? s.rawBytes : (s.blocks.at(-2) ?? 0) + (s.blocks.at(-1) ?? 0)),
          0,
        ),
      segments: this.segments.length,
      checkpointSeq: this.checkpointedSeq,
      checkpointAt: this.checkpointAt,
    };
  }

  restore(record: EntityRecord): void {
    this.records.set(record);
  }

  history(entity: EntityKind, id: string): Promise<JournalEntry[]> {
    return this.readSpans(this.index.seqsOf(spanKey(entity, id)).map((seq) => this.index.span(seq)));
  }

  private async readSpans(spans: readonly LineSpan[]): Promise<JournalEntry[]> {
    const active = { path: this.journalPath, base: this.activeBase };
    const out: JournalEntry[] = [];
    for (const { offset, length } of spans) {
      const line = await this.reader.read(offset, length, active);
      out.push(JSON.parse(line.toString('utf8')) as JournalEntry);
    }
    return out;
  }

  async findByIdempotencyKey(scope: IdempotencyScope): Promise<JournalEntry | undefined> {
    const key = idempotencyIndexKey(scope);
    for (const seq of this.index.seqsOfKey(key)) {
      const [entry] = await this.readSpans([this.index.span(seq)]);
      if (entry !== undefined && entryIdempotencyKey(entry) === key) return entry;
    }
    return undefined;
  }

  async *entries(options: { after?: number } = {}): AsyncIterable<JournalEntry> {
    const after = options.after ?? 0;
    for await (const { entry } of this.lines(after)) if (entry.seq > after) yield entry;
  }

  /**
   * Every journal entry in order with its line as written (without the newline): across the
   * sealed segments, then the active file up to what is durable (a line being appended right
   * now is not yet part of the journal). `verify` hashes the bytes as they are on disk.
   */
  async *lines(after = 0): AsyncIterable<{ entry: JournalEntry; text: string }> {
    // Segments wholly at or before `after` are skipped; the active file is read from the line after it.
    const sources: { path: string; gzip: boolean; start?: number; end?: number }[] = this.segments
      .filter((s) => s.lastSeq > after)
      .map((s) => ({ path: s.path, gzip: s.blocks !== null }));
    const end = this.file?.durableBytes ?? this.fileBytes - this.activeBase;
    const lineEnd = after > 0 && after <= this.appliedSeq ? this.index.span(after) : { offset: 0, length: 0 };
    const start = Math.max(0, lineEnd.offset + lineEnd.length - this.activeBase);
    if (end > 0 && start < end) sources.push({ path: this.journalPath, gzip: false, start, end: end - 1 });
    for (const source of sources) {
      // Read-only beside a running server, a raw segment may have been compressed (and removed)
      // since this store was opened: its compressed twin holds the same lines.
      let handle = await open(source.path, 'r').catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT' || source.gzip || source.path === this.journalPath) throw err;
        return null;
      });
      if (handle === null) {
        handle = await open(`${source.path}.gz`, 'r');
        source.gzip = true;
      }
      const bytes = handle.createReadStream({ highWaterMark: 1 << 20, start: source.start, end: source.end });
      const input = source.gzip ? inflated(bytes) : bytes;
      try {
        for await (const { text } of splitLines(input))
          if (text !== '') yield { entry: JSON.parse(text) as JournalEntry, text };
      } finally {
        // Also when the reader stops early.
        bytes.destroy();
        await handle.close().catch(() => {});
      }
    }
  }

  async health(): Promise<StoreHealth> {
    const file = this.file;
    if (file === null || file.failure === null) return { status: 'ok' };
    // Degraded: at most once a second, see whether the disk takes writes again.
    if (Date.now() - this.lastProbe >= 1000) {
      this.lastProbe = Date.now();
      if ((await probeWrite(this.dir)) && (await file.recover())) return { status: 'ok' };
    }
    return file.failure === null ? { status: 'ok' } : { status: 'degraded', journal: { ...file.failure } };
  }

  /** Resolves once no checkpoint is being written (one started in the background included). */
  async settled(): Promise<void> {
    while (this.checkpointing !== null || this.compressing !== null) {
      await this.checkpointing?.catch(() => {});
      await this.compressing;
    }
  }

  private checkpointInBackground(): void {
    if (this.appliedSeq === this.checkpointedSeq || this.checkpointing !== null) return;
    this.checkpoint().catch((err: unknown) =>
      this.warn(`checkpoint failed (the journal still has everything): ${(err as Error).message}`),
    );
  }

  async checkpoint(): Promise<void> {
    if (this.options.readOnly === true) return;
    while (this.checkpointing !== null) await this.checkpointing;
    if (this.appliedSeq === this.checkpointedSeq) return;
    this.checkpointing = (async () => {
      // A long active file is sealed first, so this checkpoint covers every sealed entry.
      if (!this.closing && (this.file?.durableBytes ?? 0) >= this.segmentBytes) await this.roll();
      // Records are replaced, never mutated: this array is a consistent picture as of appliedSeq.
      const data: Checkpoint = {
        format: 2,
        lastSeq: this.appliedSeq,
        lastHash: this.appliedHash,
        records: this.records.all(),
      };
      this.db.data = data;
      await this.db.write();
      this.checkpointedSeq = data.lastSeq;
      this.checkpointAt = new Date().toISOString();
      this.compressSealed();
    })();
    try {
      await this.checkpointing;
    } finally {
      this.checkpointing = null;
    }
  }

  /**
   * The checkpoint's records, one at a time, as it was when the store opened (with
   * `keepRecords: false`; otherwise the records are the store's, see `list`).
   */
  async *checkpointRecords(): AsyncGenerator<EntityRecord> {
    if (this.options.keepRecords !== false) throw new Error('checkpointRecords() needs keepRecords: false');
    if (this.checkpointReader === null) return;
    if (this.checkpointReader.head === null) yield* this.db.data.records;
    else yield* this.checkpointReader.records();
  }

  async close(options: { checkpoint?: boolean } = {}): Promise<void> {
    if (this.options.readOnly === true) {
      await this.checkpointReader?.close();
      this.checkpointReader = null;
      return this.reader.close();
    }
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    if (this.file !== null) {
      await this.file.idle();
      if (options.checkpoint !== false) await this.checkpoint();
      this.closing = true;
      await this.compressing;
      await this.file.close();
      this.file = null;
    }
    await this.reader.close();
    await this.lock.release();
  }
}

/**
 * Whether a backup is copying the segments now (`journal/HOLD`, under an hour old): sealing
 * waits until it is done, so the backup never misses entries moving from one file to another.
 */
async function segmentsHeld(dir: string): Promise<boolean> {
  const hold = await stat(join(dir, SEGMENT_DIR, 'HOLD')).catch(() => null);
  return hold !== null && Date.now() - hold.mtimeMs < 3_600_000;
}

/** A failed journal write, as the caller sees it: nothing was saved; retry once the disk recovers. */
function journalWriteError(err: unknown): StoreError {
  const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
  const why =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? { zh: '磁盘空间不足', en: 'the disk is full' }
      : code === 'EFBIG'
        ? { zh: '文件超过大小上限', en: 'the file size limit is reached' }
        : { zh: '磁盘读写出错', en: 'the disk failed' };
  return new StoreError(
    'journalWrite',
    `the journal cannot be written (${code}: ${why.en}); nothing was saved`,
    `日志无法写入(${code}:${why.zh}),本次未保存任何内容`,
  );
}

/** Whether the data directory takes a 16 KiB write and its fsync right now. */
async function probeWrite(dir: string): Promise<boolean> {
  const path = join(dir, `.write-probe-${process.pid}`);
  try {
    const handle = await open(path, 'w');
    try {
      await handle.write(Buffer.alloc(16 * 1024));
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  } catch {
    return false;
  } finally {
    await rm(path, { force: true });
  }
}
