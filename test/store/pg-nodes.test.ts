import { describe, expect, it, onTestFinished } from 'vitest';
import { Engine, type JournalEntry } from '../../engine/index.ts';
import { PgStore } from '../../store/index.ts';
import { input } from '../engine/helpers.ts';
import { postgresForThisFile } from '../support/postgres.ts';

const postgres = await postgresForThisFile();
let schemas = 0;

/** Two engines — two nodes — on one schema. */
async function twoNodes(): Promise<[Engine, Engine]> {
  const schema = `nodes_${++schemas}`;
  const node = async () => {
    const url = 'url' in postgres ? postgres.url : '';
    const engine = new Engine({ store: new PgStore(url, { schema }), clock: () => '2023-01-01T00:00:00.000Z' });
    await engine.open();
    return engine;
  };
  const a = await node();
  return [a, await node()];
}

const allocate = { type: 'ALLOCATE_BOND', amount: 1, at: '2022-08-02' };

/** Resolves once `check` holds, polling (a node hears another's commits asynchronously). */
async function eventually(check: () => boolean, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('not within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf('unavailable' in postgres)(
  `several nodes on one PostgreSQL${'unavailable' in postgres ? ` (skipped: ${postgres.unavailable})` : ''}`,
  () => {
    it('concurrent events to the same projects through both nodes: versions contiguous, none twice', async () => {
      const [a, b] = await twoNodes();
      onTestFinished(async () => {
        await a.close();
        await b.close();
      });
      const ids = ['p1', 'p2', 'p3'];
      for (const id of ids) await a.create('project', input({ id, bond: { allocated: 1 } }), { actor: 'hq' });
      // B hears A's creations (NOTIFY) without being asked.
      await eventually(() => ids.every((id) => b.get('project', id) !== undefined));
      const sends = Array.from({ length: 90 }, (_, i) =>
        (i % 2 === 0 ? a : b).send('project', ids[i % 3]!, allocate, { actor: 'fin', idempotencyKey: `k${i}` }),
      );
      const outcomes = await Promise.all(sends);
      expect(outcomes.every((o) => o.status === 'accepted' && !o.replayed)).toBe(true);
      for (const id of ids) {
        const history = await a.history('project', id);
        const events = history.filter((e: JournalEntry) => e.kind === 'event');
        // 30 events each, versions 2…31 one after another, each key once.
        expect(events.map((e) => e.version)).toEqual(Array.from({ length: 30 }, (_, i) => i + 2));
        expect(new Set(events.map((e) => e.idempotencyKey)).size).toBe(30);
      }
      // Both nodes end up with the same records.
      await eventually(() => ids.every((id) => a.get('project', id)?.version === b.get('project', id)?.version));
      for (const id of ids) {
        expect(a.get('project', id)?.version).toBe(31);
        expect(b.get('project', id)?.context).toEqual(a.get('project', id)?.context);
      }
    }, 30_000);

    it('a retry sent to the other node replays the first answer; each node streams the other’s events', async () => {
      const [a, b] = await twoNodes();
      onTestFinished(async () => {
        await a.close();
        await b.close();
      });
      await a.create('project', input({ id: 'p1', bond: { allocated: 1 } }), { actor: 'hq' });
      const heard: string[] = [];
      b.subscribe((notice) => heard.push(`${notice.kind} ${notice.id} v${notice.version}`));
      const first = await a.send('project', 'p1', allocate, { actor: 'fin', idempotencyKey: 'once' });
      const retry = await b.send('project', 'p1', allocate, { actor: 'fin', idempotencyKey: 'once' });
      expect(first).toMatchObject({ status: 'accepted', replayed: false });
      expect(retry).toMatchObject({ status: 'accepted', replayed: true, seq: (first as { seq: number }).seq });
      expect((await b.history('project', 'p1')).filter((e) => e.kind === 'event')).toHaveLength(1);
      await eventually(() => heard.includes('event p1 v2'));
    });

    it('a group is refused if an entity it only checked moved on another node, then decided again', async () => {
      const [a, b] = await twoNodes();
      onTestFinished(async () => {
        await a.close();
        await b.close();
      });
      for (const id of ['p1', 'p2']) await a.create('project', input({ id, bond: { allocated: 1 } }), { actor: 'hq' });
      await eventually(() => b.get('project', 'p2') !== undefined);
      // B drops p1; A, not yet told, decides at once on p1 as it last knew it (not dropped).
      await b.send('project', 'p1', { type: 'DROP', reason: '企业撤资', at: '2022-08-02' }, { actor: 'hq' });
      expect(a.get('project', 'p1')?.value).not.toBe('dropped');
      const outcome = await a.together(
        [
          { kind: 'project', id: 'p1', event: allocate, checkOnly: true },
          { kind: 'project', id: 'p2', event: allocate },
        ],
        { actor: 'fin' },
      );
      // The database refused the stale decision; decided again on p1 as it is, the group is refused.
      expect(outcome).toMatchObject({ status: 'rejected', step: 0, id: 'p1' });
      expect(a.get('project', 'p2')?.version).toBe(1);
    });

    it('a group whose checked entity is not at the version named is refused, none of it written', async () => {
      const schema = `nodes_${++schemas}`;
      const store = new PgStore('url' in postgres ? postgres.url : '', { schema });
      const engine = new Engine({ store, clock: () => '2023-01-01T00:00:00.000Z' });
      await engine.open();
      onTestFinished(() => engine.close());
      for (const id of ['p1', 'p2'])
        await engine.create('project', input({ id, bond: { allocated: 1 } }), { actor: 'hq' });
      await engine.send('project', 'p1', allocate, { actor: 'fin' });
      const before = store.position();
      const p2 = store.get('project', 'p2')!;
      const item = {
        draft: {
          kind: 'event' as const,
          entity: 'project',
          id: 'p2',
          at: null,
          actor: 'fin',
          event: allocate,
          version: 2,
          machineVersion: p2.machineVersion,
          recordedAt: '2023-01-01T00:00:00.000Z',
        },
        record: { ...p2, version: 2 },
        expect: { version: 1 },
      };
      await expect(store.commitAll([item], [{ entity: 'project', id: 'p1', version: 1 }])).rejects.toMatchObject({
        code: 'versionConflict',
        message: expect.stringContaining('project p1 is at version 2 in the database, not 1'),
      });
      expect(store.position()).toBe(before);
      expect(store.get('project', 'p2')?.version).toBe(1);
      await store.commitAll([item], [{ entity: 'project', id: 'p1', version: 2 }]);
      expect(store.get('project', 'p2')?.version).toBe(2);
    });
  },
);
