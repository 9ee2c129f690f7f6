import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
  CampaignService,
  Engine,
  FileStore,
  migrateToPg,
  parseScenario,
  simulate,
  StaffDirectory,
  verify,
  verifyPg,
} from '../../engine/index.ts';
import { PgStore } from '../../store/index.ts';
import { postgresForThisFile } from '../support/postgres.ts';
import { tempDir } from '../support/temp-dir.ts';

const BIN = join(import.meta.dirname, '../../bin/gongjian.js');
const postgres = await postgresForThisFile();
const url = 'url' in postgres ? postgres.url : '';

/** The demo's data directory: the Chaling campaign with starts and clearances filed and reviewed. */
async function chalingDir(): Promise<string> {
  const dir = await tempDir();
  const scenario = parseScenario(
    JSON.parse(readFileSync(join(import.meta.dirname, '../../scenarios/chaling-2022.json'), 'utf8')),
  );
  const { engine } = await simulate(scenario, {
    store: new FileStore(dir),
    review: { events: { START_CONSTRUCTION: ['housing', 'hq'], REPORT_CLEARANCE: ['naturalResources', 'hq'] } },
    approveAfterDays: 0,
  });
  await engine.close();
  return dir;
}

const clock = () => '2022-12-01T09:00:00.000+08:00';

describe.skipIf('unavailable' in postgres)(
  `migrate a data directory into PostgreSQL${'unavailable' in postgres ? ` (skipped: ${postgres.unavailable})` : ''}`,
  () => {
    it('the Chaling demo: the copy verifies, keeps every seq and hash, reports byte for byte the same', async () => {
      const dir = await chalingDir();
      const copied = await migrateToPg(dir, url, { schema: 'migrated' });
      const local = await verify(dir);
      expect(copied.entries).toBe(local.entries);
      const checked = await verifyPg(url, { schema: 'migrated' });
      expect(checked).toMatchObject({ ok: true, entries: local.entries, projects: local.projects });
      const onFile = new Engine({ store: new FileStore(dir, { readOnly: true }), clock });
      const onPg = new Engine({ store: new PgStore(url, { schema: 'migrated' }), clock });
      await onFile.open();
      await onPg.open();
      const fileEntries = [];
      for await (const e of onFile.store.entries()) fileEntries.push(e);
      const pgEntries = [];
      for await (const e of onPg.store.entries()) pgEntries.push(e);
      expect(pgEntries).toEqual(fileEntries);
      const report = async (engine: Engine) => JSON.stringify(await new CampaignService(engine).report('chaling-2022'));
      expect(await report(onPg)).toBe(await report(onFile));
      await onFile.close();
      await onPg.close();
      // Into a schema that already has a journal: refused, nothing added.
      await expect(migrateToPg(dir, url, { schema: 'migrated' })).rejects.toMatchObject({ code: 'pgNotEmpty' });
      expect((await verifyPg(url, { schema: 'migrated' })).entries).toBe(local.entries);
    }, 60_000);

    it('verify on PostgreSQL names a row altered in the database', async () => {
      const dir = await chalingDir();
      await migrateToPg(dir, url, { schema: 'tampered' });
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const row = await client.query<{ seq: string }>(
        `UPDATE tampered.journal SET line = replace(line, '"clearedMu":', '"clearedMu":1') WHERE seq = (
           SELECT min(seq) FROM tampered.journal WHERE line LIKE '%"clearedMu":%') RETURNING seq`,
      );
      await client.end();
      const report = await verifyPg(url, { schema: 'tampered' });
      expect(report.ok).toBe(false);
      expect(report.firstBad).toMatchObject({ seq: Number(row.rows[0]!.seq), reason: expect.stringMatching(/hash/) });
    }, 60_000);

    it('the staff directory goes with the data: the same people sign in, tokens and audit as they were', async () => {
      const dir = await chalingDir();
      const onFile = new StaffDirectory(dir);
      await onFile.load();
      const { token } = await onFile.create({ id: 'hq-1', name: '三高办', role: 'hq' });
      const revoked = await onFile.create({ id: 'unit-9', name: '某某', role: 'unit', unitId: 'housing' });
      await onFile.revoke(revoked.tokenId);
      await onFile.createAccount({
        login: 'liu',
        name: '刘年勇',
        role: 'unit',
        unitId: 'park',
        password: 'Chaling-2022!',
      });
      const copied = await migrateToPg(dir, url, { schema: 'with_staff' });
      expect(copied.staff).toBe(3);
      const store = new PgStore(url, { schema: 'with_staff' });
      await store.openShared();
      try {
        const onPg = new StaffDirectory(store.staffStorage());
        await onPg.load();
        expect(onPg.accounts()).toEqual(onFile.accounts());
        expect(onPg.list()).toEqual(onFile.list());
        expect(await onPg.auditEntries()).toEqual(await onFile.auditEntries());
        expect(onPg.authenticate(token)).toMatchObject({ ok: true, staff: { id: 'hq-1' } });
        expect(onPg.authenticate(revoked.token)).toMatchObject({ ok: false, reason: 'revoked' });
        expect(await onPg.signIn('liu', 'Chaling-2022!')).toMatchObject({ ok: true, staff: { id: 'liu' } });
        // The chain continues in the database from where the file left it.
        await onPg.setDisabled('liu', true, 'hq-1');
        const audit = await onPg.auditEntries();
        expect(audit.at(-1)).toMatchObject({ seq: 7, action: 'disable', actor: 'hq-1' });
      } finally {
        await store.close();
      }
    }, 60_000);

    it('gongjian migrate and verify --store from the command line', async () => {
      const dir = await chalingDir();
      const to = `${url}&schema=cli`;
      const run = promisify(execFile);
      const migrated = await run(process.execPath, [BIN, 'migrate', '--from', dir, '--to', to]);
      expect(migrated.stdout).toMatch(/✓ PostgreSQL schema cli: \d+ journal entries/);
      expect(migrated.stderr).toMatch(/copied \d+ journal entries/);
      const verified = await run(process.execPath, [BIN, 'verify', '--store', to, '--json']);
      expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true });
      // gongjian user and token on the directory the nodes share (a unit the copy does not know is refused).
      const created = await run(process.execPath, [
        BIN,
        'user',
        'create',
        '--login',
        'tan',
        '--name',
        '谭',
        '--role',
        'unit',
        '--unit',
        'housing',
        '--store',
        to,
      ]);
      expect(created.stdout.trim()).toMatch(/^\S{12,}$/);
      const typo = run(process.execPath, [
        BIN,
        'user',
        'create',
        '--login',
        'x',
        '--name',
        '某',
        '--role',
        'unit',
        '--unit',
        'housng',
        '--store',
        to,
      ]);
      await expect(typo).rejects.toMatchObject({ stderr: expect.stringContaining('no such unit') });
      const listed = await run(process.execPath, [BIN, 'user', 'list', '--json'], {
        env: { ...process.env, GONGJIAN_STORE: to },
      });
      expect(JSON.parse(listed.stdout)).toMatchObject([
        { id: 'tan', role: 'unit', unitId: 'housing', mustChangePassword: true },
      ]);
      const token = await run(process.execPath, [
        BIN,
        'token',
        'create',
        '--role',
        'hq',
        '--name',
        '办',
        '--store',
        to,
      ]);
      const tokens = await run(process.execPath, [BIN, 'token', 'list', '--json', '--store', to]);
      expect(JSON.parse(tokens.stdout)).toMatchObject([{ staff: { role: 'hq' }, status: 'active' }]);
      expect(token.stdout.trim()).toMatch(/^gj_/);
    }, 60_000);
  },
);
