import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { projectInput, testApp } from './helpers.ts';

describe('optimistic concurrency and idempotency over HTTP', () => {
  it('two clients racing with the same If-Match: exactly one wins, the other gets 412', async () => {
    const { app, auth, engine } = await testApp();
    await request(app)
      .post('/api/projects')
      .set(auth('hq'))
      .send(projectInput({ bond: { allocated: 100 } }));
    const etag = (await request(app).get('/api/projects/p1').set(auth('finance'))).headers.etag as string;
    expect(etag).toBe('"1"');
    const send = () =>
      request(app)
        .post('/api/projects/p1/events')
        .set(auth('finance'))
        .set('If-Match', etag)
        .send({ type: 'DISBURSE_BOND', amount: 10, at: '2022-09-01' });
    const results = await Promise.all([send(), send()]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
    expect(engine.get('project', 'p1')?.context.bond.disbursed).toBe(10);
  });

  it('a retried POST with the same Idempotency-Key applies once and returns the first response', async () => {
    const { app, auth, engine } = await testApp();
    await request(app)
      .post('/api/projects')
      .set(auth('hq'))
      .send(projectInput({ bond: { allocated: 100 } }));
    const send = () =>
      request(app)
        .post('/api/projects/p1/events')
        .set(auth('finance'))
        .set('Idempotency-Key', 'pay-2022-09-01-a')
        .send({ type: 'DISBURSE_BOND', amount: 10, at: '2022-09-01' });
    const first = await send();
    const retry = await send();
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(engine.get('project', 'p1')?.context.bond.disbursed).toBe(10);
    expect((await engine.history('project', 'p1')).filter((e) => e.kind === 'event')).toHaveLength(1);
  });

  it('a retried refusal returns the same 409, journalled once', async () => {
    const { app, auth, engine } = await testApp();
    await request(app).post('/api/projects').set(auth('hq')).send(projectInput());
    const send = () =>
      request(app)
        .post('/api/projects/p1/events')
        .set(auth('finance'))
        .set('Idempotency-Key', 'k2')
        .send({ type: 'DISBURSE_BOND', amount: 10, at: '2022-09-01' });
    const [a, b] = [await send(), await send()];
    expect([a.status, b.status]).toEqual([409, 409]);
    expect(b.body.rule).toBe(a.body.rule);
    expect((await engine.history('project', 'p1')).filter((e) => e.kind === 'refusal')).toHaveLength(1);
  });

  it('reusing a key for a different request is refused', async () => {
    const { app, auth } = await testApp();
    await request(app)
      .post('/api/projects')
      .set(auth('hq'))
      .send(projectInput({ bond: { allocated: 100 } }));
    await request(app)
      .post('/api/projects/p1/events')
      .set(auth('finance'))
      .set('Idempotency-Key', 'k3')
      .send({ type: 'DISBURSE_BOND', amount: 10, at: '2022-09-01' });
    const other = await request(app)
      .post('/api/projects/p1/events')
      .set(auth('finance'))
      .set('Idempotency-Key', 'k3')
      .send({ type: 'DISBURSE_BOND', amount: 20, at: '2022-09-01' });
    expect(other.status).toBe(422);
    expect(other.body.type).toBe('/problems/idempotency-key-reused');
  });
});
