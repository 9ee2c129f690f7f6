import { createHash } from 'node:crypto';
import pg from 'pg';
import { asciiJson } from './ascii-json.ts';
import { blobHash } from './blobs.ts';
import { JournalChain } from './chain.ts';
import { isUnavailable } from './pg-errors.ts';
import { PgSessions, PgStaff, staffTables } from './pg-staff.ts';
import type { StaffRows } from './staff-storage.ts';
import { GENESIS_HASH } from './hash.ts';
import { RecordTable } from './record-table.ts';
import {
  entryIdempotencyKey,
  idempotencyIndexKey,
  StoreError,
  type EntityKind,
  type CommitExpectation,
  type EntityRecord,
  type IdempotencyScope,
  type JournalDraft,
  type JournalEntry,
  type ListFilter,
  type Store,
  type StoreHealth,
  type StoreStats,
  type VersionCheck,
  withSeq,
} from './types.ts';

export interface PgStoreOptions {
  /** The schema the tables live in (created if missing): one per data set. Default `gongjian`. */
  schema?: string;
  /** Connections in the pool (default 10). */
  maxConnections?: number;
  /** A statement running longer than this is cancelled (default 30 s). */
  statementTimeoutMs?: number;
  /** Giving up on a connection after this long (default 5 s). */
  connectTimeoutMs?: number;
}

/** The schema version this code writes; a database at a newer one is refused. */
export const PG_SCHEMA_VERSION = 2;

/** Journal entries read per query when streaming (`entries`). */
const PAGE = 2_000;

/**
 * The store on PostgreSQL: the journal and the current records are tables, written in one
 * transaction per commit — the journal row, the record row and the chain's head together — so a
 * commit is all there or not at all, and the hash chain stays one and unbroken (the head row is
 * locked while an entry is appended). Records are also held in memory, as the file store holds
 * them, so reads answer without a query. Chosen with `GONGJIAN_STORE=postgres://…`.
 *
 * Snapshots and tags are `jsonb` (queryable in the database); each journal entry is kept as the
 * exact text that was hashed, so `verify` proves the chain from the database as from a file.
 *
 * @example
 * const store = new PgStore('postgres://gongjian@db/gongjian');
 * const engine = new Engine({ store });
 * await engine.open();
 */
export class PgStore implements Store {
  private readonly pool: pg.Pool;
  private readonly schema: string;
  private readonly records = new RecordTable();
  private appliedSeq = 0;
  private commits = 0;
  private commitSeconds = 0;
  /** Commits run one at a time in this process, in the order they were asked for. */
  private queue: Promise<unknown> = Promise.resolve();
  private failure: { code: string; message: string; since: string } | null = null;
  /** Commits asked for and not yet in a transaction. */
  private readonly pending: Request[] = [];
  private syncs = 0;
  private readonly listeners = new Set<(entries: readonly JournalEntry[]) => void>();
  private listener: pg.Client | null = null;
  private relisten: NodeJS.Timeout | null = null;
  private closing = false;
  private readonly channel: string;
  private readonly location: string;
  private readonly connectTimeoutMs: number;

  constructor(
    private readonly url: string,
    options: PgStoreOptions = {},
  ) {
    const schema = options.schema ?? 'gongjian';
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema) || schema.startsWith('pg_'))
      throw new StoreError(
        'pgSchemaName',
        `schema name ${JSON.stringify(schema)}: lower-case letters, digits and _ only, not starting with pg_`,
        `模式名 ${JSON.stringify(schema)} 只能含小写字母、数字和下划线,且不能以 pg_ 开头`,
      );
    this.schema = schema;
    this.location = describeLocation(url, schema);
    this.channel = `gongjian_${schema}`;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.maxConnections ?? 10,
      statement_timeout: options.statementTimeoutMs ?? 30_000,
      connectionTimeoutMillis: this.connectTimeoutMs,
    });
    // A connection the server drops must not crash the process: an idle one is replaced by the
    // next query; one in use fails that query (which is how the failure is reported).
    this.pool.on('error', () => {});
    this.pool.on('connect', (client) => client.on('error', () => {}));
  }

  private table(name: string): string {
    return `"${this.schema}".${name}`;
  }

  private prepared: Promise<void> | null = null;
  /** Whether `open()` loaded the records (`openShared()` does not: journal notices are not for it). */
  private loaded = false;
  private staff: PgStaff | null = null;
  private sessions: PgSessions | null = null;

  /** What the staff directory and sessions share of this store. */
  private shared() {
    return {
      pool: this.pool,
      table: (name: string) => this.table(name),
      channel: this.channel,
      location: this.location,
    };
  }

  /**
   * The staff directory of this data set, shared by every node (`StaffDirectory` on it). Needs
   * `open()` or `openShared()` first.
   */
  staffStorage(): PgStaff {
    this.staff ??= new PgStaff(this.shared());
    return this.staff;
  }

  /** The sign-in sessions of this data set, shared by every node. */
  sessionStorage(): PgSessions {
    this.sessions ??= new PgSessions(this.shared());
    return this.sessions;
  }

  /**
   * Only the schema and the listener, without loading a record: for `gongjian user` and `token`,
   * which change the staff directory of a database that may hold hundreds of thousands of projects.
   */
  async openShared(): Promise<void> {
    await this.migrate();
    await this.listen();
  }

  async open(): Promise<void> {
    await this.migrate();
    const head = await this.pool.query<{ seq: string }>(`SELECT seq FROM ${this.table('chain_head')}`);
    this.appliedSeq = Number(head.rows[0]!.seq);
    const rows = await this.pool.query<RecordRow>(
      `${RECORD_COLUMNS} FROM ${this.table('records')} WHERE seq <= $1 ORDER BY created`,
      [this.appliedSeq],
    );
    for (const row of rows.rows) this.records.set(recordOf(row));
    this.loaded = true;
    await this.listen();
  }

  /** Creates the tables on first use, and refuses a database written by a newer version. */
  private migrate(): Promise<void> {
    this.prepared ??= this.createTables().catch((err: unknown) => {
      this.prepared = null;
      throw err;
    });
    return this.prepared;
  }

  private async createTables(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Two nodes starting at once: one creates, the other waits and finds it done.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`gongjian schema ${this.schema}`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${this.table('meta')} (key text PRIMARY KEY, value text NOT NULL)`,
      );
      const found = await client.query<{ value: string }>(
        `SELECT value FROM ${this.table('meta')} WHERE key = 'schemaVersion'`,
      );
      const version = found.rows[0] === undefined ? 0 : Number(found.rows[0].value);
      if (version > PG_SCHEMA_VERSION)
        throw new StoreError(
          'pgSchemaNewer',
          `the database schema "${this.schema}" is at version ${version}, newer than this release knows ` +
            `(${PG_SCHEMA_VERSION}): upgrade gongjian`,
          `数据库模式 "${this.schema}" 的版本为 ${version},` + `高于本版本支持的 ${PG_SCHEMA_VERSION}:请升级 gongjian`,
        );
      if (version < 1) {
        await client.query(`
          CREATE TABLE ${this.table('journal')} (
            seq bigint PRIMARY KEY,
            entity text NOT NULL,
            id text NOT NULL,
            -- sha256 of the idempotency key's scope (actor, entity, id, key), when it has one
            idempotency text UNIQUE,
            -- the entry exactly as hashed and chained
            line text NOT NULL
          );
          CREATE INDEX ON ${this.table('journal')} (entity, id, seq);
          CREATE TABLE ${this.table('records')} (
            entity text NOT NULL,
            id text NOT NULL,
            version integer NOT NULL,
            machine_version integer NOT NULL,
            -- the snapshot as the engine wrote it (what it reads back), and as jsonb to query
            snapshot_text text NOT NULL,
            snapshot jsonb NOT NULL,
            tags jsonb NOT NULL,
            seq bigint NOT NULL,
            -- the seq that created it: records load in the order they were made, as from a file
            created bigint NOT NULL,
            PRIMARY KEY (entity, id)
          );
          CREATE TABLE ${this.table('chain_head')} (
            only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
            seq bigint NOT NULL,
            hash text NOT NULL
          );
          INSERT INTO ${this.table('chain_head')} (seq, hash) VALUES (0, '${GENESIS_HASH}');
          CREATE TABLE ${this.table('blobs')} (hash text PRIMARY KEY, bytes bytea NOT NULL);
          INSERT INTO ${this.table('meta')} (key, value) VALUES ('schemaVersion', '1');
        `);
      }
      if (version < 2) {
        // Version 2: the staff directory, its audit journal and sign-in sessions, shared by nodes.
        await client.query(staffTables((name) => this.table(name)));
        await client.query(`UPDATE ${this.table('meta')} SET value = '2' WHERE key = 'schemaVersion'`);
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  get(entity: EntityKind, id: string): EntityRecord | undefined {
    return this.records.get(entity, id);
  }

  list(entity: EntityKind, filter?: ListFilter): EntityRecord[] {
    return this.records.list(entity, filter);
  }

  commit(draft: JournalDraft, record: EntityRecord | null, expect?: CommitExpectation): Promise<JournalEntry> {
    return this.enqueue([{ draft, record, expect }]).then((entries) => entries[0]!);
  }

  commitAll(items: readonly Item[], checks: readonly VersionCheck[] = []): Promise<JournalEntry[]> {
    return this.enqueue(
      items.map((item, i) => ({ ...item, draft: { ...item.draft, group: [i + 1, items.length] } })),
      checks,
    );
  }

  /**
   * Group commit: the commits asked for while one transaction runs go together in the next —
   * one round of statements and one durable commit for all of them, whatever their number.
   */
  private enqueue(items: readonly Item[], checks: readonly VersionCheck[] = []): Promise<JournalEntry[]> {
    return new Promise((resolve, reject) => {
      this.pending.push({ items, checks, resolve, reject });
      if (this.pending.length === 1) void this.serially(() => this.flush());
    });
  }

  /** Commits every request waiting: each one whole, or refused alone. */
  private async flush(): Promise<void> {
    const requests = this.pending.splice(0);
    if (requests.length === 0) return;
    try {
      const outcomes = await this.transact(requests);
      for (const [i, request] of requests.entries()) {
        const outcome = outcomes[i]!;
        if (outcome instanceof StoreError) request.reject(outcome);
        else request.resolve(outcome);
      }
    } catch (err) {
      // The database refused the group for one request's sake (a key journalled elsewhere
      // meanwhile): each request on its own, so that only that one is refused.
      if (requests.length > 1 && err instanceof StoreError && err.code === 'commitConflict') {
        for (const request of requests) {
          const [outcome] = await this.transact([request]).catch((e: unknown) => [e as Error]);
          if (outcome instanceof Error) request.reject(outcome);
          else request.resolve(outcome!);
        }
        return;
      }
      for (const request of requests) request.reject(err as Error);
    }
  }

  watch(listener: (entries: readonly JournalEntry[]) => void): void {
    this.listeners.add(listener);
  }

  /** Takes in what other processes journalled since this one last looked. */
  sync(): Promise<void> {
    return this.serially(async () => {
      const client = await this.pool.connect().catch((err: unknown) => {
        throw this.unreadable(err);
      });
      try {
        // One consistent view of the journal and the records.
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const caught = await this.readSince(client);
        await client.query('COMMIT');
        this.takeIn(caught);
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err instanceof StoreError || !isUnavailable(err) ? err : this.unreadable(err);
      } finally {
        client.release();
      }
    });
  }

  /** The entries after this store's position, and the records they left (read in the caller's transaction). */
  private async readSince(client: pg.ClientBase): Promise<{ entries: JournalEntry[]; records: EntityRecord[] }> {
    const lines = await client.query<{ line: string }>(
      `SELECT line FROM ${this.table('journal')} WHERE seq > $1 ORDER BY seq`,
      [this.appliedSeq],
    );
    const entries = lines.rows.map((row) => JSON.parse(row.line) as JournalEntry);
    if (entries.length === 0) return { entries, records: [] };
    const touched = [...new Map(entries.map((e) => [`${e.entity} ${e.id}`, e])).values()];
    const rows = await client.query<RecordRow>(
      `${RECORD_COLUMNS} FROM ${this.table('records')}
       WHERE (entity, id) IN (SELECT * FROM unnest($1::text[], $2::text[])) ORDER BY created`,
      [touched.map((e) => e.entity), touched.map((e) => e.id)],
    );
    return { entries, records: rows.rows.map(recordOf) };
  }

  /** Other processes' entries made part of this store: their records current, listeners told. */
  private takeIn(caught: { entries: JournalEntry[]; records: EntityRecord[] }): void {
    const fresh = caught.entries.filter((e) => e.seq > this.appliedSeq);
    if (fresh.length === 0) return;
    for (const record of caught.records)
      if (record.seq > (this.records.get(record.entity, record.id)?.seq ?? 0)) this.records.set(record);
    this.appliedSeq = fresh.at(-1)!.seq;
    for (const listener of this.listeners) listener(fresh);
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => {});
    return run;
  }

  /**
   * One transaction for several requests: the chain head locked, whatever other nodes journalled
   * meanwhile taken in, each request's expectations checked (one that fails is refused alone,
   * with `versionConflict`), the others' entries appended and their records made current in one
   * statement each, the head moved, every node told. Resolves with each request's entries or refusal.
   */
  private async transact(requests: readonly Request[]): Promise<(JournalEntry[] | StoreError)[]> {
    const started = performance.now();
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw this.unavailable(err);
    }
    const outcomes: (JournalEntry[] | StoreError)[] = [];
    const made: { entry: JournalEntry; line: string; record: EntityRecord | null }[] = [];
    let caught: { entries: JournalEntry[]; records: EntityRecord[] } | null = null;
    try {
      await client.query('BEGIN');
      const head = await client.query<{ seq: string; hash: string }>(
        `SELECT seq, hash FROM ${this.table('chain_head')} FOR UPDATE`,
      );
      const chain = new JournalChain();
      chain.lastSeq = Number(head.rows[0]!.seq);
      chain.lastHash = head.rows[0]!.hash;
      // Another process journalled since this one last looked: take that in first (the head is
      // locked, so this is all of it).
      if (chain.lastSeq > this.appliedSeq) caught = await this.readSince(client);
      const versions = await this.versions(client, requests);
      for (const request of requests) {
        const conflict = this.conflict(request, versions);
        if (conflict !== null) {
          outcomes.push(conflict);
          continue;
        }
        const entries: JournalEntry[] = [];
        for (const { draft, record } of request.items) {
          const { entry, line } = chain.nextWithLine(draft);
          entries.push(entry);
          made.push({ entry, line: line.slice(0, -1), record });
          if (record !== null) versions.set(`${record.entity} ${record.id}`, record.version);
        }
        outcomes.push(entries);
      }
      if (made.length > 0) {
        await this.insertLines(client, made);
        // Each entity's record as its last entry here left it (one row per entity in a statement).
        const last = new Map<string, { record: EntityRecord; seq: number; created: number }>();
        for (const { entry, record } of made)
          if (record !== null)
            last.set(`${record.entity} ${record.id}`, { record, seq: entry.seq, created: entry.seq });
        await this.upsertRecords(client, [...last.values()]);
        await client.query(`UPDATE ${this.table('chain_head')} SET seq = $1, hash = $2`, [
          chain.lastSeq,
          chain.lastHash,
        ]);
        // Delivered to every listening process when (and only if) this commits.
        await client.query('SELECT pg_notify($1, $2)', [this.channel, String(chain.lastSeq)]);
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      // What others journalled is theirs to keep, whatever became of this commit.
      if (caught !== null) this.takeIn(caught);
      const code = (err as { code?: unknown }).code;
      // Integrity (SQLSTATE class 23: an idempotency key another node journalled meanwhile…): refused, not down.
      if (typeof code === 'string' && code.startsWith('23'))
        throw new StoreError(
          'commitConflict',
          `the database refused the commit: ${(err as Error).message}`,
          `数据库拒绝了提交:${(err as Error).message}`,
        );
      throw err instanceof StoreError ? err : this.unavailable(err);
    } finally {
      client.release();
    }
    this.failure = null;
    if (caught !== null) this.takeIn(caught);
    for (const { entry, record } of made) if (record !== null) this.records.set(withSeq(record, entry.seq));
    if (made.length > 0) this.appliedSeq = made.at(-1)!.entry.seq;
    this.commits += made.length;
    this.syncs += 1;
    this.commitSeconds += (performance.now() - started) / 1000;
    return outcomes;
  }

  /** The database's version of every entity the requests expect something of, rows locked. */
  private async versions(client: pg.ClientBase, requests: readonly Request[]): Promise<Map<string, number>> {
    const expected = requests.flatMap((r) => [
      ...r.items.filter((i) => i.expect !== undefined).map((i) => i.draft),
      ...r.checks,
    ]);
    const versions = new Map<string, number>();
    if (expected.length === 0) return versions;
    const rows = await client.query<{ entity: string; id: string; version: number }>(
      `SELECT entity, id, version FROM ${this.table('records')}
       WHERE (entity, id) IN (SELECT * FROM unnest($1::text[], $2::text[])) FOR UPDATE`,
      [expected.map((d) => d.entity), expected.map((d) => d.id)],
    );
    for (const row of rows.rows) versions.set(`${row.entity} ${row.id}`, row.version);
    return versions;
  }

  /** The refusal of a request whose decision was based on a version the database no longer has, or null. */
  private conflict(request: Request, versions: ReadonlyMap<string, number>): StoreError | null {
    const expected: { entity: string; id: string; version: number | null }[] = [
      ...request.items.flatMap(({ draft, expect }) =>
        expect === undefined ? [] : [{ entity: draft.entity, id: draft.id, version: expect.version }],
      ),
      ...request.checks,
    ];
    for (const want of expected) {
      const version = versions.get(`${want.entity} ${want.id}`) ?? null;
      if (version === want.version) continue;
      return new StoreError(
        'versionConflict',
        `${want.entity} ${want.id} is at version ${version ?? 'none'} in the database, not ` +
          `${want.version ?? 'none'}: another process changed it`,
        `${want.entity} ${want.id} 在数据库中的版本为 ${version ?? '无'},` +
          `不是 ${want.version ?? '无'}:已被其他进程修改`,
      );
    }
    return null;
  }

  /** Journal rows (each entry's line as hashed), a thousand to a statement. */
  private async insertLines(client: pg.ClientBase, made: readonly { entry: JournalEntry; line: string }[]) {
    for (let from = 0; from < made.length; from += 1_000) {
      const chunk = made.slice(from, from + 1_000).map(({ entry, line }) => ({ ...entry, line }));
      await client.query(
        `INSERT INTO ${this.table('journal')} (seq, entity, id, idempotency, line)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[])`,
        [
          chunk.map((e) => e.seq),
          chunk.map((e) => e.entity),
          chunk.map((e) => e.id),
          chunk.map((e) => {
            const scoped = entryIdempotencyKey(e);
            return scoped === undefined ? null : keyDigest(scoped);
          }),
          chunk.map((e) => e.line),
        ],
      );
    }
  }

  /**
   * Records made current, a thousand to a statement: each with the seq of the entry that left it
   * and `created`, the position it loads in (an entity already there keeps its own).
   */
  private async upsertRecords(
    client: pg.ClientBase,
    rows: readonly { record: EntityRecord; seq: number; created: number }[],
  ): Promise<void> {
    for (let from = 0; from < rows.length; from += 1_000) {
      const chunk = rows.slice(from, from + 1_000);
      await client.query(
        `INSERT INTO ${this.table('records')}
           (entity, id, version, machine_version, snapshot_text, snapshot, tags, seq, created)
         SELECT * FROM unnest(
           $1::text[], $2::text[], $3::integer[], $4::integer[], $5::text[], $6::jsonb[], $7::jsonb[], $8::bigint[],
           $9::bigint[]
         )
         ON CONFLICT (entity, id) DO UPDATE SET version = EXCLUDED.version,
           machine_version = EXCLUDED.machine_version, snapshot_text = EXCLUDED.snapshot_text,
           snapshot = EXCLUDED.snapshot, tags = EXCLUDED.tags, seq = EXCLUDED.seq`,
        [
          chunk.map((r) => r.record.entity),
          chunk.map((r) => r.record.id),
          chunk.map((r) => r.record.version),
          chunk.map((r) => r.record.machineVersion),
          chunk.map((r) => r.record.snapshot),
          chunk.map((r) => queryable(r.record.snapshot)),
          chunk.map((r) => JSON.stringify(r.record.tags)),
          chunk.map((r) => r.seq),
          chunk.map((r) => r.created),
        ],
      );
    }
  }

  /** Listens for other processes' commits (`NOTIFY`), reconnecting after the database was away. */
  private async listen(): Promise<void> {
    if (this.closing) return;
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: this.connectTimeoutMs });
    const retry = () => {
      client.removeAllListeners();
      // A dead connection may still report errors while it closes: heard, ignored.
      client.on('error', () => {});
      client.end().catch(() => {});
      if (this.listener === client) this.listener = null;
      if (!this.closing) this.relisten = setTimeout(() => void this.listen(), 1_000);
    };
    client.on('error', retry);
    client.on('notification', (message) => this.heard(message.payload ?? ''));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      this.listener = client;
      // Whatever was journalled, changed or ended while nobody listened.
      if (this.loaded) await this.sync().catch(() => {});
      this.staff?.notice();
      this.sessions?.notice({ all: true });
    } catch {
      retry();
    }
  }

  /** A notice: a journal position (an entry committed), `staff:<rev>`, `session:<id>`, `sessions-of:<staff>`. */
  private heard(payload: string): void {
    const colon = payload.indexOf(':');
    if (colon < 0) {
      if (this.loaded && Number(payload) > this.appliedSeq) void this.sync().catch(() => {});
      return;
    }
    const [kind, value] = [payload.slice(0, colon), payload.slice(colon + 1)];
    if (kind === 'staff') this.staff?.notice(Number(value));
    else if (kind === 'session') this.sessions?.notice({ id: value });
    else if (kind === 'sessions-of') this.sessions?.notice({ staffId: value });
  }

  /** A query outside a commit; the database away is `storeUnavailable` (503), anything else as it is. */
  private async read<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(text, values);
    } catch (err) {
      throw isUnavailable(err) ? this.unreadable(err) : err;
    }
  }

  /** The database away on a read: `storeUnavailable` (a 503), and the store degraded until it answers. */
  private unreadable(err: unknown): StoreError {
    const message = (err as Error).message;
    this.failure ??= { code: 'databaseUnavailable', message, since: new Date().toISOString() };
    return new StoreError('storeUnavailable', `the database cannot be read: ${message}`, `数据库无法读取:${message}`);
  }

  /** A database error while committing, as the store reports a journal it cannot write. */
  private unavailable(err: unknown): StoreError {
    const message = (err as Error).message;
    this.failure ??= { code: 'databaseUnavailable', message, since: new Date().toISOString() };
    return new StoreError(
      'journalWrite',
      `the database did not take the commit: ${message}`,
      `数据库未能写入:${message}`,
    );
  }

  async putBlob(bytes: Uint8Array): Promise<string> {
    const hash = blobHash(bytes);
    await this.read(`INSERT INTO ${this.table('blobs')} (hash, bytes) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING`, [
      hash,
      Buffer.from(bytes),
    ]);
    return hash;
  }

  async getBlob(hash: string): Promise<Uint8Array | undefined> {
    const found = await this.read<{ bytes: Buffer }>(`SELECT bytes FROM ${this.table('blobs')} WHERE hash = $1`, [
      hash,
    ]);
    return found.rows[0]?.bytes;
  }

  async checkBlob(hash: string): Promise<'ok' | 'missing' | 'altered'> {
    const bytes = await this.getBlob(hash);
    if (bytes === undefined) return 'missing';
    return blobHash(bytes) === hash ? 'ok' : 'altered';
  }

  restore(record: EntityRecord): void {
    this.records.set(record);
  }

  position(): number {
    return this.appliedSeq;
  }

  async history(entity: EntityKind, id: string): Promise<JournalEntry[]> {
    const found = await this.read<{ line: string }>(
      `SELECT line FROM ${this.table('journal')} WHERE entity = $1 AND id = $2 ORDER BY seq`,
      [entity, id],
    );
    return found.rows.map((row) => JSON.parse(row.line) as JournalEntry);
  }

  async findByIdempotencyKey(scope: IdempotencyScope): Promise<JournalEntry | undefined> {
    const key = idempotencyIndexKey(scope);
    const found = await this.read<{ line: string }>(
      `SELECT line FROM ${this.table('journal')} WHERE idempotency = $1`,
      [keyDigest(key)],
    );
    const entry = found.rows[0] === undefined ? undefined : (JSON.parse(found.rows[0].line) as JournalEntry);
    return entry !== undefined && entryIdempotencyKey(entry) === key ? entry : undefined;
  }

  async *entries(options: { after?: number } = {}): AsyncIterable<JournalEntry> {
    for await (const { entry } of this.lines(options.after)) yield entry;
  }

  /** Every journal entry after `after`, in order, with its text as hashed (for `verify`). */
  async *lines(after = 0): AsyncIterable<{ entry: JournalEntry; text: string }> {
    let from = after;
    for (;;) {
      const page = await this.read<{ line: string }>(
        `SELECT line FROM ${this.table('journal')} WHERE seq > $1 ORDER BY seq LIMIT ${PAGE}`,
        [from],
      );
      for (const { line } of page.rows) {
        const entry = JSON.parse(line) as JournalEntry;
        from = entry.seq;
        yield { entry, text: line };
      }
      if (page.rows.length < PAGE) return;
    }
  }

  /**
   * One consistent view of the whole store — every journal line and every record as of one
   * moment, whatever other nodes commit meanwhile (a read-only REPEATABLE READ transaction and a
   * cursor): for `verify`.
   */
  async snapshot<T>(
    read: (view: {
      head: { seq: number; hash: string };
      lines: () => AsyncIterable<{ entry: JournalEntry; text: string }>;
      records: () => Promise<EntityRecord[]>;
    }) => Promise<T>,
  ): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const head = (
        await client.query<{ seq: string; hash: string }>(`SELECT seq, hash FROM ${this.table('chain_head')}`)
      ).rows[0]!;
      const table = this.table.bind(this);
      const result = await read({
        head: { seq: Number(head.seq), hash: head.hash },
        async *lines() {
          await client.query(
            `DECLARE journal_lines NO SCROLL CURSOR FOR SELECT line FROM ${table('journal')} ORDER BY seq`,
          );
          for (;;) {
            const page = await client.query<{ line: string }>(`FETCH ${PAGE} FROM journal_lines`);
            for (const { line } of page.rows) yield { entry: JSON.parse(line) as JournalEntry, text: line };
            if (page.rows.length < PAGE) break;
          }
          await client.query('CLOSE journal_lines');
        },
        records: async () =>
          (await client.query<RecordRow>(`${RECORD_COLUMNS} FROM ${table('records')} ORDER BY created`)).rows.map(
            recordOf,
          ),
      });
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  /**
   * Fills an empty store with another store's journal — each line as it was hashed, so seqs and
   * hashes are kept — and its current records and blobs, in one transaction: all of it or
   * nothing. Refused unless this store is empty. `progress` hears the entries copied so far.
   */
  async importFrom(
    source: {
      lines: () => AsyncIterable<{ entry: JournalEntry; text: string }>;
      records: readonly EntityRecord[];
      blobs: readonly { hash: string; bytes: Uint8Array }[];
      /** The data directory's staff directory and audit journal, when it has one. */
      staff?: { rows: StaffRows; audit: string[] };
    },
    progress: (entries: number) => void = () => {},
  ): Promise<{ entries: number; records: number; blobs: number }> {
    return this.serially(async () => {
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN');
        const head = (await client.query<{ seq: string }>(`SELECT seq FROM ${this.table('chain_head')} FOR UPDATE`))
          .rows[0]!;
        if (Number(head.seq) !== 0)
          throw new StoreError(
            'pgNotEmpty',
            `schema "${this.schema}" already holds ${head.seq} journal entries: migrate into an empty one`,
            `模式 "${this.schema}" 已有 ${head.seq} 条日志:请迁移到空的模式`,
          );
        let batch: { entry: JournalEntry; line: string }[] = [];
        let entries = 0;
        let last = { seq: 0, hash: GENESIS_HASH };
        for await (const { entry, text } of source.lines()) {
          if (entry.seq !== last.seq + 1 || entry.prevHash !== last.hash)
            throw new StoreError(
              'migrateChain',
              `the source journal breaks at entry ${entry.seq}: run verify on it first`,
              `源日志在第 ${entry.seq} 条处断链:请先校验`,
              entry.seq,
            );
          last = { seq: entry.seq, hash: entry.hash };
          batch.push({ entry, line: text });
          if (batch.length === 1_000) {
            await this.insertLines(client, batch);
            entries += batch.length;
            progress(entries);
            batch = [];
          }
        }
        await this.insertLines(client, batch);
        entries += batch.length;
        progress(entries);
        // In the source's order (the order its records were made), before any later creation.
        await this.upsertRecords(
          client,
          source.records.map((record, i) => ({ record, seq: record.seq, created: i + 1 })),
        );
        for (const blob of source.blobs)
          await client.query(
            `INSERT INTO ${this.table('blobs')} (hash, bytes) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING`,
            [blob.hash, Buffer.from(blob.bytes)],
          );
        if (source.staff !== undefined) {
          const staffRev = (await client.query<{ rev: string }>(`SELECT rev FROM ${this.table('staff_head')}`))
            .rows[0]!;
          if (Number(staffRev.rev) !== 0)
            throw new StoreError(
              'pgNotEmpty',
              `schema "${this.schema}" already has a staff directory: migrate into an empty one`,
              `模式 "${this.schema}" 已有人员目录:请迁移到空的模式`,
            );
          await PgStaff.importInto(client, (name) => this.table(name), source.staff.rows, source.staff.audit);
          await client.query('SELECT pg_notify($1, $2)', [this.channel, 'staff:1']);
        }
        await client.query(`UPDATE ${this.table('chain_head')} SET seq = $1, hash = $2`, [last.seq, last.hash]);
        await client.query('SELECT pg_notify($1, $2)', [this.channel, String(last.seq)]);
        await client.query('COMMIT');
        for (const record of source.records) this.records.set(record);
        this.appliedSeq = last.seq;
        return { entries, records: source.records.length, blobs: source.blobs.length };
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    });
  }

  async health(): Promise<StoreHealth> {
    try {
      await this.pool.query('SELECT 1');
      this.failure = null;
      return { status: 'ok' };
    } catch (err) {
      this.failure ??= {
        code: 'databaseUnavailable',
        message: (err as Error).message,
        since: new Date().toISOString(),
      };
      return { status: 'degraded', journal: { ...this.failure } };
    }
  }

  stats(): StoreStats {
    return {
      kind: 'postgres',
      location: this.location,
      position: this.appliedSeq,
      syncs: this.syncs,
      commits: this.commits,
      syncSeconds: this.commitSeconds,
      journalBytes: 0,
      segments: 0,
      checkpointSeq: this.appliedSeq,
      checkpointAt: null,
    };
  }

  /** Nothing to do: every commit makes its records current in the database. */
  async checkpoint(): Promise<void> {}

  async close(): Promise<void> {
    this.closing = true;
    if (this.relisten !== null) clearTimeout(this.relisten);
    await this.queue;
    await this.listener?.end().catch(() => {});
    await this.pool.end();
  }
}

/** What the idempotency column holds: a digest of the scoped key (NUL separators cannot go in `text`). */
function keyDigest(scoped: string): string {
  return createHash('sha256').update(scoped).digest('hex');
}

const RECORD_COLUMNS = 'SELECT entity, id, version, machine_version, snapshot_text AS snapshot, tags, seq';

/**
 * The snapshot for the `jsonb` column: PostgreSQL's jsonb cannot hold U+0000, which a free-text
 * field might; the queryable copy has U+FFFD there (the text column keeps the snapshot exact).
 */
function queryable(snapshot: string): string {
  return snapshot.includes('\\u0000') ? snapshot.replaceAll('\\u0000', '\\ufffd') : snapshot;
}

interface RecordRow {
  entity: string;
  id: string;
  version: number;
  machine_version: number;
  snapshot: string;
  tags: EntityRecord['tags'];
  seq: string;
}

function recordOf(row: RecordRow): EntityRecord {
  return {
    entity: row.entity,
    id: row.id,
    version: row.version,
    machineVersion: row.machine_version,
    // Escaped as the engine makes it: a row written by an earlier release may hold the text unescaped.
    snapshot: asciiJson(row.snapshot),
    tags: row.tags,
    seq: Number(row.seq),
  };
}

type Item = { draft: JournalDraft; record: EntityRecord | null; expect?: CommitExpectation };
type Request = {
  items: readonly Item[];
  checks: readonly VersionCheck[];
  resolve: (entries: JournalEntry[]) => void;
  reject: (err: Error) => void;
};

/** Where a PostgreSQL store is, for people: host (or socket directory), database, schema — never a password. */
function describeLocation(url: string, schema: string): string {
  try {
    const parsed = new URL(url);
    const host = parsed.searchParams.get('host') ?? (parsed.host || 'localhost');
    return `${host}/${decodeURIComponent(parsed.pathname.slice(1)) || 'postgres'} · schema ${schema}`;
  } catch {
    return `schema ${schema}`;
  }
}
