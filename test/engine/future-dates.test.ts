import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { Engine, verify } from '../../engine/index.ts';
import { FileStore, MemoryStore } from '../../store/index.ts';
import { projectInput, testApp } from '../server/helpers.ts';
import { tempDir } from '../support/temp-dir.ts';
import { input } from './helpers.ts';

// Hardening issue, defect 6: `REPORT_CLEARANCE … "at": "9999-12-31"` was accepted; every later
// event was then refused by eventDateOrder, and nothing could ever move the project again.

async function engineOn(day: string, options: { futureToleranceDays?: number; dir?: string } = {}) {
  const store = options.dir === undefined ? new MemoryStore() : new FileStore(options.dir);
  // 23:30 in Shanghai is still `day` there, while UTC is already 15:30 of the same day.
  const engine = new Engine({
    store,
    clock: () => `${day}T23:30:00.000+08:00`,
    futureToleranceDays: options.futureToleranceDays,
  });
  await engine.open();
  return engine;
}

describe('events dated after today', () => {
  it('are refused by eventDateFuture naming today; the project keeps taking events', async () => {
    const engine = await engineOn('2026-11-30');
    await engine.create('project', input({ land: { requiredMu: 100, houses: 0 }, asOf: '2026-11-01' }), {
      actor: 'hq',
    });
    const future = await engine.send(
      'project',
      'p1',
      { type: 'REPORT_CLEARANCE', mu: 1, houses: 0, at: '9999-12-31' },
      { actor: 'u' },
    );
    expect(future).toMatchObject({
      status: 'rejected',
      rejection: {
        rule: 'eventDateFuture',
        zh: expect.stringContaining('晚于今天 2026-11-30'),
        en: expect.stringContaining('after today, 2026-11-30'),
      },
    });
    expect(
      await engine.send(
        'project',
        'p1',
        { type: 'REPORT_CLEARANCE', mu: 1, houses: 0, at: '2026-11-30' },
        { actor: 'u' },
      ),
    ).toMatchObject({ status: 'accepted' });
    expect(
      await engine.send(
        'project',
        'p1',
        { type: 'REPORT_CLEARANCE', mu: 1, houses: 0, at: '2026-12-01' },
        { actor: 'u' },
      ),
    ).toMatchObject({ status: 'rejected', rejection: { rule: 'eventDateFuture' } });
  });

  it('the tolerance is configurable, and the refusal names the latest allowed date', async () => {
    const engine = await engineOn('2026-11-30', { futureToleranceDays: 1 });
    await engine.create('project', input({ land: { requiredMu: 100, houses: 0 }, asOf: '2026-11-01' }), {
      actor: 'hq',
    });
    expect(
      await engine.send(
        'project',
        'p1',
        { type: 'REPORT_CLEARANCE', mu: 1, houses: 0, at: '2026-12-01' },
        { actor: 'u' },
      ),
    ).toMatchObject({ status: 'accepted' });
    expect(
      await engine.send(
        'project',
        'p1',
        { type: 'REPORT_CLEARANCE', mu: 1, houses: 0, at: '2026-12-02' },
        { actor: 'u' },
      ),
    ).toMatchObject({
      status: 'rejected',
      rejection: { rule: 'eventDateFuture', zh: expect.stringContaining('最晚可报 2026-12-01') },
    });
  });

  it('a registration dated after today is refused naming the field; campaigns, problems too', async () => {
    const engine = await engineOn('2026-11-30');
    const outcome = await engine.create('project', input({ asOf: '2027-01-01' }), { actor: 'hq' });
    expect(outcome.status === 'invalid' && outcome.problems.map((p) => p.field)).toEqual(['asOf']);
    await engine.create('project', input({ asOf: '2026-11-01' }), { actor: 'hq' });
    const problem = await engine.create(
      'problem',
      { id: 'q1', projectId: 'p1', title: '土地预征', source: 'onSiteMeeting', raisedOn: '2026-12-24' },
      { actor: 'hq' },
    );
    expect(problem.status === 'invalid' && problem.problems.map((p) => p.field)).toEqual(['raisedOn']);
  });

  it('a refusal for a future date replays as the same refusal after the day has come (restart, verify)', async () => {
    const dir = await tempDir();
    const first = await engineOn('2026-11-30', { dir });
    await first.create('project', input({ land: { requiredMu: 100, houses: 0 }, asOf: '2026-11-01' }), { actor: 'hq' });
    await first.send('project', 'p1', { type: 'REPORT_CLEARANCE', mu: 1, houses: 0, at: '2026-12-05' }, { actor: 'u' });
    await first.close();
    // A week later the same event would be accepted; the journal still says what happened then.
    const later = await engineOn('2026-12-07', { dir });
    expect(later.get('project', 'p1')?.version).toBe(1);
    await later.close();
    expect((await verify(dir)).ok).toBe(true);
  });

  it('over HTTP: 409 eventDateFuture, and the project is unchanged', async () => {
    const { app, auth } = await testApp();
    await request(app)
      .post('/api/projects')
      .set(auth('hq'))
      .send(projectInput({ land: { requiredMu: 100, houses: 0 } }));
    const res = await request(app)
      .post('/api/projects/p1/events')
      .set(auth('unit'))
      .send({ type: 'REPORT_CLEARANCE', mu: 1, houses: 0, at: '9999-12-31' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ rule: 'eventDateFuture', version: 1 });
    expect(
      (
        await request(app)
          .post('/api/projects')
          .set(auth('hq'))
          .send(projectInput({ id: 'p2', asOf: '9999-12-31' }))
      ).status,
    ).toBe(422);
  });
});
