import { readFileSync, statSync } from 'node:fs';
import { mkdir, open, readFile, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFileAtomic } from './atomic-write.ts';
import { StoreError } from './types.ts';

/** One member or token of the staff directory, as the engine keeps it (the store does not look inside). */
export interface StaffRow {
  id: string;
  [field: string]: unknown;
}

/** The staff directory: members and their tokens, each in the order they were added. */
export interface StaffRows {
  staff: readonly StaffRow[];
  tokens: readonly StaffRow[];
}

/** What a change writes: rows added or replaced (by id; none is ever deleted) and audit lines. */
export interface StaffChange<T> {
  staff?: readonly StaffRow[];
  tokens?: readonly StaffRow[];
  /** Lines appended to the audit journal, written with the change (or before it, on file). */
  audit: readonly string[];
  result: T;
}

/**
 * Where the staff directory and its audit journal are kept, shared by every process of one data
 * set: `staff.json` and `staff-audit.jsonl` of a data directory, or tables of a PostgreSQL store.
 */
export interface StaffStorage {
  /** For messages: the file or the database the directory is in. */
  readonly location: string;
  /** For messages: where the audit journal is. */
  readonly auditLocation: string;
  /**
   * Takes in another process's changes, when there are any (`rows()` then gives new rows).
   * Synchronous (on file, a `stat`; in PostgreSQL the rows are kept current by the database's
   * notices and there is nothing to do). What cannot be read is `problem`; the rows read last stay.
   */
  refresh(): void;
  /** Why the last read failed (the rows read before stay in use), or null. */
  readonly problem: StoreError | null;
  /** The rows as last read. */
  rows(): StaffRows;
  /** Reads the directory (at start: one that cannot be read must be fixed first). */
  load(): Promise<void>;
  /**
   * A read-modify-write alone among every process sharing the directory: `fn` sees the rows current
   * and the last audit line, and what it returns is written — all of it or none.
   */
  change<T>(fn: (rows: StaffRows, lastAudit: string | null) => StaffChange<T> | Promise<StaffChange<T>>): Promise<T>;
  /** Every audit line, oldest first. */
  auditLines(): Promise<string[]>;
}

interface StaffFileDocument {
  format: 3;
  staff: StaffRow[];
  tokens: StaffRow[];
}

type OlderDocument =
  | { format: 2; staff: StaffRow[]; tokens: StaffRow[] }
  // Format 1 (before tokens could be revoked): one token per member, its hash on the member.
  | { format: 1; staff: (StaffRow & { tokenHash: string; createdAt: string })[] };

const EMPTY: StaffRows = { staff: [], tokens: [] };

/**
 * The staff directory in a data directory: `staff.json` (written whole, atomically) and
 * `staff-audit.jsonl` (appended, fsync'd before the change it records is made). A change holds
 * `staff.json.lock` against the CLI changing the directory at the same moment; a lock whose
 * holder is gone is taken over. Every `refresh` is one `stat`, so a token revoked from the
 * command line is refused on the server's very next request.
 */
export class StaffFile implements StaffStorage {
  readonly location: string;
  readonly auditLocation: string;
  private current: StaffRows = EMPTY;
  private stamp = '';
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly dir: string) {
    this.location = join(dir, 'staff.json');
    this.auditLocation = join(dir, 'staff-audit.jsonl');
  }

  refresh(): void {
    let stamp: string;
    try {
      const s = statSync(this.location, { bigint: true });
      stamp = `${s.ino}:${s.size}:${s.mtimeNs}`;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      stamp = 'none';
    }
    if (stamp === this.stamp) return;
    this.stamp = stamp;
    try {
      this.current = stamp === 'none' ? EMPTY : this.read();
      this.problem = null;
    } catch (err) {
      // A hand-edited, broken file must not lock everyone out: the rows read last stay.
      this.problem = err as StoreError;
    }
  }

  problem: StoreError | null = null;

  rows(): StaffRows {
    return this.current;
  }

  async load(): Promise<void> {
    this.refresh();
    if (this.problem !== null) throw this.problem;
  }

  private read(): StaffRows {
    let parsed: StaffFileDocument | OlderDocument;
    try {
      parsed = JSON.parse(readFileSync(this.location, 'utf8')) as StaffFileDocument | OlderDocument;
    } catch (err) {
      throw new StoreError(
        'staffCorrupt',
        `${this.location} is not valid JSON: ${(err as Error).message}`,
        `${this.location} 不是有效的 JSON`,
      );
    }
    if (parsed.format === 1) {
      return {
        staff: parsed.staff.map(({ tokenHash: _hash, ...s }) => s),
        tokens: parsed.staff.map((s) => ({
          id: `t_${s.id}`,
          staffId: s.id,
          hash: s.tokenHash,
          createdAt: s.createdAt,
          expiresAt: null,
          revokedAt: null,
        })),
      };
    }
    return { staff: parsed.staff, tokens: parsed.tokens };
  }

  change<T>(fn: (rows: StaffRows, lastAudit: string | null) => StaffChange<T> | Promise<StaffChange<T>>): Promise<T> {
    const run = this.queue.then(() =>
      this.locked(async () => {
        this.stamp = '';
        this.refresh();
        if (this.problem !== null) throw this.problem;
        const lines = await this.auditText();
        const change = await fn(this.current, lines.at(-1) ?? null);
        await this.appendAudit(change.audit);
        if (change.staff !== undefined || change.tokens !== undefined) {
          const doc: StaffFileDocument = {
            format: 3,
            staff: upsert(this.current.staff, change.staff),
            tokens: upsert(this.current.tokens, change.tokens),
          };
          await writeFileAtomic(this.location, `${JSON.stringify(doc, null, 2)}\n`);
          this.stamp = '';
          this.refresh();
        }
        return change.result;
      }),
    );
    this.queue = run.catch(() => {});
    return run;
  }

  async auditLines(): Promise<string[]> {
    return this.auditText();
  }

  /** The audit lines; a torn last line (a crash mid-append) recorded a change never made: left out. */
  private async auditText(): Promise<string[]> {
    let text: string;
    try {
      text = await readFile(this.auditLocation, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const lines = text.split('\n').filter((line) => line !== '');
    if (!text.endsWith('\n') && lines.length > 0) lines.pop();
    return lines;
  }

  private async appendAudit(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    // A torn line left by a crash is cut off before appending.
    const text = await readFile(this.auditLocation, 'utf8').catch(() => '');
    if (text !== '' && !text.endsWith('\n'))
      await truncate(this.auditLocation, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)));
    const handle = await open(this.auditLocation, 'a');
    try {
      await handle.appendFile(lines.map((line) => `${line}\n`).join(''));
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }

  private async locked<T>(fn: () => Promise<T>): Promise<T> {
    await mkdir(this.dir, { recursive: true });
    const lock = `${this.location}.lock`;
    for (let waited = 0; ; waited += 20) {
      try {
        const handle = await open(lock, 'wx');
        await handle.writeFile(String(process.pid));
        await handle.close();
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        if (await staleLock(lock)) await rm(lock, { force: true });
        else if (waited > 10_000)
          throw new StoreError('staffLocked', `${lock} is held by another process`, `${lock} 被另一进程占用`);
        else await sleep(20);
      }
    }
    try {
      return await fn();
    } finally {
      await rm(lock, { force: true });
    }
  }
}

/** The rows with `changed` put in place (same id) or added at the end. */
export function upsert(rows: readonly StaffRow[], changed: readonly StaffRow[] | undefined): StaffRow[] {
  if (changed === undefined || changed.length === 0) return [...rows];
  const byId = new Map(changed.map((row) => [row.id, row]));
  const out = rows.map((row) => {
    const next = byId.get(row.id);
    byId.delete(row.id);
    return next ?? row;
  });
  return [...out, ...byId.values()];
}

/** A lock file whose process is gone, or older than a minute (a change takes milliseconds). */
async function staleLock(path: string): Promise<boolean> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    if (Date.now() - info.mtimeMs > 60_000) return true;
    const pid = Number(text);
    if (!Number.isInteger(pid) || pid <= 0) return Date.now() - info.mtimeMs > 1000;
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
