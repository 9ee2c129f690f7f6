/**
 * Persistence contract. The store keeps entity records (opaque snapshots plus the tags the
 * engine indexes them by) and an append-only, hash-chained journal that is the durable commit
 * point. It knows nothing of machines: replaying the journal through them is the engine's job.
 */

/** The name of a kind of persisted actor ('project', 'campaign'…): opaque to the store. */
export type EntityKind = string;

/** Fields the engine derives from a snapshot so the store can answer queries without machines. */
export interface RecordTags {
  unitId?: string;
  stage?: string;
  wei?: string[];
  campaignId?: string;
  /** A display name, for listing and text search without reading snapshots. */
  name?: string;
  /** An amount to sort by (a project's planned investment, 万元). */
  amount?: number;
  /** The programme (项目群) a project belongs to. */
  programmeId?: string;
  /** The enterprise (业主单位) behind a project, for filtering without reading snapshots. */
  enterprise?: string;
}

/**
 * The version an entity's record must be at for a commit to go in — what the decision to commit
 * was based on — or null: the entity must not exist yet. A store shared by several processes
 * checks it and refuses with `versionConflict` (the engine then takes in the other change and
 * decides again); a store one process owns has its engine order each entity's changes already.
 */
export interface CommitExpectation {
  version: number | null;
}

/**
 * An entity a group's decision read but does not change (a project a filing is checked against):
 * a store several processes share refuses the group (`versionConflict`) if another process moved
 * it meanwhile. A store of one process has nothing to check (its callers hold the entity's queue).
 */
export interface VersionCheck {
  entity: EntityKind;
  id: string;
  version: number;
}

/**
 * The record with `seq` set, as a store keeps it. A snapshot the engine has not serialised yet
 * (an accessor: see the engine's `steppedRecord`) stays unserialised: a spread would serialise it.
 */
export function withSeq(record: EntityRecord, seq: number): EntityRecord {
  const snapshot = Object.getOwnPropertyDescriptor(record, 'snapshot');
  if (snapshot?.get === undefined) return { ...record, seq };
  const { entity, id, version, machineVersion, tags } = record as Omit<EntityRecord, 'snapshot'>;
  return Object.defineProperty(
    { entity, id, version, machineVersion, tags, seq } as EntityRecord,
    'snapshot',
    snapshot,
  );
}

/** The current state of one persisted actor. */
export interface EntityRecord {
  entity: EntityKind;
  id: string;
  /** Accepted changes so far (creation = 1). The `ETag` of the HTTP API. */
  version: number;
  /** Version of the machine that wrote `snapshot`. */
  machineVersion: number;
  /**
   * `actor.getPersistedSnapshot()` as JSON text, opaque to the store. Kept as text: one heap
   * object per record instead of dozens keeps garbage collection cheap at 100k projects, and a
   * checkpoint writes it without serialising it again.
   */
  snapshot: string;
  tags: RecordTags;
  /** Seq of the journal entry that produced this record. */
  seq: number;
}

/**
 * `create` registers an entity, `event` is an accepted change, `refusal` a refused one, and
 * `correction` (更正) supersedes an earlier accepted event — replacing it or voiding it —
 * without rewriting it: the entity is re-derived with the correction applied.
 */
export type JournalKind = 'create' | 'event' | 'refusal' | 'correction';

/** The other entity a journal entry was made for (a filing's approval names its project event's project…). */
export interface JournalLink {
  entity: EntityKind;
  id: string;
  /** The date that entity's change happened (a filing's approval date), if it has one. */
  at?: string;
}

/** What the engine hands the store to journal; the store adds `seq` and the hashes. */
export interface JournalDraft {
  kind: JournalKind;
  entity: EntityKind;
  id: string;
  /** The date the event happened (`YYYY-MM-DD`), from the event itself. */
  at: string | null;
  /** Staff id of who sent it. */
  actor: string;
  event?: unknown;
  /** Creation input (kind `create`). */
  input?: unknown;
  /** State value before and after (kind `event`). */
  from?: unknown;
  to?: unknown;
  /** Record version after this entry (unchanged for a refusal). */
  version: number;
  machineVersion: number;
  idempotencyKey?: string;
  /** Why it was refused (kind `refusal`). */
  rejection?: unknown;
  /** Kind `correction` (or a refused one): the seq of the accepted event it supersedes. */
  supersedes?: number;
  /** A correction that voids the superseded event (no replacement `event`). */
  void?: boolean;
  /** Why the correction was made (kind `correction`). */
  reason?: string;
  /** The entity this entry was made together with, or on behalf of (see {@link JournalLink}). */
  link?: JournalLink;
  /**
   * Entries committed together (`commitAll`): `[i, n]`, the i-th of n. A group is written in one
   * piece; a start that finds only part of the last group on disk drops it as a torn tail.
   */
  group?: [number, number];
  /** Content hashes (sha256) of the blobs this entry refers to (evidence attached to a filing). */
  blobs?: string[];
  /** Wall-clock time the entry was journalled (ISO 8601), from the engine's clock. */
  recordedAt: string;
}

/** One line of the journal. */
export interface JournalEntry extends JournalDraft {
  seq: number;
  prevHash: string;
  hash: string;
}

export interface ListFilter {
  programmeId?: string;
  unitId?: string;
  stage?: string;
  wei?: string;
  campaignId?: string;
}

/** Counters of a store since it was opened. */
export interface StoreStats {
  /** Which store, and where its data is (a directory; a database host, database and schema — no password). */
  kind: 'memory' | 'file' | 'postgres';
  location: string;
  position: number;
  /** Group commits (one write + one fdatasync each), the commits they carried, seconds in fdatasync. */
  syncs: number;
  commits: number;
  syncSeconds: number;
  /** Bytes of the journal on disk: the active file and the sealed segments as stored (compressed). */
  journalBytes: number;
  /** Sealed segments (0 for a journal in one file). */
  segments: number;
  checkpointSeq: number;
  /** When the last checkpoint was written or read (ISO 8601), or null. */
  checkpointAt: string | null;
}

/** Whether the store can take commits now; `degraded` names the failure and since when. */
export type StoreHealth =
  | { status: 'ok' }
  | { status: 'degraded'; journal: { code: string; message: string; since: string } };

/**
 * One interface, two implementations (`MemoryStore`, `FileStore`); one contract test suite
 * runs against both.
 */
export interface Store {
  /**
   * Load what is persisted: the checkpoint's records, then each journal entry the checkpoint does
   * not cover handed to `replay`, in order, as the journal is read (none is kept in memory).
   */
  open(replay?: (entry: JournalEntry) => void | Promise<void>): Promise<void>;
  get(entity: EntityKind, id: string): EntityRecord | undefined;
  list(entity: EntityKind, filter?: ListFilter): EntityRecord[];
  /**
   * Append `draft` to the journal durably (written and fsync'd) and then, if given, make
   * `record` current. Resolves only once durable. Concurrent commits share one fsync.
   */
  commit(draft: JournalDraft, record: EntityRecord | null, expect?: CommitExpectation): Promise<JournalEntry>;
  /**
   * Commits several entries as one: written together with one fsync, made current together,
   * and — after any crash — either all on disk or none (a start drops a partial last group).
   */
  commitAll(
    items: readonly { draft: JournalDraft; record: EntityRecord | null; expect?: CommitExpectation }[],
    checks?: readonly VersionCheck[],
  ): Promise<JournalEntry[]>;
  /**
   * For a store several processes share (PostgreSQL): `listener` hears every entry another
   * process journalled, once this store's records include it, in journal order.
   */
  watch?(listener: (entries: readonly JournalEntry[]) => void): void;
  /** For a shared store: take in now whatever other processes journalled (after a `versionConflict`). */
  sync?(): Promise<void>;
  /**
   * Stores a blob (evidence: a photo, a PDF) under its sha256, durably, before any journal entry
   * refers to it; storing the same bytes twice keeps one copy. Resolves with the hash (hex).
   */
  putBlob(bytes: Uint8Array): Promise<string>;
  /** A blob's bytes, or undefined if there is none with that hash. */
  getBlob(hash: string): Promise<Uint8Array | undefined>;
  /** Whether the blob is there and its bytes still have its hash (`verify`). */
  checkBlob(hash: string): Promise<'ok' | 'missing' | 'altered'>;
  /** Make a record current without journalling it (replaying the journal on open). */
  restore(record: EntityRecord): void;
  /**
   * The seq of the last journal entry applied (0 for an empty journal): what every derived
   * figure reflects, so a cache keyed by it is never stale.
   */
  position(): number;
  /** Journal entries of one entity, oldest first. */
  history(entity: EntityKind, id: string): Promise<JournalEntry[]>;
  /**
   * The entry journalled with this idempotency key by this actor for this entity, if any. A
   * key is scoped to who sent it and what it was sent to: another caller, or another entity,
   * with the same key is another request.
   */
  findByIdempotencyKey(scope: IdempotencyScope): Promise<JournalEntry | undefined>;
  /**
   * Every journal entry in order (for `verify`), or with `after` only those whose seq is greater
   * (what a derived figure folds forward since the position it reflects).
   */
  entries(options?: { after?: number }): AsyncIterable<JournalEntry>;
  /**
   * `ok`, or `degraded` while the journal cannot be written (disk full, I/O error). Commits are
   * refused meanwhile (`StoreError` code `journalWrite`) and work again, without a restart, as
   * soon as the disk can be written; asking for health while degraded tries the disk again.
   */
  health(): Promise<StoreHealth>;
  /** What operations watch (`/metrics`): the journal's position, fsyncs, checkpoint age. */
  stats(): StoreStats;
  /** Write a checkpoint now (no-op for the memory store). */
  checkpoint(): Promise<void>;
  /**
   * Checkpoint and release the data directory. With `{ checkpoint: false }`, release it
   * without writing anything (after a failed start, whose partial replay must not be saved).
   */
  close(options?: { checkpoint?: boolean }): Promise<void>;
}

/** A store failure a person must act on (corrupt journal, held lock…), in both languages. */
export class StoreError extends Error {
  readonly zh: string;
  readonly code: string;
  /** The journal entry the error is about, when there is one (replay, verify). */
  readonly seq: number | null;
  constructor(code: string, en: string, zh: string, seq: number | null = null) {
    super(en);
    this.name = 'StoreError';
    this.code = code;
    this.zh = zh;
    this.seq = seq;
  }
}

/** What an idempotency key is unique within. */
export interface IdempotencyScope {
  actor: string;
  entity: EntityKind;
  id: string;
  key: string;
}

/** The index key of a scope (both stores index entries by it). */
export function idempotencyIndexKey(scope: IdempotencyScope): string {
  // NUL cannot occur in ids or in an HTTP header value: the parts cannot run into each other.
  return `${scope.actor}\u0000${scope.entity}\u0000${scope.id}\u0000${scope.key}`;
}

/** The scope an entry was journalled under, if it carries a key. */
export function entryIdempotencyKey(entry: JournalEntry): string | undefined {
  return entry.idempotencyKey === undefined
    ? undefined
    : idempotencyIndexKey({ actor: entry.actor, entity: entry.entity, id: entry.id, key: entry.idempotencyKey });
}
