import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine, parseScenario, simulate } from '../../engine/index.ts';
import { PgStore, StoreError, type JournalDraft, type JournalEntry } from '../../store/index.ts';
import { postgresForThisFile } from '../support/postgres.ts';

const postgres = await postgresForThisFile();
const url = 'url' in postgres ? postgres.url : '';
let schemas = 0;
const fresh = () => new PgStore(url, { schema: `gj_store_${++schemas}`, connectTimeoutMs: 1_000 });

const draft = (id: string, version: number, extra: Partial<JournalDraft> = {}): JournalDraft => ({
  kind: 'event',
  entity: 'project',
  id,
  at: '2022-08-01',
  actor: 'u1',
  event: { type: 'X' },
  version,
  machineVersion: 1,
  recordedAt: '2022-08-01T00:00:00.000Z',
  ...extra,
});
const record = (id: string, version: number, snapshot = '{"n":1}') => ({
  entity: 'project',
  id,
  version,
  machineVersion: 1,
  snapshot,
  tags: { unitId: 'u1' },
  seq: 0,
});

const scenario = parseScenario(
  JSON.parse(readFileSync(join(import.meta.dirname, '../../scenarios/chaling-2022.json'), 'utf8')),
);

describe.skipIf('unavailable' in postgres)(
  `PgStore on a real PostgreSQL${'unavailable' in postgres ? ` (skipped: ${postgres.unavailable})` : ''}`,
  () => {
    it('the Chaling campaign on PostgreSQL reports as in memory; a new process finds every record', async () => {
      const inMemory = await simulate(scenario);
      const store = fresh();
      const onPg = await simulate(scenario, { store });
      expect(onPg.report).toEqual(inMemory.report);
      const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
      const views = onPg.engine.list('project').sort(byId);
      await onPg.engine.close();
      // Another process on the same schema: the records as they were, the journal one hash chain.
      const again = new PgStore(url, { schema: `gj_store_${schemas}` });
      const engine = new Engine({ store: again });
      await engine.open();
      // (In another order: a start lists records by id, not in the order they were created.)
      expect(engine.list('project').sort(byId)).toEqual(views);
      const entries: JournalEntry[] = [];
      for await (const entry of again.entries()) entries.push(entry);
      expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
      for (let i = 1; i < entries.length; i++) expect(entries[i]!.prevHash).toBe(entries[i - 1]!.hash);
      expect(again.position()).toBe(entries.length);
      await engine.close();
    });

    it('a commit is all or nothing: a bad record in a group leaves no row, no record, the head unmoved', async () => {
      const store = fresh();
      await store.open();
      await store.commit(draft('a', 1, { kind: 'create' }), record('a', 1));
      const error = await store
        .commitAll([
          { draft: draft('a', 2), record: record('a', 2) },
          { draft: draft('b', 1, { kind: 'create' }), record: record('b', 1, '{not json') },
        ])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect(store.position()).toBe(1);
      expect(store.get('project', 'a')?.version).toBe(1);
      expect(store.get('project', 'b')).toBeUndefined();
      const next = await store.commit(draft('a', 2), record('a', 2));
      expect(next.seq).toBe(2);
      const seqs: number[] = [];
      for await (const entry of store.entries()) seqs.push(entry.seq);
      expect(seqs).toEqual([1, 2]);
      await store.close();
    });

    it('a snapshot holding U+0000 (which jsonb cannot) is kept exactly, and reads back as written', async () => {
      const store = fresh();
      await store.open();
      const snapshot = JSON.stringify({ context: { name: 'a\u0000b' } });
      await store.commit(draft('z', 1, { kind: 'create' }), record('z', 1, snapshot));
      await store.close();
      const again = new PgStore(url, { schema: `gj_store_${schemas}` });
      await again.open();
      expect(again.get('project', 'z')?.snapshot).toBe(snapshot);
      await again.close();
    });

    it('an idempotency key another node journalled is refused by the database, not journalled twice', async () => {
      const [one, two] = [fresh(), new PgStore(url, { schema: `gj_store_${schemas}` })];
      await one.open();
      await two.open();
      await one.commit(draft('p', 1, { kind: 'create', idempotencyKey: 'k' }), record('p', 1));
      const error = await two
        .commit(draft('p', 1, { kind: 'create', idempotencyKey: 'k' }), record('p', 1))
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'commitConflict' });
      // Two nodes share one chain: the second node's next entry follows the first's.
      const entry = await two.commit(draft('q', 1, { kind: 'create' }), record('q', 1));
      expect(entry.seq).toBe(2);
      expect((await one.history('project', 'q'))[0]?.prevHash).toBe((await one.history('project', 'p'))[0]?.hash);
      await one.close();
      await two.close();
    });

    it('the database down: commits refused, health degraded; back up, commits work again', async () => {
      const store = fresh();
      await store.open();
      await store.commit(draft('a', 1, { kind: 'create' }), record('a', 1));
      if (!('url' in postgres)) return;
      const restarted = postgres.restart({ downMs: 1_500 });
      await new Promise((resolve) => setTimeout(resolve, 500));
      const refused = await store.commit(draft('a', 2), record('a', 2)).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'journalWrite' });
      expect(await store.health()).toMatchObject({ status: 'degraded', journal: { code: 'databaseUnavailable' } });
      await restarted;
      expect(await store.health()).toEqual({ status: 'ok' });
      const entry = await store.commit(draft('a', 2), record('a', 2));
      expect(entry.seq).toBe(2);
      expect(store.get('project', 'a')?.version).toBe(2);
      await store.close();
    });
  },
);
