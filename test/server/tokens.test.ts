import { readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Command } from 'commander';
import { pino } from 'pino';
import { registerToken } from '../../cli/token-command.ts';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../engine/index.ts';
import { createApp } from '../../server/app.ts';
import { MemoryStore, StaffDirectory } from '../../engine/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { readUntil } from '../support/until.ts';

// Hardening issue, defect 5: tokens could not be revoked, and a change to staff.json was only
// noticed when some unknown token happened to arrive.

async function app(now: () => Date = () => new Date()) {
  const dir = await tempDir();
  const engine = new Engine({ store: new MemoryStore() });
  await engine.open();
  const staff = new StaffDirectory(dir, now);
  const made = createApp({ engine, staff, logger: pino({ level: 'silent' }) });
  return { ...made, dir, staff };
}

describe('token lifecycle', () => {
  it('a token revoked by another process (the CLI) is refused on its very next request', async () => {
    const { app: server, dir, staff, closeStreams } = await app();
    const { token, tokenId } = await staff.create({ name: '张三', role: 'viewer' });
    expect((await request(server).get('/api/projects').set('Authorization', `Bearer ${token}`)).status).toBe(200);
    await new StaffDirectory(dir).revoke(tokenId);
    const res = await request(server)
      .get('/api/projects')
      .set('Authorization', `Bearer ${token}`)
      .set('Accept-Language', 'en');
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/revoked on \d{4}-/);
    expect(res.body.zh.detail).toMatch(/吊销/);
    closeStreams();
  });

  it('a token removed from staff.json is refused at once', async () => {
    const { app: server, dir, staff, closeStreams } = await app();
    const { token } = await staff.create({ name: '张三', role: 'viewer' });
    await staff.create({ name: '李四', role: 'viewer' });
    const doc = JSON.parse(await readFile(join(dir, 'staff.json'), 'utf8')) as { tokens: unknown[] };
    await writeFile(join(dir, 'staff.json'), JSON.stringify({ ...doc, tokens: doc.tokens.slice(1) }));
    expect((await request(server).get('/api/projects').set('Authorization', `Bearer ${token}`)).status).toBe(401);
    closeStreams();
  });

  it('a token past its expiry is refused, saying when it expired', async () => {
    let clock = new Date('2026-11-30T00:00:00Z');
    const { app: server, staff, closeStreams } = await app(() => clock);
    const { token } = await staff.create({ name: '张三', role: 'viewer', expiresAt: '2026-12-01T00:00:00Z' });
    expect((await request(server).get('/api/projects').set('Authorization', `Bearer ${token}`)).status).toBe(200);
    clock = new Date('2026-12-01T00:00:01Z');
    const res = await request(server)
      .get('/api/projects')
      .set('Authorization', `Bearer ${token}`)
      .set('Accept-Language', 'en');
    expect(res.status).toBe(401);
    expect(res.body.detail).toBe(
      'the token expired on 2026-12-01T00:00:00.000Z; ask the campaign office for a new one',
    );
    closeStreams();
  });

  it('revoking a token closes the streams it opened', async () => {
    const { app: server, hub, dir, staff, closeStreams } = await app();
    const { token, tokenId } = await staff.create({ name: '张三', role: 'viewer' });
    const { token: other } = await staff.create({ name: '李四', role: 'viewer' });
    const listening = server.listen(0);
    const base = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
    try {
      const mine = await fetch(`${base}/api/stream?access_token=${token}`);
      const theirs = await fetch(`${base}/api/stream?access_token=${other}`);
      expect([mine.status, theirs.status]).toEqual([200, 200]);
      await new StaffDirectory(dir).revoke(tokenId);
      const text = await readUntil(mine.body!.getReader(), (t) => t.includes('event: dropped'));
      expect(text).toContain('event: dropped\ndata: {"reason":"revoked"}');
      expect(hub.size).toBe(1);
      await theirs.body!.cancel();
    } finally {
      closeStreams();
      listening.close();
    }
  });

  it('staff.json written by the first release (one token per member) still authenticates', async () => {
    const dir = await tempDir();
    const { hashToken } = await import('../../engine/index.ts');
    await writeFile(
      join(dir, 'staff.json'),
      JSON.stringify({
        format: 1,
        staff: [
          { id: 'hq-1', name: '三高办', role: 'hq', tokenHash: hashToken('gj_old'), createdAt: '2026-01-01T00:00:00Z' },
        ],
      }),
    );
    const staff = new StaffDirectory(dir);
    expect(staff.authenticate('gj_old')).toMatchObject({ ok: true, staff: { id: 'hq-1' }, tokenId: 't_hq-1' });
  });
});

describe('gongjian token list / revoke / create --expires-in', () => {
  /** The token commands in this process, as `gongjian token …` runs them; what they print. */
  async function token(dir: string, ...args: string[]): Promise<string> {
    let stdout = '';
    const program = new Command('gongjian').exitOverride();
    registerToken(program, { stdout: (t) => (stdout += t), stderr: () => {} });
    await program.parseAsync(['node', 'gongjian', 'token', ...args, '--data', dir]);
    return stdout;
  }

  it('lists every token with its status, revokes by token id or staff id, and refuses an unknown id', async () => {
    const dir = await tempDir();
    await token(dir, 'create', '--role', 'finance', '--name', '财政局张三', '--expires-in', '90d');
    await token(dir, 'create', '--role', 'unit', '--unit', 'xiadong', '--name', '刘年勇', '--id', 'liu');
    const listed = JSON.parse(await token(dir, 'list', '--json')) as {
      id: string;
      staff: { id: string };
      status: string;
      expiresAt: string | null;
    }[];
    expect(listed.map((t) => [t.staff.id, t.status])).toEqual([
      ['finance-1', 'active'],
      ['liu', 'active'],
    ]);
    expect(Date.parse(listed[0]!.expiresAt!) - Date.now()).toBeGreaterThan(89 * 86_400_000);
    expect(await token(dir, 'revoke', listed[0]!.id)).toContain(listed[0]!.id);
    expect(await token(dir, 'revoke', 'liu')).toContain(listed[1]!.id);
    const table = await token(dir, 'list');
    expect(table).toMatch(/finance-1 .*revoked 已吊销/);
    expect(table).toMatch(/liu .*revoked 已吊销/);
    await expect(token(dir, 'revoke', 't_nope')).rejects.toThrow(/token list/);
    await expect(token(dir, 'create', '--role', 'viewer', '--name', 'x', '--expires', '2020-01-01')).rejects.toThrow(
      /future/,
    );
  });
});
