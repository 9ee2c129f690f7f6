import type { Command } from 'commander';
import { ROLES, ROLE_LABELS, type Role } from '../machines/index.ts';
import type { StaffAccount } from '../engine/index.ts';
import { checkUnit, DATA_OPTION, STORE_OPTION, withStaff, type StaffPlace } from './staff-access.ts';
import { textTable, type Output, PROCESS_OUTPUT } from './token-command.ts';

/** Reads a password from standard input: the first line, without its line ending. */
async function passwordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const line = text.split(/\r?\n/)[0] ?? '';
  if (line === '') throw new Error('--password-stdin: standard input is empty / 标准输入为空');
  return line;
}

function accountsTable(accounts: StaffAccount[]): string {
  return textTable(
    ['login 用户名', 'name 姓名', 'role 角色', 'unit 单位', 'sign-in 登录', 'tokens 令牌', 'status 状态'],
    accounts.map((a) => [
      a.id,
      a.name,
      `${a.role} ${ROLE_LABELS[a.role].zh}`,
      a.unitId ?? '—',
      a.hasPassword ? (a.mustChangePassword ? 'password (must change)' : 'password') : '—',
      String(a.activeTokens),
      a.disabledAt === null ? 'enabled 启用' : `disabled 停用 ${a.disabledAt.slice(0, 10)}`,
    ]),
  );
}

/**
 * `gongjian user …`: staff who sign in to the web app. The same directory and audit journal
 * as the hq page 人员管理; works while the server runs (it rereads staff.json on the next request); `--store` for the
 * directory several nodes share in PostgreSQL.
 */
export function registerUser(
  program: Command,
  out: Output = PROCESS_OUTPUT,
  stdin: () => Promise<string> = passwordFromStdin,
): void {
  const user = program.command('user').description('manage who signs in to the web app / 管理登录账号');
  user
    .command('create')
    .description('add a member who signs in with a password; prints a generated one unless given on stdin / 创建账号')
    .requiredOption('--login <login>', 'user name (also the staff id)')
    .requiredOption('--name <name>', 'the person’s name')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--unit <unit>', 'the unit (required for role unit)')
    .option('--password-stdin', 'read the password from standard input (else one is generated, to change at sign-in)')
    .option(...DATA_OPTION)
    .option(...STORE_OPTION)
    .action(
      async (
        options: {
          login: string;
          name: string;
          role: string;
          unit?: string;
          passwordStdin?: boolean;
        } & StaffPlace,
      ) => {
        await checkUnit(options, options.unit);
        const password = options.passwordStdin === true ? await stdin() : undefined;
        const created = await withStaff(options, (staff) =>
          staff.createAccount({
            login: options.login,
            name: options.name,
            role: options.role as Role,
            unitId: options.unit,
            password,
          }),
        );
        if (created.generated) out.stdout(`${created.password}\n`);
        const { id, role, unitId } = created.staff;
        out.stderr(
          `created ${id} (${role}${unitId ? `, ${unitId}` : ''})` +
            (created.generated ? ', one-time password above (to change at first sign-in)' : '') +
            ' / 已创建\n',
        );
      },
    );
  user
    .command('list')
    .description('every member: role, unit, how they sign in, whether enabled / 列出账号')
    .option('--json', 'as JSON')
    .option(...DATA_OPTION)
    .option(...STORE_OPTION)
    .action(async (options: { json?: boolean } & StaffPlace) => {
      const accounts = await withStaff(options, (staff) => staff.accounts());
      out.stdout(
        options.json === true
          ? `${JSON.stringify(accounts, null, 2)}\n`
          : `${accounts.length === 0 ? '(no staff / 无人员)' : accountsTable(accounts)}\n`,
      );
    });
  user
    .command('disable')
    .description('stop a member signing in and using their tokens (a running server refuses them at once) / 停用')
    .argument('<login>')
    .option(...DATA_OPTION)
    .option(...STORE_OPTION)
    .action(async (login: string, options: StaffPlace) => {
      await withStaff(options, (staff) => staff.setDisabled(login, true));
      out.stdout(`disabled / 已停用: ${login}\n`);
    });
  user
    .command('enable')
    .description('let a disabled member sign in again / 启用')
    .argument('<login>')
    .option(...DATA_OPTION)
    .option(...STORE_OPTION)
    .action(async (login: string, options: StaffPlace) => {
      await withStaff(options, (staff) => staff.setDisabled(login, false));
      out.stdout(`enabled / 已启用: ${login}\n`);
    });
  user
    .command('password')
    .description('set a member’s password: generated (to change at sign-in) or from stdin / 重置密码')
    .argument('<login>')
    .option('--password-stdin', 'read the password from standard input')
    .option(...DATA_OPTION)
    .option(...STORE_OPTION)
    .action(async (login: string, options: { passwordStdin?: boolean } & StaffPlace) => {
      const given = options.passwordStdin === true ? await stdin() : undefined;
      const { password } = await withStaff(options, (staff) => staff.resetPassword(login, 'cli', given));
      if (given === undefined) out.stdout(`${password}\n`);
      out.stderr(`password set for ${login} / 已重置密码\n`);
    });
}
