import type pg from 'pg';
import { isUnavailable } from './pg-errors.ts';
import { upsert, type StaffChange, type StaffRow, type StaffRows, type StaffStorage } from './staff-storage.ts';
import { StoreError } from './types.ts';

/** What the staff directory and the sessions need of the PostgreSQL store they live in. */
export interface PgShared {
  readonly pool: pg.Pool;
  /** A table of the store's schema, quoted. */
  table(name: string): string;
  /** Tells every listening process (and this one), when the transaction commits. */
  readonly channel: string;
  /** For messages: where the store is. */
  readonly location: string;
}

/** The tables of schema version 2: the staff directory, its audit journal, sign-in sessions. */
export function staffTables(table: (name: string) => string): string {
  return `
    CREATE TABLE ${table('staff')} (
      id text PRIMARY KEY,
      -- the order members were added in (kept when a member changes)
      position bigserial NOT NULL,
      row jsonb NOT NULL,
      -- the directory's revision that last wrote it: a node reads what is newer than it has
      rev bigint NOT NULL
    );
    CREATE INDEX ON ${table('staff')} (rev);
    CREATE TABLE ${table('tokens')} (
      id text PRIMARY KEY,
      position bigserial NOT NULL,
      row jsonb NOT NULL,
      rev bigint NOT NULL
    );
    CREATE INDEX ON ${table('tokens')} (rev);
    CREATE TABLE ${table('staff_head')} (
      only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
      rev bigint NOT NULL
    );
    INSERT INTO ${table('staff_head')} (rev) VALUES (0);
    CREATE TABLE ${table('staff_audit')} (seq bigint PRIMARY KEY, line text NOT NULL);
    CREATE TABLE ${table('sessions')} (
      -- sha256 of the cookie's secret (the secret itself is never stored)
      hash text PRIMARY KEY,
      id text NOT NULL UNIQUE,
      staff_id text NOT NULL,
      password_set_at text NOT NULL,
      created_at bigint NOT NULL,
      last_seen bigint NOT NULL
    );
    CREATE INDEX ON ${table('sessions')} (staff_id);
    CREATE INDEX ON ${table('sessions')} (last_seen);
  `;
}

/** The database away: `storeUnavailable` (503, try again), as every read of the store reports it. */
function unavailable(err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  const message = (err as Error).message;
  return new StoreError(
    'storeUnavailable',
    `the staff directory in the database cannot be used: ${message}`,
    `数据库中的人员目录暂不可用:${message}`,
  );
}

/**
 * The staff directory in the PostgreSQL store, shared by every node: members and tokens as rows
 * (jsonb), each stamped with the directory's revision that last wrote it; the audit journal as a
 * table. A change is one transaction holding the revision's row (`FOR UPDATE`): it reads what is
 * newer, runs, writes its rows, audit lines and the next revision, and `NOTIFY`s; every node then
 * reads the rows newer than it has. Authentication reads the rows in memory (no query per request):
 * a token revoked on one node is refused on the others as soon as the notice arrives — milliseconds,
 * where the file store's `stat` made it the very next request.
 */
export class PgStaff implements StaffStorage {
  readonly location: string;
  readonly auditLocation: string;
  problem: StoreError | null = null;
  private current: StaffRows = { staff: [], tokens: [] };
  private rev = 0;
  private reading: Promise<unknown> = Promise.resolve();
  private writing: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: PgShared) {
    this.location = `${db.location} · table staff`;
    this.auditLocation = `${db.location} · table staff_audit`;
  }

  /** Nothing to do: notices keep the rows current. */
  refresh(): void {}

  rows(): StaffRows {
    return this.current;
  }

  async load(): Promise<void> {
    await this.catchUp();
    if (this.problem !== null) throw this.problem;
  }

  /** Another node changed the directory (its notice), or the listener reconnected: read what is newer. */
  notice(rev?: number): void {
    if (rev !== undefined && rev <= this.rev) return;
    void this.catchUp();
  }

  private catchUp(): Promise<void> {
    return this.serial(() => this.readNewer(this.db.pool)).then(
      () => {
        this.problem = null;
      },
      (err: unknown) => {
        this.problem = unavailable(err);
      },
    );
  }

  /** Reads of the rows run one at a time (a notice, a change of our own, a reconnect). */
  private serial(fn: () => Promise<void>): Promise<void> {
    const run = this.reading.then(fn);
    this.reading = run.catch(() => {});
    return run;
  }

  private async readNewer(db: pg.Pool | pg.ClientBase): Promise<void> {
    // The head first: rows committed after it are read too (and again next time, harmlessly); none
    // committed before it can be missed.
    const head = await db.query<{ rev: string }>(`SELECT rev FROM ${this.db.table('staff_head')}`);
    const rev = Number(head.rows[0]!.rev);
    if (rev <= this.rev) return;
    const newer = (table: string) =>
      db.query<{ row: StaffRow }>(`SELECT row FROM ${this.db.table(table)} WHERE rev > $1 ORDER BY position`, [
        this.rev,
      ]);
    const staff = await newer('staff');
    const tokens = await newer('tokens');
    this.current = {
      staff: upsert(
        this.current.staff,
        staff.rows.map((r) => r.row),
      ),
      tokens: upsert(
        this.current.tokens,
        tokens.rows.map((r) => r.row),
      ),
    };
    this.rev = rev;
  }

  change<T>(fn: (rows: StaffRows, lastAudit: string | null) => StaffChange<T> | Promise<StaffChange<T>>): Promise<T> {
    const run = this.writing.then(() => this.transact(fn));
    this.writing = run.catch(() => {});
    return run;
  }

  private async transact<T>(
    fn: (rows: StaffRows, lastAudit: string | null) => StaffChange<T> | Promise<StaffChange<T>>,
  ): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.db.pool.connect();
    } catch (err) {
      throw unavailable(err);
    }
    let open = false;
    try {
      await client.query('BEGIN');
      open = true;
      const head = await client.query<{ rev: string }>(`SELECT rev FROM ${this.db.table('staff_head')} FOR UPDATE`);
      const rev = Number(head.rows[0]!.rev);
      // Holding the head, nothing newer can commit: what this reads is the directory now.
      await this.serial(() => this.readNewer(client));
      const last = await client.query<{ seq: string; line: string }>(
        `SELECT seq, line FROM ${this.db.table('staff_audit')} ORDER BY seq DESC LIMIT 1`,
      );
      const change = await fn(this.current, last.rows[0]?.line ?? null);
      const next = rev + 1;
      for (const [table, rows] of [
        ['staff', change.staff],
        ['tokens', change.tokens],
      ] as const) {
        if (rows === undefined || rows.length === 0) continue;
        await client.query(
          `INSERT INTO ${this.db.table(table)} (id, row, rev)
             SELECT id, row, $3 FROM unnest($1::text[], $2::jsonb[]) AS u(id, row)
           ON CONFLICT (id) DO UPDATE SET row = excluded.row, rev = excluded.rev`,
          [rows.map((r) => r.id), rows.map((r) => JSON.stringify(r)), next],
        );
      }
      const seq = Number(last.rows[0]?.seq ?? 0);
      if (change.audit.length > 0)
        await client.query(
          `INSERT INTO ${this.db.table('staff_audit')} (seq, line)
             SELECT $1::bigint + n, line FROM unnest($2::text[]) WITH ORDINALITY AS u(line, n)`,
          [seq, change.audit],
        );
      await client.query(`UPDATE ${this.db.table('staff_head')} SET rev = $1`, [next]);
      await client.query('SELECT pg_notify($1, $2)', [this.db.channel, `staff:${next}`]);
      await client.query('COMMIT');
      open = false;
      // Our own change, read back as every other node reads it.
      await this.catchUp();
      return change.result;
    } catch (err) {
      if (open) await client.query('ROLLBACK').catch(() => {});
      throw err instanceof StoreError ? err : isUnavailable(err) ? unavailable(err) : err;
    } finally {
      client.release();
    }
  }

  async auditLines(): Promise<string[]> {
    try {
      const rows = await this.db.pool.query<{ line: string }>(
        `SELECT line FROM ${this.db.table('staff_audit')} ORDER BY seq`,
      );
      return rows.rows.map((r) => r.line);
    } catch (err) {
      throw unavailable(err);
    }
  }

  /**
   * Takes a data directory's staff directory and audit journal in, if this one is still empty
   * (nodes of an earlier release kept staff in `staff.json`): true if it did. Two nodes starting
   * together: one takes them in, the other finds the directory no longer empty.
   */
  async adopt(rows: StaffRows, audit: string[]): Promise<boolean> {
    if (rows.staff.length === 0) return false;
    const client = await this.db.pool.connect().catch((err: unknown) => {
      throw unavailable(err);
    });
    try {
      await client.query('BEGIN');
      const head = await client.query<{ rev: string }>(`SELECT rev FROM ${this.db.table('staff_head')} FOR UPDATE`);
      if (Number(head.rows[0]!.rev) !== 0) {
        await client.query('ROLLBACK');
        return false;
      }
      await PgStaff.importInto(client, (name) => this.db.table(name), rows, audit);
      await client.query('SELECT pg_notify($1, $2)', [this.db.channel, 'staff:1']);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw isUnavailable(err) ? unavailable(err) : err;
    } finally {
      client.release();
    }
    await this.catchUp();
    return true;
  }

  /** Writes a data directory's directory and audit journal into an empty one (`gongjian migrate`). */
  static async importInto(client: pg.ClientBase, table: (name: string) => string, rows: StaffRows, audit: string[]) {
    for (const [name, list] of [
      ['staff', rows.staff],
      ['tokens', rows.tokens],
    ] as const) {
      if (list.length === 0) continue;
      await client.query(
        `INSERT INTO ${table(name)} (id, row, rev)
           SELECT id, row, 1 FROM unnest($1::text[], $2::jsonb[]) WITH ORDINALITY AS u(id, row, n) ORDER BY n`,
        [list.map((r) => r.id), list.map((r) => JSON.stringify(r))],
      );
    }
    if (audit.length > 0)
      await client.query(
        `INSERT INTO ${table('staff_audit')} (seq, line)
           SELECT n, line FROM unnest($1::text[]) WITH ORDINALITY AS u(line, n)`,
        [audit],
      );
    await client.query(`UPDATE ${table('staff_head')} SET rev = 1`);
  }
}

/** One sign-in session as stored: the cookie's secret only as its hash. */
export interface SessionRow {
  hash: string;
  id: string;
  staffId: string;
  passwordSetAt: string;
  createdAt: number;
  lastSeen: number;
}

/** What ended sessions another node ended: one (by id), or every one of a member. */
export type SessionsEnded = { id: string } | { staffId: string } | { all: true };

/**
 * Sign-in sessions shared by every node (a cookie from one node is good on the others): a table
 * of the PostgreSQL store. Ends are `NOTIFY`d, so nodes that keep sessions in memory drop them.
 */
export class PgSessions {
  private readonly listeners = new Set<(ended: SessionsEnded) => void>();

  constructor(private readonly db: PgShared) {}

  private async query<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    try {
      return await this.db.pool.query<R>(text, values);
    } catch (err) {
      throw unavailable(err);
    }
  }

  /** Stores a new session; drops expired ones and, beyond `max`, the least recently used. */
  async insert(row: SessionRow, expired: { seenBefore: number; createdBefore: number }, max: number): Promise<void> {
    const t = this.db.table('sessions');
    await this.query(
      `INSERT INTO ${t} (hash, id, staff_id, password_set_at, created_at, last_seen) VALUES ($1, $2, $3, $4, $5, $6)`,
      [row.hash, row.id, row.staffId, row.passwordSetAt, row.createdAt, row.lastSeen],
    );
    await this.query(`DELETE FROM ${t} WHERE last_seen < $1 OR created_at < $2`, [
      expired.seenBefore,
      expired.createdBefore,
    ]);
    await this.query(`DELETE FROM ${t} WHERE hash IN (SELECT hash FROM ${t} ORDER BY last_seen DESC, hash OFFSET $1)`, [
      max,
    ]);
  }

  async get(hash: string): Promise<SessionRow | undefined> {
    const found = await this.query<{
      hash: string;
      id: string;
      staff_id: string;
      password_set_at: string;
      created_at: string;
      last_seen: string;
    }>(`SELECT * FROM ${this.db.table('sessions')} WHERE hash = $1`, [hash]);
    const r = found.rows[0];
    return r === undefined
      ? undefined
      : {
          hash: r.hash,
          id: r.id,
          staffId: r.staff_id,
          passwordSetAt: r.password_set_at,
          createdAt: Number(r.created_at),
          lastSeen: Number(r.last_seen),
        };
  }

  /** Records a use; false when the session is no longer stored (ended elsewhere). */
  async touch(hash: string, lastSeen: number): Promise<boolean> {
    const done = await this.query(
      `UPDATE ${this.db.table('sessions')} SET last_seen = greatest(last_seen, $2) WHERE hash = $1`,
      [hash, lastSeen],
    );
    return done.rowCount === 1;
  }

  async delete(hash: string): Promise<void> {
    const gone = await this.query<{ id: string }>(
      `DELETE FROM ${this.db.table('sessions')} WHERE hash = $1 RETURNING id`,
      [hash],
    );
    for (const { id } of gone.rows) await this.query('SELECT pg_notify($1, $2)', [this.db.channel, `session:${id}`]);
  }

  async deleteFor(staffId: string): Promise<void> {
    await this.query(`DELETE FROM ${this.db.table('sessions')} WHERE staff_id = $1`, [staffId]);
    await this.query('SELECT pg_notify($1, $2)', [this.db.channel, `sessions-of:${staffId}`]);
  }

  /** Told when another node (or this one) ended sessions; `{ all: true }` after notices may have been missed. */
  onEnded(listener: (ended: SessionsEnded) => void): void {
    this.listeners.add(listener);
  }

  notice(ended: SessionsEnded): void {
    for (const listener of this.listeners) listener(ended);
  }
}
