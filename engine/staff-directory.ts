import { createHash, randomBytes } from 'node:crypto';
import { ROLES, SAFE_ID_RULE, isSafeId, type Role, type StaffMember } from '../machines/index.ts';
import { StaffFile, StoreError, type StaffRow, type StaffRows, type StaffStorage } from '../store/index.ts';
import { decoyHash, generatePassword, hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { StaffAudit, checkAudit, type StaffAction, type StaffAuditEntry } from './staff-audit.ts';

/** A password as stored: its scrypt hash, when it was set, whether it must be changed at sign-in. */
interface PasswordEntry {
  hash: string;
  setAt: string;
  /** Set by an administrator (generated): the person chooses their own at first sign-in. */
  mustChange: boolean;
}

interface StaffEntry extends StaffMember {
  createdAt: string;
  /** Sign-in with a password (the web app); absent for members who only use API tokens. */
  password?: PasswordEntry;
  /** A disabled member can neither sign in nor use their tokens, until enabled again. */
  disabledAt?: string | null;
}

/** A member as the staff page and `gongjian user list` show them (never a hash). */
export interface StaffAccount extends StaffMember {
  createdAt: string;
  disabledAt: string | null;
  hasPassword: boolean;
  mustChangePassword: boolean;
  passwordSetAt: string | null;
  activeTokens: number;
}

/** What a sign-in found: the member, or nothing (the same answer for a wrong name or password). */
export type SignIn =
  | { ok: true; staff: StaffMember; mustChangePassword: boolean; passwordSetAt: string }
  | { ok: false };

export type { StaffAuditEntry } from './staff-audit.ts';

/** A bearer token: only its SHA-256 is stored; the token itself is shown once. */
interface TokenEntry {
  id: string;
  staffId: string;
  hash: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
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
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'disabled'; at?: string };

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
 * Staff and their bearer tokens. Tokens are random (256 bits), shown once when created, stored
 * only as SHA-256 hashes, and may carry an expiry; `gongjian token revoke` ends one. Kept in a
 * `StaffStorage`: `staff.json` of the data directory (the CLI may change it while a server runs:
 * every authentication first checks, with one `stat`, whether it changed), or the PostgreSQL
 * store's tables, kept current on every node by the database's notices. A flood of unknown tokens
 * costs a hash and a lookup each, never a reread.
 *
 * @example
 * const staff = new StaffDirectory('./data');
 * const { token } = await staff.create({ name: '刘年勇', role: 'unit', unitId: 'park' });
 * staff.authenticate(token); // { ok: true, staff: { id: 'unit-1', … }, tokenId: 't_…' }
 */
export class StaffDirectory {
  private readonly storage: StaffStorage;
  private doc: { staff: StaffEntry[]; tokens: TokenEntry[] } = { staff: [], tokens: [] };
  private byHash = new Map<string, TokenEntry>();
  private byId = new Map<string, StaffEntry>();
  private byTokenId = new Map<string, TokenEntry>();

  /** A data directory (its `staff.json`), or a storage such as `PgStore.staffStorage()`. */
  constructor(
    where: string | StaffStorage,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.storage = typeof where === 'string' ? new StaffFile(where) : where;
  }

  /** Where the directory is kept (a file, or a database), for messages. */
  get location(): string {
    return this.storage.location;
  }

  /**
   * Takes in changes another process made (the CLI, another node).
   * Synchronous: a request must never see a revoked token as valid because a reread was in flight.
   */
  refresh(): void {
    this.storage.refresh();
    // New rows (reread from the file, or brought by a notice): indexed again.
    if (this.rows !== this.storage.rows()) this.apply(this.storage.rows());
  }

  /** Why the last reread failed (the previous contents stay in use), or null. */
  get problem(): StoreError | null {
    return this.storage.problem;
  }

  /** Reads the directory; throws if it cannot be read (at start, a broken file must be fixed). */
  async load(): Promise<void> {
    await this.storage.load();
    this.apply(this.storage.rows());
  }

  private rows: StaffRows | null = null;

  private apply(rows: StaffRows): void {
    this.rows = rows;
    this.doc = { staff: rows.staff as unknown as StaffEntry[], tokens: rows.tokens as unknown as TokenEntry[] };
    this.byHash = new Map(this.doc.tokens.map((t) => [t.hash, t]));
    this.byId = new Map(this.doc.staff.map((s) => [s.id, s]));
    this.byTokenId = new Map(this.doc.tokens.map((t) => [t.id, t]));
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
    if (staff.disabledAt) return { ok: false, reason: 'disabled', at: staff.disabledAt };
    const status = this.status(entry);
    if (status === 'revoked') return { ok: false, reason: 'revoked', at: entry.revokedAt! };
    if (status === 'expired') return { ok: false, reason: 'expired', at: entry.expiresAt! };
    return { ok: true, staff: member(staff), tokenId: entry.id, expiresAt: entry.expiresAt };
  }

  /** Whether the token with this id may still be used (for open streams). */
  isActive(tokenId: string): boolean {
    const entry = this.byTokenId.get(tokenId);
    const staff = entry === undefined ? undefined : this.byId.get(entry.staffId);
    return entry !== undefined && staff !== undefined && !staff.disabledAt && this.status(entry) === 'active';
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
  async create(
    input: { name: string; role: Role; unitId?: string; id?: string; expiresAt?: string },
    actor = 'cli',
  ): Promise<{ token: string; tokenId: string; staff: StaffMember }> {
    checkMember(input);
    if (input.expiresAt !== undefined && !(Date.parse(input.expiresAt) > this.now().getTime())) {
      throw new StoreError(
        'badExpiry',
        `the expiry ${input.expiresAt} must be a date in the future`,
        `有效期 ${input.expiresAt} 须晚于当前时间`,
      );
    }
    return this.locked(async () => {
      const id = input.id ?? `${input.role}-${this.doc.staff.filter((s) => s.role === input.role).length + 1}`;
      this.mustBeNew(id);
      const token = `gj_${randomBytes(32).toString('base64url')}`;
      const createdAt = this.now().toISOString();
      const staff = newEntry(id, input, createdAt);
      const entry: TokenEntry = {
        id: `t_${randomBytes(6).toString('hex')}`,
        staffId: id,
        hash: hashToken(token),
        createdAt,
        expiresAt: input.expiresAt === undefined ? null : new Date(input.expiresAt).toISOString(),
        revokedAt: null,
      };
      this.record(actor, 'create', id, { ...memberChanges(undefined, staff) });
      this.record(actor, 'token-create', id, {}, `${entry.id}${entry.expiresAt ? ` until ${entry.expiresAt}` : ''}`);
      this.put({ staff: [staff], tokens: [entry] });
      return { token, tokenId: entry.id, staff: member(staff) };
    });
  }

  /**
   * Revokes the token with this id, or every active token of the member with this id. Returns
   * the ids revoked; throws when the id names neither.
   */
  async revoke(id: string, actor = 'cli'): Promise<string[]> {
    return this.locked(async () => {
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
      for (const t of targets) this.record(actor, 'token-revoke', t.staffId, {}, t.id);
      this.put({ tokens: targets.filter((t) => t.revokedAt === null).map((t) => ({ ...t, revokedAt: at })) });
      return [...ids];
    });
  }

  /** Every member, in the order they were added, as the staff page shows them. */
  accounts(): StaffAccount[] {
    this.refresh();
    return this.doc.staff.map((s) => this.accountOf(s));
  }

  /** One member's account, or undefined. */
  account(id: string): StaffAccount | undefined {
    this.refresh();
    const s = this.byId.get(id);
    return s === undefined ? undefined : this.accountOf(s);
  }

  private accountOf(s: StaffEntry): StaffAccount {
    return {
      ...member(s),
      createdAt: s.createdAt,
      disabledAt: s.disabledAt ?? null,
      hasPassword: s.password !== undefined,
      mustChangePassword: s.password?.mustChange ?? false,
      passwordSetAt: s.password?.setAt ?? null,
      activeTokens: this.doc.tokens.filter((t) => t.staffId === s.id && this.status(t) === 'active').length,
    };
  }

  /**
   * Adds a member who signs in with a password (`login` is their staff id). Without a
   * password one is generated, returned once, and must be changed at the first sign-in.
   */
  async createAccount(
    input: { login: string; name: string; role: Role; unitId?: string; password?: string },
    actor = 'cli',
  ): Promise<{ staff: StaffAccount; password: string; generated: boolean }> {
    checkMember({ ...input, id: input.login });
    if (input.password !== undefined) checkPassword(input.password, input.login);
    const password = input.password ?? generatePassword();
    const hash = await hashPassword(password);
    return this.locked(async () => {
      this.mustBeNew(input.login);
      const at = this.now().toISOString();
      const staff: StaffEntry = {
        ...newEntry(input.login, input, at),
        password: { hash, setAt: at, mustChange: input.password === undefined },
      };
      this.record(actor, 'create', staff.id, memberChanges(undefined, staff), 'with a password');
      this.put({ staff: [staff] });
      return { staff: this.accountOf(staff), password, generated: input.password === undefined };
    });
  }

  /** Changes a member's name, role or unit (hq, or `gongjian user`). */
  async updateAccount(
    id: string,
    change: { name?: string; role?: Role; unitId?: string | null },
    actor = 'cli',
  ): Promise<StaffAccount> {
    return this.locked(async () => {
      const before = this.existing(id);
      const role = change.role ?? before.role;
      const unitId = change.unitId === null ? undefined : (change.unitId ?? before.unitId);
      const name = change.name ?? before.name;
      checkMember({ id, name, role, unitId });
      if (before.role === 'hq' && role !== 'hq') this.keepAnHq(id, 'demote');
      const { unitId: _old, ...rest } = before;
      const after: StaffEntry = { ...rest, name: name.trim(), role, ...(role === 'unit' ? { unitId } : {}) };
      const changes = memberChanges(before, after);
      if (Object.keys(changes).length === 0) return this.accountOf(before);
      this.record(actor, 'update', id, changes);
      this.replace(after);
      return this.accountOf(after);
    });
  }

  /** Disables (or enables) a member: no sign-in, no token, no open session or stream. */
  async setDisabled(id: string, disabled: boolean, actor = 'cli'): Promise<StaffAccount> {
    return this.locked(async () => {
      const before = this.existing(id);
      if (Boolean(before.disabledAt) === disabled) return this.accountOf(before);
      if (disabled && actor === id)
        throw new StoreError('disableSelf', 'you cannot disable yourself', '不能停用自己的账号');
      if (disabled && before.role === 'hq') this.keepAnHq(id, 'disable');
      const after: StaffEntry = { ...before, disabledAt: disabled ? this.now().toISOString() : null };
      this.record(actor, disabled ? 'disable' : 'enable', id, {
        disabledAt: { from: before.disabledAt ?? null, to: after.disabledAt },
      });
      this.replace(after);
      return this.accountOf(after);
    });
  }

  /**
   * An administrator sets a member's password: the given one (`gongjian user password
   * --password-stdin`), or a generated one the member must change at sign-in. Ends the
   * member's sessions (they were started with the old password).
   */
  async resetPassword(id: string, actor = 'cli', password?: string): Promise<{ password: string }> {
    if (password !== undefined) checkPassword(password, id);
    const chosen = password ?? generatePassword();
    const hash = await hashPassword(chosen);
    await this.locked(async () => {
      const before = this.existing(id);
      const at = this.now().toISOString();
      this.record(actor, 'password-reset', id, {}, password === undefined ? 'generated' : 'given');
      this.replace({ ...before, password: { hash, setAt: at, mustChange: password === undefined } });
    });
    return { password: chosen };
  }

  /** A member changes their own password, proving the current one. */
  async changePassword(id: string, current: string, next: string): Promise<{ setAt: string }> {
    const stored = this.existing(id).password;
    if (stored === undefined || !(await verifyPassword(current, stored.hash)))
      throw new StoreError('wrongPassword', 'the current password is wrong', '当前密码不正确');
    if (current === next)
      throw new StoreError('samePassword', 'choose a new password, not the current one', '新密码不能与当前密码相同');
    checkPassword(next, id);
    const hash = await hashPassword(next);
    return this.locked(async () => {
      const before = this.existing(id);
      const setAt = this.now().toISOString();
      this.record(id, 'password-change', id, {});
      this.replace({ ...before, password: { hash, setAt, mustChange: false } });
      return { setAt };
    });
  }

  /**
   * Checks a sign-in. A wrong name, a wrong password, a disabled member and one without a
   * password all get the same answer after the same work (one scrypt), so neither the answer
   * nor its timing tells which part was wrong.
   */
  async signIn(login: string, password: string): Promise<SignIn> {
    this.refresh();
    const entry = this.byId.get(login);
    const stored = entry?.password;
    const matches = await verifyPassword(password, stored?.hash ?? (await decoyHash()));
    if (entry === undefined || stored === undefined || !matches || entry.disabledAt) return { ok: false };
    return { ok: true, staff: member(entry), mustChangePassword: stored.mustChange, passwordSetAt: stored.setAt };
  }

  /**
   * The member a sign-in session belongs to, while it may still be used: the member exists,
   * is not disabled, and has not had their password set since the session began.
   */
  sessionMember(id: string, passwordSetAt: string): { staff: StaffMember; mustChangePassword: boolean } | null {
    this.refresh();
    const entry = this.byId.get(id);
    if (entry === undefined || entry.disabledAt || entry.password?.setAt !== passwordSetAt) return null;
    return { staff: member(entry), mustChangePassword: entry.password.mustChange };
  }

  /** The audit journal, oldest first (checked: an altered line is an error). */
  async auditEntries(): Promise<StaffAuditEntry[]> {
    return checkAudit(await this.storage.auditLines(), this.storage.auditLocation);
  }

  private existing(id: string): StaffEntry {
    this.refresh();
    const entry = this.byId.get(id);
    if (entry === undefined)
      throw new StoreError('noSuchStaff', `no staff member has the login ${id}`, `没有用户名为 ${id} 的工作人员`);
    return entry;
  }

  private mustBeNew(id: string): void {
    if (this.byId.has(id)) throw new StoreError('staffExists', `staff id ${id} exists`, `工作人员编号 ${id} 已存在`);
  }

  /** Refuses to leave the directory without an enabled hq member who can sign in. */
  private keepAnHq(id: string, what: 'disable' | 'demote'): void {
    const others = this.doc.staff.filter((s) => s.id !== id && s.role === 'hq' && !s.disabledAt);
    if (others.length === 0)
      throw new StoreError(
        'lastHq',
        `cannot ${what} ${id}: it is the last enabled campaign-office (hq) member`,
        `不能${what === 'disable' ? '停用' : '改变角色'}:${id} 是最后一位启用中的三高办(hq)人员`,
      );
  }

  /** The change being made (inside `locked`): its audit entries and the rows it writes. */
  private pending: { audit: StaffAudit; staff: StaffEntry[]; tokens: TokenEntry[] } | null = null;

  private record(
    actor: string,
    action: StaffAction,
    target: string,
    changes: Record<string, { from: unknown; to: unknown }>,
    note?: string,
  ): void {
    this.pending!.audit.add({
      at: this.now().toISOString(),
      actor,
      action,
      target,
      ...(Object.keys(changes).length === 0 ? {} : { changes }),
      ...(note === undefined ? {} : { note }),
    });
  }

  private replace(entry: StaffEntry): void {
    this.put({ staff: [entry] });
  }

  private put(rows: { staff?: StaffEntry[]; tokens?: TokenEntry[] }): void {
    this.pending!.staff.push(...(rows.staff ?? []));
    this.pending!.tokens.push(...(rows.tokens ?? []));
  }

  /**
   * Runs a read-modify-write of the directory alone among every process sharing it (the
   * storage's lock or transaction), on the directory as it is now; what `fn` recorded and put is
   * written together, or nothing is.
   */
  private async locked<T>(fn: () => Promise<T>): Promise<T> {
    const result = await this.storage.change(async (rows, lastAudit) => {
      this.apply(rows);
      this.pending = { audit: new StaffAudit(lastAudit), staff: [], tokens: [] };
      try {
        const result = await fn();
        const { audit, staff, tokens } = this.pending;
        return {
          ...(staff.length === 0 ? {} : { staff: staff as unknown as StaffRow[] }),
          ...(tokens.length === 0 ? {} : { tokens: tokens as unknown as StaffRow[] }),
          audit: audit.written(),
          result,
        };
      } finally {
        this.pending = null;
      }
    });
    this.apply(this.storage.rows());
    return result;
  }
}

function checkMember(input: { name: string; role: Role; unitId?: string; id?: string }): void {
  if (!(ROLES as readonly string[]).includes(input.role)) {
    throw new StoreError(
      'badRole',
      `unknown role "${input.role}"; expected one of ${ROLES.join(', ')}`,
      `未知角色「${input.role}」,应为 ${ROLES.join('、')} 之一`,
    );
  }
  if (input.role === 'unit' && (input.unitId === undefined || input.unitId === '')) {
    throw new StoreError('unitRequired', 'a unit member needs a unit (--unit)', '责任单位经办员须指定单位(--unit)');
  }
  if (input.name.trim() === '') throw new StoreError('nameRequired', 'a name is required', '须填写姓名');
  if (input.name.length > 100)
    throw new StoreError('nameTooLong', 'a name has at most 100 characters', '姓名最多 100 字');
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
}

function checkPassword(password: string, login: string): void {
  const problem = passwordProblem(password, login);
  if (problem !== null) throw new StoreError('weakPassword', problem.en, problem.zh);
}

function newEntry(id: string, input: { name: string; role: Role; unitId?: string }, createdAt: string): StaffEntry {
  return {
    id,
    name: input.name.trim(),
    role: input.role,
    ...(input.role === 'unit' ? { unitId: input.unitId } : {}),
    createdAt,
  };
}

/** What an audit entry records of a member change: name, role, unit (never a password). */
function memberChanges(
  before: StaffEntry | undefined,
  after: StaffEntry,
): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of ['name', 'role', 'unitId'] as const) {
    const from = before?.[key] ?? null;
    const to = after[key] ?? null;
    if (from !== to) out[key] = { from, to };
  }
  return out;
}
