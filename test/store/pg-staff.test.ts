import pg from 'pg';
import { describe, expect, it, onTestFinished } from 'vitest';
import { StaffDirectory } from '../../engine/index.ts';
import { SessionStore } from '../../server/sessions.ts';
import { PgStore, StoreError } from '../../store/index.ts';
import { postgresForThisFile } from '../support/postgres.ts';
import { until } from '../support/until.ts';

const postgres = await postgresForThisFile();
const url = 'url' in postgres ? postgres.url : '';
let schemas = 0;

/** Two nodes' stores on one schema, opened as `gongjian user` opens them (no record loaded). */
async function twoStores(schema = `staff_${++schemas}`): Promise<[PgStore, PgStore]> {
  const a = new PgStore(url, { schema });
  const b = new PgStore(url, { schema });
  await a.openShared();
  await b.openShared();
  onTestFinished(async () => {
    await a.close();
    await b.close();
  });
  return [a, b];
}

async function directories(schema?: string): Promise<[StaffDirectory, StaffDirectory, PgStore, PgStore]> {
  const [a, b] = await twoStores(schema);
  const staffA = new StaffDirectory(a.staffStorage());
  const staffB = new StaffDirectory(b.staffStorage());
  await staffA.load();
  await staffB.load();
  return [staffA, staffB, a, b];
}

describe.skipIf('unavailable' in postgres)(
  `staff and sessions in PostgreSQL${'unavailable' in postgres ? ` (skipped: ${postgres.unavailable})` : ''}`,
  () => {
    it('a token made on one node works on the other, and once revoked there is refused within a second', async () => {
      const [a, b] = await directories();
      const { token, tokenId } = await a.create({ id: 'hq-1', name: '三高办', role: 'hq' });
      await until(() => b.authenticate(token).ok, 'B to hear of the token', 5_000);
      expect(b.authenticate(token)).toMatchObject({ ok: true, staff: { id: 'hq-1', role: 'hq' }, tokenId });
      await a.revoke(tokenId);
      const revokedAt = Date.now();
      await until(() => !b.authenticate(token).ok, 'B to refuse the revoked token', 1_000);
      expect(Date.now() - revokedAt).toBeLessThan(1_000);
      expect(b.authenticate(token)).toMatchObject({ ok: false, reason: 'revoked' });
      expect(b.isActive(tokenId)).toBe(false);
    });

    it('changes from both nodes at once are all kept, in one unbroken audit chain', async () => {
      const [a, b] = await directories();
      const made = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 === 0 ? a : b).createAccount({ login: `u${i}`, name: `人员${i}`, role: 'unit', unitId: 'park' }),
        ),
      );
      expect(made).toHaveLength(20);
      await until(() => a.accounts().length === 20 && b.accounts().length === 20, 'both to have 20', 5_000);
      // Both see the same directory in the same order (the order the database took the changes in).
      expect(b.accounts().map((s) => s.id)).toEqual(a.accounts().map((s) => s.id));
      const audit = await b.auditEntries();
      expect(audit.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(new Set(audit.map((e) => e.target))).toEqual(new Set(made.map((m) => m.staff.id)));
      // A member changed on both nodes at once: both changes land, one after the other.
      await Promise.all([a.updateAccount('u0', { name: '改名甲' }, 'hq-x'), b.setDisabled('u0', true, 'hq-y')]);
      for (const node of [a, b])
        await until(
          () => node.account('u0')?.disabledAt !== null && node.account('u0')?.name === '改名甲',
          'both changes on both nodes',
          5_000,
        );
      expect(
        (await a.auditEntries())
          .map((e) => e.action)
          .slice(-2)
          .sort(),
      ).toEqual(['disable', 'update']);
    });

    it('an altered audit row is named by where it is', async () => {
      const schema = `staff_${++schemas}`;
      const [a] = await directories(schema);
      await a.create({ id: 'hq-1', name: '三高办', role: 'hq' });
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`UPDATE "${schema}".staff_audit SET line = replace(line, '三高办', '某某') WHERE seq = 1`);
      await client.end();
      const failure = await a.auditEntries().catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(StoreError);
      expect((failure as StoreError).code).toBe('auditCorrupt');
      expect((failure as StoreError).message).toContain(`schema ${schema} · table staff_audit line 1`);
    });

    it('a refused change writes nothing; the database away is storeUnavailable and tokens keep working', async () => {
      const [a, , store] = await directories();
      const { token } = await a.create({ id: 'hq-1', name: '三高办', role: 'hq' });
      await expect(a.create({ id: 'hq-1', name: '重复', role: 'hq' })).rejects.toMatchObject({ code: 'staffExists' });
      expect(await a.auditEntries()).toHaveLength(2);
      expect(a.accounts()).toHaveLength(1);
      if (!('restart' in postgres)) return;
      // Taken down under the directory: changes answer 503's code; what was read stays in use.
      const back = postgres.restart({ downMs: 1_500 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await expect(a.createAccount({ login: 'u1', name: '甲', role: 'unit', unitId: 'x' })).rejects.toMatchObject({
        code: 'storeUnavailable',
      });
      expect(a.authenticate(token).ok).toBe(true);
      await back;
      // Back: the next change works, without a new directory or store.
      for (let i = 0; ; i++) {
        try {
          await a.createAccount({ login: 'u1', name: '甲', role: 'unit', unitId: 'x' });
          break;
        } catch (err) {
          if (i > 50 || (err as StoreError).code !== 'storeUnavailable') throw err;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      expect(store.staffStorage().problem).toBe(null);
      expect(a.account('u1')).toMatchObject({ name: '甲' });
    });

    it('a session begun on one node is good on the other; signing out on either ends it on both', async () => {
      const [a, b] = await twoStores();
      let now = 1_000_000;
      const clock = () => now;
      const sessionsA = new SessionStore({}, clock, a.sessionStorage());
      const sessionsB = new SessionStore({}, clock, b.sessionStorage());
      const { secret, session } = await sessionsA.start('hq-1', '2026-01-01T00:00:00.000Z');
      expect(await sessionsB.get(secret)).toMatchObject({ id: session.id, staffId: 'hq-1' });
      expect(sessionsB.find(session.id)).toBeDefined();
      await sessionsA.end(secret);
      // B dropped it when told (its open streams close), and the table no longer has it.
      await until(() => sessionsB.find(session.id) === undefined, 'B to drop the session', 1_000);
      expect(await sessionsB.get(secret)).toBeUndefined();
      // endFor (password reset, disabled member) on B ends A's sessions of that member.
      const again = await sessionsA.start('hq-1', '2026-01-01T00:00:00.000Z');
      const other = await sessionsA.start('hq-2', '2026-01-01T00:00:00.000Z');
      await sessionsB.endFor('hq-1');
      await until(() => sessionsA.find(again.session.id) === undefined, 'A to drop the sessions', 1_000);
      expect(await sessionsA.get(again.secret)).toBeUndefined();
      expect(await sessionsA.get(other.secret)).toBeDefined();
      // Idle past the limit on A while used on B: A asks the database before it says no.
      now += 11 * 3_600_000;
      expect(await sessionsB.get(other.secret)).toBeDefined();
      now += 2 * 3_600_000;
      expect(await sessionsA.get(other.secret)).toBeDefined();
      now += 13 * 3_600_000;
      expect(await sessionsA.get(other.secret)).toBeUndefined();
    });

    it('a use is written at most once a minute, and a session gone from the table is refused', async () => {
      const schema = `staff_${++schemas}`;
      const [a] = await twoStores(schema);
      let now = 5_000_000;
      const sessions = new SessionStore({}, () => now, a.sessionStorage());
      const { secret } = await sessions.start('hq-1', 'x');
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      onTestFinished(() => client.end());
      const lastSeen = async () =>
        Number((await client.query(`SELECT last_seen FROM "${schema}".sessions`)).rows[0].last_seen);
      now += 30_000;
      await sessions.get(secret);
      expect(await lastSeen()).toBe(5_000_000);
      now += 31_000;
      await sessions.get(secret);
      expect(await lastSeen()).toBe(5_061_000);
      // Deleted behind its back (the limit of sessions, on another node): refused at the next write.
      await client.query(`DELETE FROM "${schema}".sessions`);
      now += 61_000;
      expect(await sessions.get(secret)).toBeUndefined();
    });

    it('sessions beyond the limit and expired ones are removed from the table as new ones begin', async () => {
      const schema = `staff_${++schemas}`;
      const [a] = await twoStores(schema);
      let now = 1_000;
      const sessions = new SessionStore({ max: 3 }, () => now, a.sessionStorage());
      for (let i = 0; i < 5; i++) {
        now += 1_000;
        await sessions.start(`u${i}`, 'x');
      }
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      onTestFinished(() => client.end());
      const left = await client.query(`SELECT staff_id FROM "${schema}".sessions ORDER BY staff_id`);
      expect(left.rows.map((r) => r.staff_id)).toEqual(['u2', 'u3', 'u4']);
      now += 13 * 3_600_000;
      await sessions.start('late', 'x');
      const after12h = await client.query(`SELECT staff_id FROM "${schema}".sessions`);
      expect(after12h.rows.map((r) => r.staff_id)).toEqual(['late']);
    });

    it('a version-1 schema (before staff were in the database) gains the tables at the next start', async () => {
      const schema = `staff_${++schemas}`;
      const first = new PgStore(url, { schema });
      await first.openShared();
      await first.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      onTestFinished(() => client.end());
      await client.query(
        `DROP TABLE "${schema}".staff, "${schema}".tokens, "${schema}".staff_head, "${schema}".staff_audit, ` +
          `"${schema}".sessions; UPDATE "${schema}".meta SET value = '1' WHERE key = 'schemaVersion'`,
      );
      const [a] = await directories(schema);
      await a.create({ id: 'hq-1', name: '三高办', role: 'hq' });
      const version = await client.query(`SELECT value FROM "${schema}".meta WHERE key = 'schemaVersion'`);
      expect(version.rows[0].value).toBe('2');
    });
  },
);
