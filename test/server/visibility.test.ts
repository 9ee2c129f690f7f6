import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { readUntil } from '../support/until.ts';
import { projectInput, testApp } from './helpers.ts';

// Hardening issue, items 9 and 12: who reads what is a setting — `county` (the default: every
// unit token reads the whole county, as campaign transparency wants) or `unit` (unit staff see
// only their own unit) — enforced everywhere, the live stream included; and a caller is
// authorised before their payload is validated.

async function county(visibility: 'county' | 'unit') {
  const t = await testApp(undefined, { visibility });
  await request(t.app)
    .post('/api/projects')
    .set(t.auth('hq'))
    .send(projectInput({ id: 'mine', unitId: 'u1' }));
  await request(t.app)
    .post('/api/projects')
    .set(t.auth('hq'))
    .send(projectInput({ id: 'theirs', unitId: 'u2' }));
  await request(t.app)
    .post('/api/problems')
    .set(t.auth('hq'))
    .send({ id: 'q-theirs', projectId: 'theirs', title: '土地预征', source: 'onSiteMeeting', raisedOn: '2022-08-19' });
  return t;
}

describe('authorise before validating', () => {
  it('a viewer posting an invalid body is told 403, not what the body lacks', async () => {
    const { app, auth } = await county('county');
    const res = await request(app).post('/api/projects/mine/events').set(auth('viewer')).send({ type: 'NOT_AN_EVENT' });
    expect(res.status).toBe(403);
    expect(res.body.rule).toBe('role');
  });

  it('unit staff posting an invalid body to another unit’s project get 403; to their own, 422', async () => {
    const { app, auth } = await county('county');
    expect(
      (await request(app).post('/api/projects/theirs/events').set(auth('unit')).send({ type: 'NOT_AN_EVENT' })).status,
    ).toBe(403);
    expect(
      (await request(app).post('/api/projects/mine/events').set(auth('unit')).send({ type: 'NOT_AN_EVENT' })).status,
    ).toBe(422);
  });
});

describe('visibility county (default)', () => {
  it('unit staff read every project, problem and unit', async () => {
    const { app, auth } = await county('county');
    expect((await request(app).get('/api/projects').set(auth('unit'))).body.projects).toHaveLength(2);
    expect((await request(app).get('/api/projects/theirs').set(auth('unit'))).status).toBe(200);
    expect((await request(app).get('/api/problems/q-theirs').set(auth('unit'))).status).toBe(200);
    expect((await request(app).get('/api/units/u2').set(auth('unit'))).status).toBe(200);
  });
});

describe('visibility unit', () => {
  it('unit staff see their own unit only; another unit’s project answers exactly as a missing one', async () => {
    const { app, auth } = await county('unit');
    expect(
      (await request(app).get('/api/projects').set(auth('unit'))).body.projects.map((p: { id: string }) => p.id),
    ).toEqual(['mine']);
    expect((await request(app).get('/api/projects?unit=u2').set(auth('unit'))).body.projects).toEqual([]);
    for (const path of [
      '/api/projects/theirs',
      '/api/projects/theirs/history',
      '/api/problems/q-theirs',
      '/api/units/u2',
    ]) {
      const hidden = await request(app).get(path).set(auth('unit'));
      const missing = await request(app).get(path.replace('theirs', 'nope').replace('u2', 'u9')).set(auth('unit'));
      expect([hidden.status, hidden.body.type], path).toEqual([404, '/problems/not-found']);
      expect(missing.status).toBe(404);
    }
    const post = await request(app)
      .post('/api/projects/theirs/events')
      .set(auth('unit'))
      .send({ type: 'SIGN', contractAmount: 1, at: '2022-09-01' });
    expect(post.status).toBe(404);
    expect((await request(app).get('/api/problems').set(auth('unit'))).body.problems).toEqual([]);
    // Other roles still read everything.
    expect((await request(app).get('/api/projects').set(auth('leader'))).body.projects).toHaveLength(2);
    expect((await request(app).get('/api/projects/theirs').set(auth('finance'))).status).toBe(200);
  });

  it('the live stream carries only the unit’s own changes to unit staff', async () => {
    const { app, auth, tokens } = await county('unit');
    const server = app.listen(0);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const controller = new AbortController();
    try {
      const res = await fetch(`${base}/api/stream?access_token=${tokens.unit}`, { signal: controller.signal });
      const reader = res.body!.getReader();
      await request(app)
        .post('/api/projects/theirs/events')
        .set(auth('otherUnit'))
        .send({ type: 'SIGN', contractAmount: 1, at: '2022-09-01' });
      await request(app)
        .post('/api/projects/mine/events')
        .set(auth('unit'))
        .send({ type: 'SIGN', contractAmount: 1, at: '2022-09-01' });
      const text = await readUntil(reader, (t) => t.includes('"id":"mine"'));
      expect(text).not.toContain('"id":"theirs"');
    } finally {
      controller.abort();
      server.close();
    }
  });
});
