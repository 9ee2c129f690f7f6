import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ROLES, type Role, type StaffMember } from '../machines/index.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { StoreError } from './types.ts';

interface StaffEntry extends StaffMember {
  /** SHA-256 of the bearer token; the token itself is never stored. */
  tokenHash: string;
  createdAt: string;
}

interface StaffDocument {
  format: 1;
  staff: StaffEntry[];
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Staff and their bearer tokens, in `staff.json` of the data directory. Tokens are random
 * (256 bits), shown once when created, and stored only as SHA-256 hashes. The file may be
 * changed by `gongjian token create` while a server runs: lookups of an unknown token reread
 * it when it has changed.
 *
 * @example
 * const staff = new StaffDirectory('./data');
 * const { token } = await staff.create({ name: '刘年勇', role: 'unit', unitId: 'park' });
 */
export class StaffDirectory {
  private readonly path: string;
  private byHash = new Map<string, StaffEntry>();
  private entries: StaffEntry[] = [];
  private mtimeMs = -1;

  constructor(private readonly dir: string) {
    this.path = join(dir, 'staff.json');
  }

  /** Reads staff.json if it changed since the last read. */
  async load(): Promise<void> {
    let mtimeMs: number;
    try {
      mtimeMs = (await stat(this.path)).mtimeMs;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    if (mtimeMs === this.mtimeMs) return;
    let doc: StaffDocument;
    try {
      doc = JSON.parse(await readFile(this.path, 'utf8')) as StaffDocument;
    } catch (err) {
      throw new StoreError('staffCorrupt', `${this.path} is not valid JSON: ${(err as Error).message}`, `${this.path} 不是有效的 JSON`);
    }
    this.entries = doc.staff;
    this.byHash = new Map(doc.staff.map((s) => [s.tokenHash, s]));
    this.mtimeMs = mtimeMs;
  }

  get size(): number {
    return this.entries.length;
  }

  /** The staff member a token names, or undefined. */
  async authenticate(token: string): Promise<StaffMember | undefined> {
    const hash = hashToken(token);
    if (!this.byHash.has(hash)) await this.load();
    const entry = this.byHash.get(hash);
    return entry === undefined ? undefined : { id: entry.id, name: entry.name, role: entry.role, ...(entry.unitId === undefined ? {} : { unitId: entry.unitId }) };
  }

  /** Adds a member with a new token; returns the token (shown once) and the member. */
  async create(member: { name: string; role: Role; unitId?: string; id?: string }, now = new Date()): Promise<{ token: string; staff: StaffMember }> {
    if (!(ROLES as readonly string[]).includes(member.role)) {
      throw new StoreError('badRole', `unknown role "${member.role}"; expected one of ${ROLES.join(', ')}`, `未知角色「${member.role}」,应为 ${ROLES.join('、')} 之一`);
    }
    if (member.role === 'unit' && (member.unitId === undefined || member.unitId === '')) {
      throw new StoreError('unitRequired', 'a unit member needs --unit', '责任单位经办员须指定单位(--unit)');
    }
    if (member.name.trim() === '') throw new StoreError('nameRequired', 'a name is required', '须填写姓名');
    await mkdir(this.dir, { recursive: true });
    await this.load();
    const token = `gj_${randomBytes(32).toString('base64url')}`;
    const id = member.id ?? `${member.role}-${this.entries.filter((s) => s.role === member.role).length + 1}`;
    if (this.entries.some((s) => s.id === id)) throw new StoreError('staffExists', `staff id ${id} exists`, `工作人员编号 ${id} 已存在`);
    const entry: StaffEntry = {
      id,
      name: member.name.trim(),
      role: member.role,
      ...(member.role === 'unit' ? { unitId: member.unitId } : {}),
      tokenHash: hashToken(token),
      createdAt: now.toISOString(),
    };
    const doc: StaffDocument = { format: 1, staff: [...this.entries, entry] };
    await writeFileAtomic(this.path, `${JSON.stringify(doc, null, 2)}\n`);
    this.mtimeMs = -1;
    await this.load();
    return { token, staff: { id: entry.id, name: entry.name, role: entry.role, ...(entry.unitId === undefined ? {} : { unitId: entry.unitId }) } };
  }
}
