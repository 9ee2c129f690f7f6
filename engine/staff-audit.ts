import { createHash } from 'node:crypto';
import { open, readFile, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreError } from '../store/index.ts';

export const STAFF_ACTIONS = [
  'create',
  'update',
  'disable',
  'enable',
  'password-reset',
  'password-change',
  'token-create',
  'token-revoke',
] as const;
export type StaffAction = (typeof STAFF_ACTIONS)[number];

/** One change to the staff directory: who did what to whom, and what changed (never a secret). */
export interface StaffAuditEntry {
  seq: number;
  at: string;
  /** Staff id of who made the change, or `cli` (an administrator at the server's terminal). */
  actor: string;
  action: StaffAction;
  /** Staff id the change was made to. */
  target: string;
  changes?: Record<string, { from: unknown; to: unknown }>;
  note?: string;
  prevHash: string;
  hash: string;
}

const GENESIS = '0'.repeat(64);

function hashOf(entry: Omit<StaffAuditEntry, 'hash'>): string {
  return createHash('sha256').update(JSON.stringify(entry)).digest('hex');
}

/**
 * The staff audit journal, `staff-audit.jsonl` in the data directory: append-only, each line
 * chained to the previous by SHA-256 (so an edited or deleted line shows), fsync'd before the
 * change it records is made. Callers hold the staff directory's lock.
 */
export class StaffAudit {
  readonly path: string;

  constructor(dir: string) {
    this.path = join(dir, 'staff-audit.jsonl');
  }

  /** Every entry, oldest first; throws naming the first line that breaks the chain. */
  async entries(): Promise<StaffAuditEntry[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const lines = text.split('\n').filter((line) => line !== '');
    // A torn last line (a crash mid-append) recorded a change that was never made: dropped.
    if (!text.endsWith('\n') && lines.length > 0) lines.pop();
    let prev = GENESIS;
    return lines.map((line, i) => {
      let entry: StaffAuditEntry;
      try {
        entry = JSON.parse(line) as StaffAuditEntry;
      } catch {
        throw this.broken(i + 1, 'not JSON');
      }
      const { hash, ...rest } = entry;
      if (entry.prevHash !== prev || hashOf(rest) !== hash) throw this.broken(i + 1, 'hash chain broken');
      prev = hash;
      return entry;
    });
  }

  private broken(line: number, why: string): StoreError {
    return new StoreError(
      'auditCorrupt',
      `${this.path} line ${line}: ${why} — the staff audit journal was altered`,
      `${this.path} 第 ${line} 行:人员变更记录被改动(${why === 'not JSON' ? '不是 JSON' : '哈希链断裂'})`,
    );
  }

  async append(change: Omit<StaffAuditEntry, 'seq' | 'prevHash' | 'hash'>): Promise<StaffAuditEntry> {
    const existing = await this.entries();
    const last = existing.at(-1);
    const body = { seq: (last?.seq ?? 0) + 1, ...change, prevHash: last?.hash ?? GENESIS };
    const entry: StaffAuditEntry = { ...body, hash: hashOf(body) };
    // A torn line left by a crash is cut off before appending (entries() ignored it already).
    const text = await readFile(this.path, 'utf8').catch(() => '');
    if (text !== '' && !text.endsWith('\n'))
      await truncate(this.path, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)));
    const handle = await open(this.path, 'a');
    try {
      await handle.appendFile(`${JSON.stringify(entry)}\n`);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    return entry;
  }
}
