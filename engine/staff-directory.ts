import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ROLES, SAFE_ID_RULE, isSafeId, type Role, type StaffMember } from '../machines/index.ts';
import { StoreError, writeFileAtomic } from '../store/index.ts';

interface StaffEntry extends StaffMember {
  createdAt: string;
}

/** A bearer token: only its SHA-256 is stored; the token itself is shown once. */
interface TokenEntry {
  id: string;
  staffId: string;
  hash: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

interface StaffDocument {
  format: 2;
  staff: StaffEntry[];
  tokens: TokenEntry[];
}

/** Format 1 (before tokens could be revoked): one token per member, its hash on the member. */
interface StaffDocumentV1 {
  format: 1;
  staff: (StaffEntry & { tokenHash: string })[];
}

export type TokenStatus = 'active' | 'expired' | 'revoked';

/** A token as `gongjian token list` shows it (never the token itself). */
export interface TokenListing {
  id: string;
  staff: StaffMember;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  status: TokenStatus;
}

/** Who a token names, or why it names no one. */
export type Authentication =
  | { ok: true; staff: StaffMember; tokenId: string; expiresAt: string | null }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked'; at?: string };

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const member = (s: StaffEntry): StaffMember => ({
  id: s.id,
  name: s.name,
  role: s.role,
  ...(s.unitId === undefined ? {} : { unitId: s.unitId }),
});

/**
 * Staff and their bearer tokens, in `staff.json` of the data directory. Tokens are random
 * (256 bits), shown once when created, stored only as SHA-256 hashes, and may carry an expiry;
 * `gongjian token revoke` ends one. The file may be changed by the CLI while a server runs:
 * every authentication first checks (one `stat`) whether it changed and rereads it if so, so a
 * revoked token is refused on its very next request — and a flood of unknown tokens costs a
 * hash and a lookup each, never a reread.
 *
 * @example
 * const staff = new StaffDirectory('./data');
 * const { token } = await staff.create({ name: '刘年勇', role: 'unit', unitId: 'park' });
 * staff.authenticate(token); // { ok: true, staff: { id: 'unit-1', … }, tokenId: 't_…' }
 */
export class StaffDirectory {
  private readonly path: string;
  private doc: StaffDocument = { format: 2, staff: [], tokens: [] };
  private byHash = new Map<string, TokenEntry>();
  private byId = new Map<string, StaffEntry>();
  private stamp = '';

  constructor(
    private readonly dir: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.path = join(dir, 'staff.json');
  }

  /**
   * Rereads staff.json if it changed since the last read (size, mtime or inode). True when it
   * did change. Synchronous: a stat per request is microseconds, and a request must never see
   * a revoked token as valid because a reread was still in flight.
   */
  refresh(): boolean {
    let stamp: string;
    try {
      const s = statSync(this.path, { bigint: true });
      stamp = `${s.ino}:${s.size}:${s.mtimeNs}`;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      stamp = 'none';
    }
    if (stamp === this.stamp) return false;
    this.stamp = stamp;
    try {
      this.apply(stamp === 'none' ? { format: 2, staff: [], tokens: [] } : this.read());
      this.problem = null;
    } catch (err) {
      // A hand-edited, broken file must not lock everyone out: keep what was read last.
      this.problem = err as StoreError;
      return false;
    }
    return true;
  }

  /** Why the last reread of staff.json failed (the previous contents stay in use), or null. */
  problem: StoreError | null = null;

  /** Reads staff.json; throws if it cannot be read (at start, a broken file must be fixed). */
  async load(): Promise<void> {
    this.refresh();
    if (this.problem !== null) throw this.problem;
  }

  private read(): StaffDocument {
    let parsed: StaffDocument | StaffDocumentV1;
    try {
      parsed = JSON.parse(readFileSync(this.path, 'utf8')) as StaffDocument | StaffDocumentV1;
    } catch (err) {
      throw new StoreError(
        'staffCorrupt',
        `${this.path} is not valid JSON: ${(err as Error).message}`,
        `${this.path} 不是有效的 JSON`,
      );
    }
    if (parsed.format === 1) {
      return {
        format: 2,
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
    return parsed;
  }

  private apply(doc: StaffDocument): void {
    this.doc = doc;
    this.byHash = new Map(doc.tokens.map((t) => [t.hash, t]));
    this.byId = new Map(doc.staff.map((s) => [s.id, s]));
  }

  get size(): number {
    this.refresh();
    return this.doc.staff.length;
  }

  /** Who a token names, or why not: unknown, expired (and when), revoked (and when). */
  authenticate(token: string): Authentication {
    this.refresh();
    const entry = this.byHash.get(hashToken(token));
    const staff = entry === undefined ? undefined : this.byId.get(entry.staffId);
    if (entry === undefined || staff === undefined) return { ok: false, reason: 'unknown' };
    const status = this.status(entry);
    if (status === 'revoked') return { ok: false, reason: 'revoked', at: entry.revokedAt! };
    if (status === 'expired') return { ok: false, reason: 'expired', at: entry.expiresAt! };
    return { ok: true, staff: member(staff), tokenId: entry.id, expiresAt: entry.expiresAt };
  }

  /** Whether the token with this id may still be used (for open streams). */
  isActive(tokenId: string): boolean {
    const entry = this.doc.tokens.find((t) => t.id === tokenId);
    return entry !== undefined && this.byId.has(entry.staffId) && this.status(entry) === 'active';
  }

  private status(entry: TokenEntry): TokenStatus {
    if (entry.revokedAt !== null) return 'revoked';
    if (entry.expiresAt !== null && entry.expiresAt <= this.now().toISOString()) return 'expired';
    return 'active';
  }

  /** Every token, newest last, with whom it names and whether it may still be used. */
  list(): TokenListing[] {
    this.refresh();
    return this.doc.tokens.flatMap((t) => {
      const s = this.byId.get(t.staffId);
      return s === undefined
        ? []
        : [
            {
              id: t.id,
              staff: member(s),
              createdAt: t.createdAt,
              expiresAt: t.expiresAt,
              revokedAt: t.revokedAt,
              status: this.status(t),
            },
          ];
    });
  }

  /**
   * Adds a member with a new token; returns the token (shown once), its id and the member.
   * `expiresAt` (ISO 8601) ends the token by itself.
   */
  async create(input: {
    name: string;
    role: Role;
    unitId?: string;
    id?: string;
    expiresAt?: string;
  }): Promise<{ token: string; tokenId: string; staff: StaffMember }> {
    if (!(ROLES as readonly string[]).includes(input.role)) {
      throw new StoreError(
        'badRole',
        `unknown role "${input.role}"; expected one of ${ROLES.join(', ')}`,
        `未知角色「${input.role}」,应为 ${ROLES.join('、')} 之一`,
      );
    }
    if (input.role === 'unit' && (input.unitId === undefined || input.unitId === '')) {
      throw new StoreError('unitRequired', 'a unit member needs --unit', '责任单位经办员须指定单位(--unit)');
    }
    if (input.name.trim() === '') throw new StoreError('nameRequired', 'a name is required', '须填写姓名');
    for (const [what, value] of [
      ['--id', input.id],
      ['--unit', input.unitId],
    ] as const) {
      if (value !== undefined && !isSafeId(value))
        throw new StoreError(
          'badId',
          `${what} ${JSON.stringify(value)}: ${SAFE_ID_RULE.en}`,
          `${what} ${JSON.stringify(value)}:${SAFE_ID_RULE.zh}`,
        );
    }
    if (input.expiresAt !== undefined && !(Date.parse(input.expiresAt) > this.now().getTime())) {
      throw new StoreError(
        'badExpiry',
        `the expiry ${input.expiresAt} must be a date in the future`,
        `有效期 ${input.expiresAt} 须晚于当前时间`,
      );
    }
    await mkdir(this.dir, { recursive: true });
    this.refresh();
    const id = input.id ?? `${input.role}-${this.doc.staff.filter((s) => s.role === input.role).length + 1}`;
    if (this.byId.has(id)) throw new StoreError('staffExists', `staff id ${id} exists`, `工作人员编号 ${id} 已存在`);
    const token = `gj_${randomBytes(32).toString('base64url')}`;
    const createdAt = this.now().toISOString();
    const staff: StaffEntry = {
      id,
      name: input.name.trim(),
      role: input.role,
      ...(input.role === 'unit' ? { unitId: input.unitId } : {}),
      createdAt,
    };
    const entry: TokenEntry = {
      id: `t_${randomBytes(6).toString('hex')}`,
      staffId: id,
      hash: hashToken(token),
      createdAt,
      expiresAt: input.expiresAt === undefined ? null : new Date(input.expiresAt).toISOString(),
      revokedAt: null,
    };
    await this.save({ format: 2, staff: [...this.doc.staff, staff], tokens: [...this.doc.tokens, entry] });
    return { token, tokenId: entry.id, staff: member(staff) };
  }

  /**
   * Revokes the token with this id, or every active token of the member with this id. Returns
   * the ids revoked; throws when the id names neither.
   */
  async revoke(id: string): Promise<string[]> {
    this.refresh();
    const byToken = this.doc.tokens.filter((t) => t.id === id);
    const targets =
      byToken.length > 0 ? byToken : this.doc.tokens.filter((t) => t.staffId === id && this.status(t) === 'active');
    if (targets.length === 0) {
      throw new StoreError(
        'noSuchToken',
        `no token or staff member with active tokens has the id ${id} (see "gongjian token list")`,
        `没有编号为 ${id} 的令牌或持有有效令牌的工作人员(见 "gongjian token list")`,
      );
    }
    const at = this.now().toISOString();
    const ids = new Set(targets.map((t) => t.id));
    await this.save({
      ...this.doc,
      tokens: this.doc.tokens.map((t) => (ids.has(t.id) && t.revokedAt === null ? { ...t, revokedAt: at } : t)),
    });
    return [...ids];
  }

  private async save(doc: StaffDocument): Promise<void> {
    await writeFileAtomic(this.path, `${JSON.stringify(doc, null, 2)}\n`);
    this.stamp = '';
    this.refresh();
  }
}
