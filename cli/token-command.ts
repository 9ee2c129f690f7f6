import type { Command } from 'commander';
import { ROLES, type Role } from '../machines/index.ts';
import { StaffDirectory } from '../store/index.ts';
import { dataDir } from './data-dir.ts';

export function registerToken(program: Command): void {
  const token = program.command('token').description('manage staff access tokens / 管理访问令牌');
  token
    .command('create')
    .description('create a staff member and print their new token (only the token, once) / 创建令牌')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .requiredOption('--name <name>', 'the person’s name')
    .option('--unit <unit>', 'the unit (required for role unit)')
    .option('--id <id>', 'staff id (default: <role>-<n>)')
    .option('--data <dir>', 'data directory (default: $GONGJIAN_DATA or ./data)')
    .action(async (options: { role: string; name: string; unit?: string; id?: string; data?: string }) => {
      const staff = new StaffDirectory(dataDir(options.data));
      const created = await staff.create({ name: options.name, role: options.role as Role, unitId: options.unit, id: options.id });
      process.stdout.write(`${created.token}\n`);
      process.stderr.write(`created ${created.staff.id} (${created.staff.role}${created.staff.unitId ? `, ${created.staff.unitId}` : ''}) / 已创建\n`);
    });
}
