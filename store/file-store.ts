import { mkdir, open, rename, rm, truncate, type FileHandle } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { AppendFile } from './append-file.ts';
import { BlobDir } from './blobs.ts';
import { JournalChain } from './chain.ts';
import { CheckpointFile, type Checkpoint } from './checkpoint-file.ts';
import { GENESIS_HASH } from './hash.ts';
import { scanJournal, spanKey, type LineSpan } from './journal-scan.ts';
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
  /** Where warnings go (a torn journal tail cut off, a corrupt checkpoint set aside). */
  onWarning?: (message: string) => void;
  /**
   * Load exactly as a start does, but change nothing and take no lock: a torn tail is left in
   * place, an unreadable checkpoint is an error, commits are refused. For `verify` and reports
   * while a server runs.
   */
  readOnly?: boolean;
}

const EMPTY: Checkpoint = { format: 1, lastSeq: 0, lastHash: GENESIS_HASH, records: [] };

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
  private readonly chain = new JournalChain();
  private readonly blobs: BlobDir;
  private spans = new Map<string, LineSpan[]>();
  private keyed = new Map<string, JournalEntry>();
  private file: AppendFile<{ seq: number; hash: string }> | null = null;
  /** The last entry known to be on disk (the journal's end once every write has finished). */
  private durableSeq = 0;
  private durableHash = GENESIS_HASH;
  private lastProbe = 0;
  private reader: FileHandle | null = null;
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

  async open(): Promise<JournalEntry[]> {
    if (this.options.readOnly === true) return this.load();
    await mkdir(this.dir, { recursive: true });
    await this.lock.acquire();
    try {
      return await this.load();
    } catch (err) {
      await this.lock.release();
      throw err;
    }
  }

  private async load(): Promise<JournalEntry[]> {
    try {
      await this.db.read();
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
    if (checkpoint.format !== 1) {
      throw new StoreError(
        'checkpointFormat',
        `store.json has unknown format ${String(checkpoint.format)}`,
        `store.json 格式未知:${String(checkpoint.format)}`,
      );
    }
    const scan = await scanJournal(this.journalPath, checkpoint.lastSeq);
    this.tornTail = scan.tornTail;
    if (scan.tornTail !== null && this.options.readOnly !== true) {
      await truncate(this.journalPath, scan.validBytes);
      this.warn(`journal: dropped a torn last ${scan.tornTail}, left by a crash mid-append (never acknowledged)`);
    }
    if (checkpoint.lastSeq > scan.lastSeq || scan.hashAtSinceSeq !== checkpoint.lastHash) {
      const short = scan.lastSeq < checkpoint.lastSeq;
      throw new StoreError(
        'checkpointAhead',
        `store.json is at journal entry ${checkpoint.lastSeq} but the journal ` +
          `${short ? `ends at ${scan.lastSeq}` : 'differs there'}: the journal was truncated or replaced. ` +
          'Restore it from a backup',
        `store.json 记录到第 ${checkpoint.lastSeq} 条日志,但日志${short ? `只到第 ${scan.lastSeq} 条` : '在该处内容不符'}` +
          ':日志被截断或替换,请从备份恢复',
      );
    }
    for (const record of checkpoint.records) this.records.set(record);
    this.chain.lastSeq = scan.lastSeq;
    this.chain.lastHash = scan.lastHash;
    this.appliedSeq = scan.lastSeq;
    this.appliedHash = scan.lastHash;
    this.checkpointedSeq = checkpoint.lastSeq;
    this.checkpointAt = new Date().toISOString();
    this.spans = scan.spans;
    this.keyed = scan.keyed;
    this.fileBytes = scan.validBytes;
    if (this.options.readOnly === true) return scan.tail;
    this.durableSeq = scan.lastSeq;
    this.durableHash = scan.lastHash;
    this.file = new AppendFile(await open(this.journalPath, 'a'), scan.validBytes, {
      onDurable: (mark) => {
        this.durableSeq = mark.seq;
        this.durableHash = mark.hash;
      },
      // Every entry not yet on disk is being refused: the next one takes the first free seq
      // and the first free byte again, so the chain stays unbroken.
      onFailure: () => {
        this.chain.lastSeq = this.durableSeq;
        this.chain.lastHash = this.durableHash;
        this.fileBytes = this.file!.durableBytes;
      },
    });
    this.reader = await open(this.journalPath, 'r');
    const interval = this.options.checkpointIntervalMs ?? 60_000;
    this.timer = setInterval(() => this.checkpointInBackground(), interval);
    this.timer.unref();
    return scan.tail;
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
      const key = spanKey(entry.entity, entry.id);
      const spans = this.spans.get(key);
      if (spans === undefined) this.spans.set(key, [span]);
      else spans.push(span);
      const scoped = entryIdempotencyKey(entry);
      if (scoped !== undefined) this.keyed.set(scoped, entry);
      if (record !== null) this.records.set({ ...record, seq: entry.seq });
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
      position: this.appliedSeq,
      syncs: this.file?.syncs ?? 0,
      commits: this.file?.chunks ?? 0,
      syncSeconds: this.file?.syncSeconds ?? 0,
      journalBytes: this.file?.durableBytes ?? this.fileBytes,
      checkpointSeq: this.checkpointedSeq,
      checkpointAt: this.checkpointAt,
    };
  }

  restore(record: EntityRecord): void {
    this.records.set(record);
  }

  async history(entity: EntityKind, id: string): Promise<JournalEntry[]> {
    const spans = this.spans.get(spanKey(entity, id)) ?? [];
    // Read-only (verify, reports beside a running server): the journal is opened for the read.
    const own = this.reader === null && this.options.readOnly === true && spans.length > 0;
    const reader = own ? await open(this.journalPath, 'r') : this.reader;
    if (reader === null) return [];
    try {
      const out: JournalEntry[] = [];
      for (const { offset, length } of spans) {
        const buffer = Buffer.alloc(length);
        await reader.read(buffer, 0, length, offset);
        out.push(JSON.parse(buffer.toString('utf8')) as JournalEntry);
      }
      return out;
    } finally {
      if (own) await reader.close();
    }
  }

  findByIdempotencyKey(scope: IdempotencyScope): JournalEntry | undefined {
    return this.keyed.get(idempotencyIndexKey(scope));
  }

  async *entries(): AsyncIterable<JournalEntry> {
    // Only what is durable: a line being appended right now is not yet part of the journal.
    const end = this.file?.durableBytes ?? this.fileBytes;
    if (end === 0) return;
    const lines = createInterface({
      input: createReadStream(this.journalPath, { encoding: 'utf8', end: end - 1 }),
      crlfDelay: Infinity,
    });
    for await (const line of lines) if (line !== '') yield JSON.parse(line) as JournalEntry;
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
    while (this.checkpointing !== null) await this.checkpointing.catch(() => {});
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
    // Records are replaced, never mutated: this array is a consistent picture as of appliedSeq.
    const data: Checkpoint = {
      format: 1,
      lastSeq: this.appliedSeq,
      lastHash: this.appliedHash,
      records: this.records.all(),
    };
    this.checkpointing = (async () => {
      this.db.data = data;
      await this.db.write();
      this.checkpointedSeq = data.lastSeq;
      this.checkpointAt = new Date().toISOString();
    })();
    try {
      await this.checkpointing;
    } finally {
      this.checkpointing = null;
    }
  }

  async close(options: { checkpoint?: boolean } = {}): Promise<void> {
    if (this.options.readOnly === true) return;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    if (this.file !== null) {
      await this.file.idle();
      if (options.checkpoint !== false) await this.checkpoint();
      await this.file.close();
      await this.reader?.close();
      this.file = null;
      this.reader = null;
    }
    await this.lock.release();
  }
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
