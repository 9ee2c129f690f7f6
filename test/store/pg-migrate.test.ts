import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CampaignService,
  Engine,
  FileStore,
  migrateToPg,
  parseScenario,
  simulate,
  verify,
  verifyPg,
} from '../../engine/index.ts';
import { PgStore } from '../../store/index.ts';
import { PG_REQUIRED, startPostgres } from '../support/postgres.ts';
import { tempDir } from '../support/temp-dir.ts';

const BIN = join(import.meta.dirname, '../../bin/gongjian.js');
const postgres = await startPostgres();
if ('unavailable' in postgres && PG_REQUIRED) throw new Error(`PostgreSQL is required here: ${postgres.unavailable}`);
afterAll(async () => {
  if ('url' in postgres) await postgres.stop();
});
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

    it('gongjian migrate and verify --store from the command line', async () => {
      const dir = await chalingDir();
      const to = `${url}&schema=cli`;
      const run = promisify(execFile);
      const migrated = await run(process.execPath, [BIN, 'migrate', '--from', dir, '--to', to]);
      expect(migrated.stdout).toMatch(/✓ PostgreSQL schema cli: \d+ journal entries/);
      expect(migrated.stderr).toMatch(/copied \d+ journal entries/);
      const verified = await run(process.execPath, [BIN, 'verify', '--store', to, '--json']);
      expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true });
    }, 60_000);
  },
);
