import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { verify } from '../../engine/index.ts';
import { tempDir } from '../support/temp-dir.ts';

const BIN = join(import.meta.dirname, '../../bin/gongjian.js');

describe('gongjian serve and token create', () => {
  it('first start on an empty directory prints one hq token, loads the demo, serves, and shuts down ' +
    'cleanly', async () => {
    const dir = await tempDir();
    const child = spawn(process.execPath, [BIN, 'serve', '--data', dir, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        const m = /"port":(\d+)/.exec(line);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    });
    const token = /gj_[\w-]+/.exec(stderr)?.[0];
    expect(token).toBeDefined();
    const projects = await fetch(`http://127.0.0.1:${port}/api/projects`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(((await projects.json()) as { projects: unknown[] }).projects.length).toBeGreaterThan(5);
    // A token created by the CLI while the server runs is accepted at once.
    const { stdout } = await promisify(execFile)(process.execPath, [
      BIN,
      'token',
      'create',
      '--role',
      'unit',
      '--unit',
      'economic-zone',
      '--name',
      '刘年勇',
      '--data',
      dir,
    ]);
    expect(stdout).toMatch(/^gj_[\w-]+\n$/);
    const mine = await fetch(`http://127.0.0.1:${port}/api/projects/jingcai-2`, {
      headers: { Authorization: `Bearer ${stdout.trim()}` },
    });
    expect(mine.status).toBe(200);
    // The demo's campaign defines its units: a token for a unit it does not have is refused.
    await expect(
      promisify(execFile)(process.execPath, [
        BIN,
        'token',
        'create',
        '--role',
        'unit',
        '--unit',
        'atlantis',
        '--name',
        'x',
        '--data',
        dir,
      ]),
    ).rejects.toMatchObject({ stderr: expect.stringContaining('no such unit') });
    child.kill('SIGTERM');
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0);
    expect(stderr.match(/gj_/g)).toHaveLength(1);
    expect((await verify(dir)).ok).toBe(true);
  }, 30_000);

  it('token create works with the server stopped, prints only the token, and refuses bad input', async () => {
    const dir = await tempDir();
    const run = (...args: string[]) =>
      promisify(execFile)(process.execPath, [BIN, 'token', 'create', ...args, '--data', dir]);
    expect((await run('--role', 'finance', '--name', '财政局张三')).stdout).toMatch(/^gj_[\w-]{43}\n$/);
    await expect(run('--role', 'unit', '--name', '无单位')).rejects.toMatchObject({
      stderr: expect.stringContaining('--unit'),
    });
    await expect(run('--role', 'mayor', '--name', 'x')).rejects.toMatchObject({
      stderr: expect.stringContaining('unknown role'),
    });
    await expect(run('--role', 'unit', '--unit', '../x', '--name', 'x')).rejects.toMatchObject({
      stderr: expect.stringContaining('ASCII letters'),
    });
  }, 30_000);
});
