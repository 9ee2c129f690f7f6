import { createHash } from 'node:crypto';
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
 * The staff audit journal: append-only, each entry chained to the previous by SHA-256 (so an
 * edited or deleted entry shows), written with the change it records (`StaffStorage.change`).
 * Where the lines are kept is the storage's business: `staff-audit.jsonl` of a data directory,
 * or a table of the PostgreSQL store.
 */
export class StaffAudit {
  private readonly lines: string[] = [];
  private last: StaffAuditEntry | null;

  /** A batch of entries following the line last written (null: the journal is empty). */
  constructor(lastLine: string | null) {
    this.last = lastLine === null ? null : (JSON.parse(lastLine) as StaffAuditEntry);
  }

  add(change: Omit<StaffAuditEntry, 'seq' | 'prevHash' | 'hash'>): StaffAuditEntry {
    const body = { seq: (this.last?.seq ?? 0) + 1, ...change, prevHash: this.last?.hash ?? GENESIS };
    const entry: StaffAuditEntry = { ...body, hash: hashOf(body) };
    this.lines.push(JSON.stringify(entry));
    this.last = entry;
    return entry;
  }

  /** The lines to append, in order. */
  written(): string[] {
    return [...this.lines];
  }
}

/** Every entry of the journal's lines, oldest first; throws naming the first line that breaks the chain. */
export function checkAudit(lines: readonly string[], location: string): StaffAuditEntry[] {
  let prev = GENESIS;
  return lines.map((line, i) => {
    let entry: StaffAuditEntry;
    try {
      entry = JSON.parse(line) as StaffAuditEntry;
    } catch {
      throw broken(location, i + 1, 'not JSON');
    }
    const { hash, ...rest } = entry;
    if (entry.prevHash !== prev || hashOf(rest) !== hash) throw broken(location, i + 1, 'hash chain broken');
    prev = hash;
    return entry;
  });
}

function broken(location: string, line: number, why: string): StoreError {
  return new StoreError(
    'auditCorrupt',
    `${location} line ${line}: ${why} — the staff audit journal was altered`,
    `${location} 第 ${line} 行:人员变更记录被改动(${why === 'not JSON' ? '不是 JSON' : '哈希链断裂'})`,
  );
}
