import type { Command } from 'commander';
import { ROLES, type Role } from '../machines/index.ts';
import type { TokenListing } from '../engine/index.ts';
import { checkUnit, DATA_OPTION, STORE_OPTION, withStaff, type StaffPlace } from './staff-access.ts';

/** `--expires 2027-06-30` (end of that day, Asia/Shanghai) or `--expires-in 90d` / `12h`. */
export function expiryOf(options: { expires?: string; expiresIn?: string }, now = new Date()): string | undefined {
  if (options.expires !== undefined && options.expiresIn !== undefined)
    throw new Error('give --expires or --expires-in, not both / 二者选一');
  if (options.expires !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(options.expires) || Number.isNaN(Date.parse(`${options.expires}T23:59:59+08:00`))) {
      throw new Error(`--expires must be a date YYYY-MM-DD (got ${options.expires}) / --expires 须为日期`);
    }
    return new Date(`${options.expires}T23:59:59+08:00`).toISOString();
  }
  if (options.expiresIn !== undefined) {
    const m = /^(\d{1,5})([dh])$/.exec(options.expiresIn);
    if (m === null)
      throw new Error(
        `--expires-in must look like 90d or 12h (got ${options.expiresIn}) / --expires-in 形如 90d 或 12h`,
      );
    return new Date(now.getTime() + Number(m[1]) * (m[2] === 'd' ? 86_400_000 : 3_600_000)).toISOString();
  }
  return undefined;
}

const STATUS_ZH = { active: '有效', expired: '已过期', revoked: '已吊销' } as const;

/** Width of text on a terminal: CJK characters take two columns. */
const columns = (text: string) => [...text].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);

/** A plain-text table aligned for a terminal (CJK-aware). */
export function textTable(head: string[], rows: string[][]): string {
  const width = (i: number) => Math.max(...[head, ...rows].map((r) => columns(r[i]!)));
  const pad = (text: string, i: number) => text + ' '.repeat(width(i) - columns(text));
  return [head, ...rows].map((r) => r.map(pad).join('  ').trimEnd()).join('\n');
}

function table(tokens: TokenListing[]): string {
  return textTable(
    ['token', 'staff', 'name 姓名', 'role 角色', 'created', 'expires', 'status 状态'],
    tokens.map((t) => [
      t.id,
      t.staff.id,
      t.staff.name,
      t.staff.role + (t.staff.unitId ? `:${t.staff.unitId}` : ''),
      t.createdAt.slice(0, 10),
      t.expiresAt?.slice(0, 16) ?? '—',
      `${t.status} ${STATUS_ZH[t.status]}`,
    ]),
  );
}

/** Where a command's output goes: the process's streams, or a test's collector. */
export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const PROCESS_OUTPUT: Output = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

export function registerToken(program: Command, out: Output = PROCESS_OUTPUT): void {
  const token = program.command('token').description('manage staff access tokens / 管理访问令牌');
  token
    .command('create')
    .description('create a staff member and print their new token (only the token, once) / 创建令牌')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .requiredOption('--name <name>', 'the person’s name')
    .option('--unit <unit>', 'the unit (required for role unit)')
    .option('--id <id>', 'staff id (default: <role>-<n>)')
    .option('--expires <date>', 'last day the token works, YYYY-MM-DD (Asia/Shanghai)')
    .option('--expires-in <span>', 'the token works for this long: 90d, 12h')
    .option(...DATA_OPTION)
    .option(...STORE_OPTION)
    .action(
      async (
        options: {
          role: string;
          name: string;
          unit?: string;
          id?: string;
          expires?: string;
          expiresIn?: string;
        } & StaffPlace,
      ) => {
        await checkUnit(options, options.unit);
        const created = await withStaff(options, (staff) =>
          staff.create({
            name: options.name,
            role: options.role as Role,
            unitId: options.unit,
            id: options.id,
            expiresAt: expiryOf(options),
          }),
        );
        out.stdout(`${created.token}\n`);
        const { staff: who, tokenId } = created;
        const role = `${who.role}${who.unitId ? `, ${who.unitId}` : ''}`;
        out.stderr(`created ${who.id} (${role}), token ${tokenId} / 已创建\n`);
      },
    );
  token
    .command('list')
    .description('every token: whose, since when, until when, and whether it still works / 列出令牌')
    .option('--json', 'as JSON')
    .option(...DATA_OPTION)
    .option(...STORE_OPTION)
    .action(async (options: { json?: boolean } & StaffPlace) => {
      const tokens = await withStaff(options, (staff) => staff.list());
      out.stdout(
        options.json === true
          ? `${JSON.stringify(tokens, null, 2)}\n`
          : `${tokens.length === 0 ? '(no tokens / 无令牌)' : table(tokens)}\n`,
      );
    });
  token
    .command('revoke')
    .description(
      'end a token (by token id), or every token of a staff member (by staff id); a running server refuses it at ' +
        'once / 吊销令牌',
    )
    .argument('<id>', 'token id (t_…) or staff id')
    .option(...DATA_OPTION)
    .option(...STORE_OPTION)
    .action(async (id: string, options: StaffPlace) => {
      const revoked = await withStaff(options, (staff) => staff.revoke(id));
      out.stdout(`revoked / 已吊销: ${revoked.join(', ')}\n`);
    });
}
