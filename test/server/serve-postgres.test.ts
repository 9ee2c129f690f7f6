import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postgresForThisFile } from '../support/postgres.ts';
import { tempDir } from '../support/temp-dir.ts';
import { freePort, startServe } from '../support/serve-process.ts';
import { readUntil } from '../support/until.ts';
import { StaffDirectory, verifyPg } from '../../engine/index.ts';

const postgres = await postgresForThisFile();

describe.skipIf('unavailable' in postgres)(
  `gongjian serve --store postgres://…${'unavailable' in postgres ? ` (skipped: ${postgres.unavailable})` : ''}`,
  () => {
    it('loads the demo into an empty database, serves it, and a restart finds what was sent', async () => {
      if (!('url' in postgres)) return;
      const dir = await tempDir();
      const store = `${postgres.url}&schema=served`;
      const first = await startServe({ dir, args: ['--store', store], demo: true });
      const token = /gj_[\w-]+/.exec(first.stderr())?.[0];
      const auth = { Authorization: `Bearer ${token}` };
      const base = `http://127.0.0.1:${first.port}`;
      const listed = (await (await fetch(`${base}/api/projects?pageSize=200`, { headers: auth })).json()) as {
        total: number;
      };
      expect(listed.total).toBeGreaterThan(5);
      const sent = await fetch(`${base}/api/projects/jingcai-2/events`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'REPORT_INVESTMENT', month: '2022-11', amount: 12, at: '2022-11-20' }),
      });
      const version = ((await sent.json()) as { version?: number }).version;
      expect(sent.status).toBe(200);
      expect(await first.stop()).toBe(0);
      // No journal in the data directory: the database has it all.
      expect(existsSync(join(dir, 'journal.jsonl'))).toBe(false);
      const second = await startServe({ dir, args: ['--store', store] });
      const project = await fetch(`http://127.0.0.1:${second.port}/api/projects/jingcai-2`, { headers: auth });
      expect(project.headers.get('etag')).toBe(`"${version}"`);
      expect(await second.stop()).toBe(0);
    }, 60_000);

    it('two nodes started at once as by npm start: one campaign and stream, either killed, nothing lost', async () => {
      if (!('url' in postgres)) return;
      // Each node its own (empty) data directory: they share nothing but the database.
      const dirs = new Map<number, string>();
      const node = async (port: number) =>
        startServe({
          dir: dirs.get(port) ?? dirs.set(port, await tempDir()).get(port)!,
          port,
          demo: true,
          asNpmStart: true,
          env: { GONGJIAN_STORE: `${postgres.url}&schema=twins` },
        });
      const ports = [await freePort(), await freePort()];
      const both = await Promise.all(ports.map(node));
      let a = both[0]!;
      const b = both[1]!;
      // One first-start account between them (the other node found it made).
      expect((a.stderr() + b.stderr()).match(/gj_[\w-]+/g)).toHaveLength(1);
      const token = /gj_[\w-]+/.exec(a.stderr() + b.stderr())?.[0];
      const auth = { Authorization: `Bearer ${token}` };
      // Signed in through A (and the one-time password changed there), the browser's cookie is good on B.
      const oneTime = /一次性密码 \/ one-time password:\s+(\S+)/.exec(a.stderr() + b.stderr())?.[1];
      const json = (port: number, cookie?: string) => ({
        'content-type': 'application/json',
        origin: `http://127.0.0.1:${port}`,
        ...(cookie === undefined ? {} : { cookie }),
      });
      const signIn = await fetch(`http://127.0.0.1:${ports[0]}/api/session`, {
        method: 'POST',
        headers: json(ports[0]!),
        body: JSON.stringify({ login: 'hq-1', password: oneTime }),
      });
      expect(signIn.status).toBe(201);
      const changed = await fetch(`http://127.0.0.1:${ports[0]}/api/session/password`, {
        method: 'POST',
        headers: json(ports[0]!, signIn.headers.get('set-cookie')!.split(';')[0]),
        body: JSON.stringify({ current: oneTime, next: 'Chaling-bawei-2022!' }),
      });
      expect(changed.status).toBe(200);
      const cookie = changed.headers.get('set-cookie')!.split(';')[0]!;
      const me = async (port: number) =>
        fetch(`http://127.0.0.1:${port}/api/session`, { headers: { cookie } }).then((r) => r.status);
      expect(await me(ports[1]!)).toBe(200);
      const signOut = await fetch(`http://127.0.0.1:${ports[1]}/api/session`, {
        method: 'DELETE',
        headers: json(ports[1]!, cookie),
      });
      expect(signOut.status).toBe(204);
      // A hears of it by the database's notice: refused there within a second.
      const signedOut = Date.now();
      while ((await me(ports[0]!)) !== 401) {
        expect(Date.now() - signedOut).toBeLessThan(1_000);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const report = async (port: number) =>
        (await fetch(`http://127.0.0.1:${port}/api/campaigns/chaling-2022/report`, { headers: auth })).text();
      const version = async (port: number) =>
        (await fetch(`http://127.0.0.1:${port}/api/projects/jingcai-2`, { headers: auth })).headers.get('etag');
      // The demo was loaded once, by one of them; both serve the same campaign.
      for (let tries = 0; (await report(ports[0]!)) !== (await report(ports[1]!)); tries++) {
        if (tries > 100) throw new Error('the two nodes never served the same report');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(JSON.parse(await report(ports[0]!)).campaign.id).toBe('chaling-2022');
      // A's live stream carries what is sent through B.
      const controller = new AbortController();
      const stream = await fetch(`http://127.0.0.1:${ports[0]}/api/stream?access_token=${token}`, {
        signal: controller.signal,
      });
      const reader = stream.body!.getReader();
      const viaB = await fetch(`http://127.0.0.1:${ports[1]}/api/projects/jingcai-2/events`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'REPORT_INVESTMENT', month: '2022-10', amount: 11, at: '2022-10-20' }),
      });
      expect(viaB.status).toBe(200);
      const seen = await readUntil(reader, (text) => text.includes('"REPORT_INVESTMENT"'));
      expect(seen).toMatch(/"id":"jingcai-2"/);
      controller.abort();
      // A killed: B takes the event; A started again has it.
      await a.stop('SIGKILL');
      const sent = await fetch(`http://127.0.0.1:${ports[1]}/api/projects/jingcai-2/events`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'REPORT_INVESTMENT', month: '2022-11', amount: 12, at: '2022-11-20' }),
      });
      expect(sent.status).toBe(200);
      a = await node(ports[0]!);
      expect(await version(ports[0]!)).toBe(await version(ports[1]!));
      // B killed: A goes on.
      await b.stop('SIGKILL');
      const again = await fetch(`http://127.0.0.1:${ports[0]}/api/projects/jingcai-2/events`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json', 'Idempotency-Key': 'after-b' },
        body: JSON.stringify({ type: 'REPORT_INVESTMENT', month: '2022-12', amount: 13, at: '2022-12-20' }),
      });
      expect(again.status).toBe(200);
      expect(await a.stop()).toBe(0);
      expect((await verifyPg(postgres.url, { schema: 'twins' })).firstBad).toBeNull();
    }, 90_000);

    it('staff.json of an earlier release is taken into an empty database once: the same tokens work', async () => {
      if (!('url' in postgres)) return;
      const dir = await tempDir();
      const before = new StaffDirectory(dir);
      await before.load();
      const { token } = await before.create({ id: 'hq-7', name: '三高办', role: 'hq' });
      const node = await startServe({ dir, args: ['--store', `${postgres.url}&schema=adopted`] });
      const me = await fetch(`http://127.0.0.1:${node.port}/api/session`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(me.status).toBe(200);
      expect(node.stderr()).not.toMatch(/gj_[\w-]+/);
      expect(await node.stop()).toBe(0);
      // In the database now, with its audit journal; a node with an empty data directory knows it.
      const other = await startServe({ dir: await tempDir(), args: ['--store', `${postgres.url}&schema=adopted`] });
      const again = await fetch(`http://127.0.0.1:${other.port}/api/staff/audit`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(again.status).toBe(200);
      expect(JSON.stringify(await again.json())).toContain('hq-7');
      expect(await other.stop()).toBe(0);
    }, 60_000);

    it('a --store that is not postgres:// is refused with a clear message', async () => {
      const dir = await tempDir();
      await expect(startServe({ dir, args: ['--store', 'mysql://x@y/z'] })).rejects.toThrow(/only postgres:\/\//);
    });
  },
);
