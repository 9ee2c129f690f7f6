import { MemoryBlobs } from './blobs.ts';
import { entryFields } from './chain.ts';
import { GENESIS_HASH, hashText } from './hash.ts';
import { RecordTable } from './record-table.ts';
import {
  entryIdempotencyKey,
  idempotencyIndexKey,
  type EntityKind,
  type EntityRecord,
  type IdempotencyScope,
  type JournalDraft,
  type JournalEntry,
  type ListFilter,
  type Store,
  type StoreHealth,
  type StoreStats,
  withSeq,
} from './types.ts';

/** The store an entry was journalled in (not enumerable: not part of the entry). */
const OWNER = Symbol('memory store');

/**
 * Everything in memory: for tests and simulations. Same contract as the file store, minus
 * durability.
 *
 * @example
 * const engine = new Engine({ store: new MemoryStore() });
 */
export class MemoryStore implements Store {
  private readonly records = new RecordTable();
  private readonly journal: JournalEntry[] = [];
  private readonly byKey = new Map<string, JournalEntry>();
  /** Each entity's entries (`entity id`), oldest first: a history in O(its entries). */
  private readonly byEntity = new Map<string, JournalEntry[]>();
  /** The hashes of the entries chained so far (the entry `seq`'s at `seq - 1`); the rest when first read. */
  private readonly hashes: string[] = [];
  private readonly blobs = new MemoryBlobs();
  /**
   * Each entry's `prevHash` and `hash`: accessors reading its store's chain (made up to the entry
   * when first read), shared by every entry of every memory store — the store is found through
   * the entry — so entries keep one hidden class and no accessor holds a store alive.
   */
  private static readonly chained: PropertyDescriptorMap = {
    prevHash: MemoryStore.chainedField('prevHash'),
    hash: MemoryStore.chainedField('hash'),
  };

  private static chainedField(key: 'prevHash' | 'hash'): PropertyDescriptor {
    return {
      get(this: JournalEntry & { [OWNER]: MemoryStore }) {
        const hashes = this[OWNER].chainThrough(this.seq);
        return key === 'hash' ? hashes[this.seq - 1] : this.seq === 1 ? GENESIS_HASH : hashes[this.seq - 2];
      },
      enumerable: true,
    };
  }

  async open(): Promise<void> {}

  get(entity: EntityKind, id: string): EntityRecord | undefined {
    return this.records.get(entity, id);
  }

  list(entity: EntityKind, filter?: ListFilter): EntityRecord[] {
    return this.records.list(entity, filter);
  }

  /**
   * Journals the entry hash-chained as the file store's are, the chain computed when an entry's
   * `prevHash` or `hash` is first read (a history, an export): a simulation nobody reads the
   * journal of never serialises and hashes its entries (≈ 8 % of a 10,000-project campaign).
   */
  async commit(draft: JournalDraft, record: EntityRecord | null): Promise<JournalEntry> {
    const entry = entryFields(draft, this.journal.length + 1) as unknown as JournalEntry;
    Object.defineProperties(entry, MemoryStore.chained);
    Object.defineProperty(entry, OWNER, { value: this });
    this.journal.push(entry);
    const own = this.byEntity.get(`${entry.entity} ${entry.id}`);
    if (own === undefined) this.byEntity.set(`${entry.entity} ${entry.id}`, [entry]);
    else own.push(entry);
    const scoped = entryIdempotencyKey(entry);
    if (scoped !== undefined) this.byKey.set(scoped, entry);
    if (record !== null) this.records.set(withSeq(record, entry.seq));
    return entry;
  }

  async commitAll(items: readonly { draft: JournalDraft; record: EntityRecord | null }[]): Promise<JournalEntry[]> {
    const entries: JournalEntry[] = [];
    for (const [i, { draft, record }] of items.entries())
      entries.push(await this.commit({ ...draft, group: [i + 1, items.length] }, record));
    return entries;
  }

  putBlob(bytes: Uint8Array): Promise<string> {
    return this.blobs.put(bytes);
  }

  getBlob(hash: string): Promise<Uint8Array | undefined> {
    return this.blobs.get(hash);
  }

  checkBlob(hash: string): Promise<'ok' | 'missing' | 'altered'> {
    return this.blobs.check(hash);
  }

  position(): number {
    return this.journal.length;
  }

  stats(): StoreStats {
    const n = this.journal.length;
    return {
      kind: 'memory',
      location: 'memory',
      position: n,
      syncs: n,
      commits: n,
      syncSeconds: 0,
      journalBytes: 0,
      segments: 0,
      checkpointSeq: 0,
      checkpointAt: null,
    };
  }

  restore(record: EntityRecord): void {
    this.records.set(record);
  }

  async history(entity: EntityKind, id: string): Promise<JournalEntry[]> {
    return [...(this.byEntity.get(`${entity} ${id}`) ?? [])];
  }

  async findByIdempotencyKey(scope: IdempotencyScope): Promise<JournalEntry | undefined> {
    return this.byKey.get(idempotencyIndexKey(scope));
  }

  /** The hashes of the entries up to `seq`, chained in order: each of the previous hash and its JSON without `hash`. */
  private chainThrough(seq: number): readonly string[] {
    const { hashes } = this;
    while (hashes.length < seq) {
      const i = hashes.length;
      const prevHash = i === 0 ? GENESIS_HASH : hashes[i - 1]!;
      // Blank while the text it is the hash of is made (the entry's JSON reads it, last).
      hashes.push('');
      const text = JSON.stringify(this.journal[i]);
      hashes[i] = hashText(prevHash, `${text.slice(0, -BLANK_HASH.length)}}`);
    }
    return hashes;
  }

  async *entries(options: { after?: number } = {}): AsyncIterable<JournalEntry> {
    const after = options.after ?? 0;
    // Seqs are contiguous from 1: entry `seq` is at index seq - 1.
    for (let i = Math.max(0, after); i < this.journal.length; i++) yield this.journal[i]!;
  }

  async health(): Promise<StoreHealth> {
    return { status: 'ok' };
  }

  async checkpoint(): Promise<void> {}

  async close(): Promise<void> {}
}

/** How an entry's JSON ends while its `hash` is blank. */
const BLANK_HASH = ',"hash":""}';
