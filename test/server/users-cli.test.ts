import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerUser } from '../../cli/user-command.ts';
import { StaffDirectory } from '../../engine/index.ts';
import { tempDir } from '../support/temp-dir.ts';

/** The user commands in this process, as `gongjian user …` runs them; what they print. */
async function user(dir: string, args: string[], stdin?: string): Promise<{ stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  const program = new Command('gongjian').exitOverride();
  registerUser(
    program,
    { stdout: (t) => (out.stdout += t), stderr: (t) => (out.stderr += t) },
    async () => stdin ?? '',
  );
  await program.parseAsync(['node', 'gongjian', 'user', ...args, '--data', dir]);
  return out;
}

describe('gongjian user create / list / disable / password', () => {
  it('create prints a generated one-time password, which signs in and must be changed', async () => {
    const dir = await tempDir();
    const { stdout } = await user(dir, [
      'create',
      '--login',
      'liu',
      '--name',
      '刘年勇',
      '--role',
      'unit',
      '--unit',
      'park',
    ]);
    const password = stdout.trim();
    expect(password).toMatch(/^\w{4}-\w{4}-\w{4}-\w{4}$/);
    const signed = await new StaffDirectory(dir).signIn('liu', password);
    expect(signed).toMatchObject({ ok: true, staff: { id: 'liu', unitId: 'park' }, mustChangePassword: true });
  });

  it('--password-stdin takes the password from standard input and prints none', async () => {
    const dir = await tempDir();
    const { stdout } = await user(
      dir,
      ['create', '--login', 'wang', '--name', '王', '--role', 'hq', '--password-stdin'],
      'chosen by me 77',
    );
    expect(stdout).toBe('');
    expect(await new StaffDirectory(dir).signIn('wang', 'chosen by me 77')).toMatchObject({
      ok: true,
      mustChangePassword: false,
    });
    await expect(
      user(dir, ['create', '--login', 'zhao', '--name', '赵', '--role', 'hq', '--password-stdin'], 'short'),
    ).rejects.toThrow(/at least 10 characters/);
  });

  it('list shows role, unit, sign-in and status; disable stops sign-in; bad input is refused clearly', async () => {
    const dir = await tempDir();
    await user(
      dir,
      ['create', '--login', 'a1', '--name', '甲', '--role', 'leader', '--password-stdin'],
      'leader pass 99',
    );
    await user(dir, ['create', '--login', 'b1', '--name', '乙', '--role', 'hq', '--password-stdin'], 'hq pass 12345');
    await user(dir, ['disable', 'a1']);
    const listed = await user(dir, ['list']);
    expect(listed.stdout).toMatch(/a1\s+甲\s+leader 领导.*disabled 停用/);
    expect(listed.stdout).toMatch(/b1\s+乙\s+hq 三高办.*enabled 启用/);
    expect(await new StaffDirectory(dir).signIn('a1', 'leader pass 99')).toEqual({ ok: false });
    await expect(user(dir, ['disable', 'nobody'])).rejects.toThrow(/no staff member has the login nobody/);
    await expect(user(dir, ['disable', 'b1'])).rejects.toThrow(/last enabled campaign-office/);
    await expect(user(dir, ['create', '--login', 'c', '--name', '丙', '--role', 'unit'])).rejects.toThrow(
      /needs a unit/,
    );
    await expect(user(dir, ['create', '--login', 'a/b', '--name', '丙', '--role', 'viewer'])).rejects.toThrow(/--id/);
    await user(dir, ['enable', 'a1']);
    const reset = await user(dir, ['password', 'a1']);
    expect(await new StaffDirectory(dir).signIn('a1', reset.stdout.trim())).toMatchObject({ ok: true });
    const audit = await new StaffDirectory(dir).auditEntries();
    expect(audit.map((e) => [e.action, e.actor, e.target])).toEqual([
      ['create', 'cli', 'a1'],
      ['create', 'cli', 'b1'],
      ['disable', 'cli', 'a1'],
      ['enable', 'cli', 'a1'],
      ['password-reset', 'cli', 'a1'],
    ]);
  });

  it('a staff.json of format 2 (tokens only) is read, and gains passwords without losing tokens', async () => {
    const dir = await tempDir();
    const old = new StaffDirectory(dir);
    const { token } = await old.create({ id: 'hq-1', name: '管理员', role: 'hq' });
    const text = (await import('node:fs/promises')).readFile(join(dir, 'staff.json'), 'utf8');
    await writeFile(join(dir, 'staff.json'), (await text).replace('"format": 3', '"format": 2'));
    await user(dir, ['password', 'hq-1', '--password-stdin'], 'now with a password');
    const staff = new StaffDirectory(dir);
    expect(staff.authenticate(token)).toMatchObject({ ok: true, staff: { id: 'hq-1' } });
    expect(await staff.signIn('hq-1', 'now with a password')).toMatchObject({ ok: true });
  });
});
