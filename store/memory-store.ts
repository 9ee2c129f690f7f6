import { MemoryBlobs } from './blobs.ts';
import { JournalChain } from './chain.ts';
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
  private readonly chain = new JournalChain();
  private readonly blobs = new MemoryBlobs();

  async open(): Promise<void> {}

  get(entity: EntityKind, id: string): EntityRecord | undefined {
    return this.records.get(entity, id);
  }

  list(entity: EntityKind, filter?: ListFilter): EntityRecord[] {
    return this.records.list(entity, filter);
  }

  async commit(draft: JournalDraft, record: EntityRecord | null): Promise<JournalEntry> {
    const entry = this.chain.next(draft);
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
