import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../engine/index.ts';
import { FileStore } from '../../store/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { projectInput, testApp } from './helpers.ts';

// Hardening issue, item 10: idempotency keys were global — another user's request with the
// same key got the first user's answer (or 422) — and two concurrent sends with one key to two
// projects both applied, so a later retry got 422.

describe('Idempotency-Key scope', () => {
  it('the same key from another caller runs its own request', async () => {
    const { app, auth, engine } = await testApp();
    await request(app)
      .post('/api/projects')
      .set(auth('hq'))
      .send(projectInput({ land: { requiredMu: 100, houses: 0 } }));
    const send = (who: 'unit' | 'hq') =>
      request(app)
        .post('/api/projects/p1/events')
        .set(auth(who))
        .set('Idempotency-Key', 'report-1')
        .send({ type: 'REPORT_CLEARANCE', mu: 1, houses: 0, at: '2022-09-01' });
    const mine = await send('unit');
    const theirs = await send('hq');
    expect([mine.status, theirs.status]).toEqual([200, 200]);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(engine.get('project', 'p1')?.context.land?.clearedMu).toBe(2);
  });

  it('the same key for another project is another request', async () => {
    const { app, auth, engine } = await testApp();
    await request(app)
      .post('/api/projects')
      .set(auth('hq'))
      .send(projectInput({ land: { requiredMu: 100, houses: 0 } }));
    await request(app)
      .post('/api/projects')
      .set(auth('hq'))
      .send(projectInput({ id: 'p2', land: { requiredMu: 100, houses: 0 } }));
    const send = (id: string) =>
      request(app)
        .post(`/api/projects/${id}/events`)
        .set(auth('unit'))
        .set('Idempotency-Key', 'k')
        .send({ type: 'REPORT_CLEARANCE', mu: 1, houses: 0, at: '2022-09-01' });
    const [a, b] = await Promise.all([send('p1'), send('p2')]);
    expect([a.status, b.status]).toEqual([200, 200]);
    // Each retry replays its own first answer.
    expect((await send('p1')).headers['idempotent-replayed']).toBe('true');
    expect((await send('p2')).headers['idempotent-replayed']).toBe('true');
    expect([
      engine.get('project', 'p1')?.context.land?.clearedMu,
      engine.get('project', 'p2')?.context.land?.clearedMu,
    ]).toEqual([1, 1]);
  });

  it('the same key sent twice at once applies once; the second gets the replay', async () => {
    const { app, auth, engine } = await testApp();
    await request(app)
      .post('/api/projects')
      .set(auth('hq'))
      .send(projectInput({ land: { requiredMu: 100, houses: 0 } }));
    const send = () =>
      request(app)
        .post('/api/projects/p1/events')
        .set(auth('unit'))
        .set('Idempotency-Key', 'twice')
        .send({ type: 'REPORT_CLEARANCE', mu: 1, houses: 0, at: '2022-09-01' });
    const results = await Promise.all([send(), send()]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect(results.map((r) => r.headers['idempotent-replayed'] ?? 'first').sort()).toEqual(['first', 'true']);
    expect(engine.get('project', 'p1')?.context.land?.clearedMu).toBe(1);
  });

  it('scopes survive a restart', async () => {
    const dir = await tempDir();
    const open = async () => {
      const engine = new Engine({ store: new FileStore(dir) });
      await engine.open();
      return engine;
    };
    const first = await open();
    await first.create('project', projectInput({ land: { requiredMu: 100, houses: 0 } }), {
      actor: 'hq',
      idempotencyKey: 'k',
    });
    await first.send(
      'project',
      'p1',
      { type: 'REPORT_CLEARANCE', mu: 1, houses: 0, at: '2022-09-01' },
      { actor: 'a', idempotencyKey: 'k' },
    );
    await first.close();
    const again = await open();
    expect(
      await again.send(
        'project',
        'p1',
        { type: 'REPORT_CLEARANCE', mu: 1, houses: 0, at: '2022-09-01' },
        { actor: 'a', idempotencyKey: 'k' },
      ),
    ).toMatchObject({ status: 'accepted', replayed: true });
    expect(
      await again.send(
        'project',
        'p1',
        { type: 'REPORT_CLEARANCE', mu: 1, houses: 0, at: '2022-09-01' },
        { actor: 'b', idempotencyKey: 'k' },
      ),
    ).toMatchObject({ status: 'accepted', replayed: false });
    await again.close();
  });
});
