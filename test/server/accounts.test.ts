import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine, MemoryStore, StaffDirectory } from '../../engine/index.ts';
import { createApp, type AppOptions } from '../../server/app.ts';
import { tempDir } from '../support/temp-dir.ts';

// The web-app issue, deliverable 1: sign-in with a password, cookie sessions protected against
// CSRF, sign-in rate limits, hq managing staff, every change journalled.

const servers: { server: Server; close: () => void }[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) {
    s.close();
    s.server.close();
  }
});

async function site(options: Partial<AppOptions> = {}) {
  const dir = await tempDir();
  const engine = new Engine({ store: new MemoryStore() });
  await engine.open();
  const staff = new StaffDirectory(dir);
  await staff.createAccount({ login: 'hq-1', name: '三高办', role: 'hq', password: 'correct horse battery' });
  const made = createApp({ engine, staff, logger: pino({ level: 'silent' }), webRoot: null, ...options });
  const server = made.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  servers.push({ server, close: made.closeStreams });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = () => request.agent(base).set('Origin', base);
  const signIn = async (login = 'hq-1', password = 'correct horse battery') => {
    const agent = browser();
    const res = await agent.post('/api/session').send({ login, password });
    expect(res.status).toBe(201);
    return agent;
  };
  return { dir, staff, base, browser, signIn, engine };
}

const cookieOf = (res: request.Response) => ([res.headers['set-cookie']].flat()[0] ?? '') as string;

describe('signing in', () => {
  it('a wrong password and an unknown name get the same answer, which says not which part was wrong', async () => {
    const { browser } = await site();
    const wrongPassword = await browser().post('/api/session').send({ login: 'hq-1', password: 'wrong password!' });
    const unknownName = await browser().post('/api/session').send({ login: 'nobody', password: 'wrong password!' });
    expect(wrongPassword.status).toBe(401);
    expect(unknownName.status).toBe(401);
    expect(wrongPassword.body.detail).toBe('用户名或密码不正确');
    expect(unknownName.body).toEqual(wrongPassword.body);
    expect(wrongPassword.headers['set-cookie']).toBeUndefined();
  });

  it('the right password starts an HttpOnly SameSite=Strict session for the API; signing out ends it', async () => {
    const { browser } = await site();
    const agent = browser();
    const res = await agent.post('/api/session').send({ login: 'hq-1', password: 'correct horse battery' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ staff: { id: 'hq-1', role: 'hq' }, via: 'session', mustChangePassword: false });
    const cookie = cookieOf(res);
    expect(cookie).toMatch(/^gj_session=[\w-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect((await agent.get('/api/projects')).status).toBe(200);
    expect((await agent.get('/api/session')).body.staff.id).toBe('hq-1');
    expect((await agent.delete('/api/session')).status).toBe(204);
    const after = await agent.get('/api/projects');
    expect(after.status).toBe(401);
  });

  it('a stale session cookie is refused with "sign in again", not a token message', async () => {
    const { base } = await site();
    const res = await request(base)
      .get('/api/projects')
      .set('Cookie', 'gj_session=not-a-session')
      .set('Accept-Language', 'en');
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/sign in again/);
  });

  it('failed sign-ins for one user name are limited (429), whatever address they come from', async () => {
    const { browser } = await site({ signInLimit: { failures: 3, windowMs: 60_000 } });
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push(
        (
          await browser()
            .post('/api/session')
            .send({ login: 'hq-1', password: `guess number ${i}` })
        ).status,
      );
    expect(statuses).toEqual([401, 401, 401, 429]);
    // Even the right password waits out the window: the guesser must not learn it was right.
    expect(
      (await browser().post('/api/session').send({ login: 'hq-1', password: 'correct horse battery' })).status,
    ).toBe(429);
  });

  it('a sign-in posted from another site is refused (login CSRF)', async () => {
    const { base } = await site();
    const res = await request(base)
      .post('/api/session')
      .set('Origin', 'http://evil.example')
      .send({ login: 'hq-1', password: 'correct horse battery' });
    expect(res.status).toBe(403);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('bad sign-in bodies get 4xx naming the field', async () => {
    const { browser } = await site();
    const res = await browser().post('/api/session').send({ login: '', password: 'x', extra: 1 });
    expect(res.status).toBe(422);
    expect(res.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['(body)', 'login']);
    expect((await browser().post('/api/session').set('Content-Type', 'application/json').send('{')).status).toBe(400);
  });
});

describe('CSRF on cookie sessions', () => {
  it('a cookie-session POST from another origin is refused, the same POST from our pages is not', async () => {
    const { signIn, base } = await site();
    const agent = await signIn();
    const body = { id: 'p1', name: '项目', unitId: 'u1', plannedInvestment: 100 };
    const foreign = await agent.post('/api/projects').set('Origin', 'http://evil.example').send(body);
    expect(foreign.status).toBe(403);
    expect(foreign.body.type).toBe('/problems/cross-site-request');
    const noOrigin = await agent.post('/api/projects').unset('Origin').send(body);
    expect(noOrigin.status).toBe(403);
    const ours = await agent.post('/api/projects').set('Origin', base).send(body);
    expect(ours.status).toBe(201);
  });

  it('a bearer token needs no Origin (API clients are not browsers)', async () => {
    const { staff, base } = await site();
    const { token } = await staff.create({ name: 'api', role: 'hq' });
    const res = await request(base)
      .post('/api/projects')
      .set('Authorization', `Bearer ${token}`)
      .send({ id: 'p1', name: '项目', unitId: 'u1', plannedInvestment: 100 });
    expect(res.status).toBe(201);
  });
});

describe('hq manages staff', () => {
  it('creates a member with a one-time password, who must change it before anything else', async () => {
    const { signIn, browser } = await site();
    const hq = await signIn();
    const created = await hq.post('/api/staff').send({ login: 'liu', name: '刘年勇', role: 'unit', unitId: 'park' });
    expect(created.status).toBe(201);
    expect(created.body.staff).toMatchObject({ id: 'liu', role: 'unit', unitId: 'park', mustChangePassword: true });
    const once = created.body.password as string;
    expect(once).toMatch(/^\w{4}-\w{4}-\w{4}-\w{4}$/);

    const liu = browser();
    expect((await liu.post('/api/session').send({ login: 'liu', password: once })).body.mustChangePassword).toBe(true);
    const blocked = await liu.get('/api/projects');
    expect(blocked.status).toBe(403);
    expect(blocked.body.type).toBe('/problems/password-change-required');
    const weak = await liu.post('/api/session/password').send({ current: once, next: 'short' });
    expect(weak.status).toBe(422);
    expect(weak.body.detail).toMatch(/至少 10 个字符/);
    const wrong = await liu
      .post('/api/session/password')
      .send({ current: 'not it at all', next: 'a good new password' });
    expect(wrong.status).toBe(403);
    const changed = await liu.post('/api/session/password').send({ current: once, next: 'a good new password' });
    expect(changed.status).toBe(200);
    expect(changed.body.mustChangePassword).toBe(false);
    expect((await liu.get('/api/projects')).status).toBe(200);
    // The one-time password no longer works.
    expect((await browser().post('/api/session').send({ login: 'liu', password: once })).status).toBe(401);
  });

  it('disabling a member ends their session at once and refuses their tokens; enabling restores sign-in', async () => {
    const { signIn, staff } = await site();
    const hq = await signIn();
    await staff.createAccount({ login: 'wang', name: '王', role: 'viewer', password: 'blue river 2022' });
    const { token } = await staff.create({ name: '王 API', role: 'viewer', id: 'wang-api' });
    const wang = await signIn('wang', 'blue river 2022');
    expect((await wang.get('/api/projects')).status).toBe(200);
    expect((await hq.patch('/api/staff/wang').send({ disabled: true })).body.staff.disabledAt).toMatch(/^\d{4}-/);
    expect((await wang.get('/api/projects')).status).toBe(401);
    await hq.patch('/api/staff/wang-api').send({ disabled: true });
    expect(staff.authenticate(token)).toMatchObject({ ok: false, reason: 'disabled' });
    await hq.patch('/api/staff/wang').send({ disabled: false });
    await signIn('wang', 'blue river 2022');
  });

  it('a password reset ends the member’s sessions and gives a new one-time password', async () => {
    const { signIn, staff } = await site();
    const hq = await signIn();
    await staff.createAccount({ login: 'zhao', name: '赵', role: 'viewer', password: 'green hill 2022' });
    const zhao = await signIn('zhao', 'green hill 2022');
    const reset = await hq.post('/api/staff/zhao/password');
    expect(reset.status).toBe(200);
    expect(reset.body.staff.mustChangePassword).toBe(true);
    expect((await zhao.get('/api/session')).status).toBe(401);
    const again = await signIn('zhao', reset.body.password);
    expect((await again.get('/api/session')).body.mustChangePassword).toBe(true);
  });

  it('sets role and unit; refuses an unknown role, a unit member without a unit, and leaving no hq', async () => {
    const { signIn, staff } = await site();
    const hq = await signIn();
    await staff.createAccount({ login: 'li', name: '李', role: 'viewer', password: 'red maple 2022' });
    const moved = await hq.patch('/api/staff/li').send({ role: 'unit', unitId: 'park' });
    expect(moved.status).toBe(200);
    expect(moved.body.staff).toMatchObject({ role: 'unit', unitId: 'park' });
    expect((await hq.patch('/api/staff/li').send({ role: 'boss' })).status).toBe(422);
    expect((await hq.patch('/api/staff/li').send({ unitId: null })).status).toBe(422);
    const demoteSelf = await hq.patch('/api/staff/hq-1').send({ role: 'viewer' });
    expect(demoteSelf.status).toBe(409);
    expect(demoteSelf.body.detail).toMatch(/最后一位/);
    expect((await hq.patch('/api/staff/hq-1').send({ disabled: true })).status).toBe(409);
    expect((await hq.patch('/api/staff/nobody').send({ name: 'x' })).status).toBe(404);
    expect((await hq.post('/api/staff').send({ login: 'li', name: '又一个', role: 'viewer' })).status).toBe(409);
  });

  it('only hq manages staff', async () => {
    const { signIn, staff } = await site();
    await staff.createAccount({ login: 'v', name: '观察员', role: 'leader', password: 'leader password' });
    const leader = await signIn('v', 'leader password');
    expect((await leader.get('/api/staff')).status).toBe(403);
    expect((await leader.post('/api/staff').send({ login: 'x', name: 'x', role: 'hq' })).status).toBe(403);
  });

  it('every change is in the hash-chained audit journal, newest first, with who, what and no secret', async () => {
    const { signIn, dir } = await site();
    const hq = await signIn();
    const once = (await hq.post('/api/staff').send({ login: 'sun', name: '孙', role: 'viewer' })).body.password;
    await hq.patch('/api/staff/sun').send({ role: 'leader' });
    await hq.patch('/api/staff/sun').send({ disabled: true });
    await hq.post('/api/staff/sun/password');
    const audit = (await hq.get('/api/staff/audit')).body.entries as { action: string; actor: string }[];
    expect(audit.map((e) => e.action)).toEqual(['password-reset', 'disable', 'update', 'create', 'create']);
    expect(audit.slice(0, 4).every((e) => e.actor === 'hq-1')).toBe(true);
    expect(audit[2]).toMatchObject({ target: 'sun', changes: { role: { from: 'viewer', to: 'leader' } } });
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(`${dir}/staff-audit.jsonl`, 'utf8');
    expect(text).not.toMatch(/scrypt\$/);
    expect(text).not.toContain(once);
    // Altering a line breaks the chain, and reading says so.
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${dir}/staff-audit.jsonl`, text.replace('"leader"', '"hq"'));
    const broken = await hq.get('/api/staff/audit');
    expect(broken.status).toBe(500);
    expect(broken.body.detail).toMatch(/第 3 行.*哈希链断裂/);
  });
});
