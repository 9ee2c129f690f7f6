import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { projectInput, testApp } from './helpers.ts';

// Hardening issue, item 13: messages name the right place; references name existing units;
// ids are limited to a safe character set.

const campaign = {
  id: 'c1',
  name: '百日攻坚',
  start: '2022-08-01',
  days: 100,
  units: [
    { id: 'u1', name: '下东街道', group: 'township' },
    { id: 'u2', name: '严塘镇', group: 'township' },
  ],
  targets: {},
};

describe('validation messages', () => {
  it('an unknown query parameter is "(query)", naming it', async () => {
    const { app, auth } = await testApp();
    const res = await request(app).get('/api/projects?color=red').set(auth('leader')).set('Accept-Language', 'en');
    expect(res.status).toBe(422);
    expect(res.body.detail).toBe('(query): unknown parameter "color"');
  });

  it('an unknown body field is "(body)", naming it', async () => {
    const { app, auth } = await testApp();
    const res = await request(app)
      .post('/api/projects')
      .set(auth('hq'))
      .set('Accept-Language', 'en')
      .send({ ...projectInput(), colour: 'red' });
    expect(res.body.detail).toBe('(body): unknown field "colour"');
  });

  it('an empty body with Content-Type: application/json is 400 "empty body"', async () => {
    const { app, auth } = await testApp();
    await request(app).post('/api/projects').set(auth('hq')).send(projectInput());
    const res = await request(app)
      .post('/api/projects/p1/events')
      .set(auth('unit'))
      .set('Content-Type', 'application/json')
      .set('Accept-Language', 'en');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ type: '/problems/empty-body', detail: 'empty body: send JSON' });
  });

  it('once campaigns define units, a project, an assignment or 问责 must name one of them', async () => {
    const { app, auth } = await testApp();
    // Before any campaign, units are not known and any unit id is taken.
    expect(
      (
        await request(app)
          .post('/api/projects')
          .set(auth('hq'))
          .send(projectInput({ id: 'early', unitId: 'anything' }))
      ).status,
    ).toBe(201);
    expect((await request(app).post('/api/campaigns').set(auth('hq')).send(campaign)).status).toBe(201);
    const project = await request(app)
      .post('/api/projects')
      .set(auth('hq'))
      .set('Accept-Language', 'en')
      .send(projectInput({ unitId: 'u9' }));
    expect([project.status, project.body.type, project.body.field]).toEqual([422, '/problems/unknown-unit', 'unitId']);
    expect(project.body.detail).toContain('no unit u9; the units are: u1, u2');
    expect(
      (
        await request(app)
          .post('/api/projects')
          .set(auth('hq'))
          .send(projectInput({ unitId: 'u1' }))
      ).status,
    ).toBe(201);
    await request(app)
      .post('/api/problems')
      .set(auth('hq'))
      .send({ id: 'q1', projectId: 'p1', title: '土地预征', source: 'onSiteMeeting', raisedOn: '2022-08-19' });
    expect(
      (
        await request(app)
          .post('/api/problems/q1/events')
          .set(auth('hq'))
          .send({ type: 'ASSIGN', unitId: 'u9', due: '2022-09-10', at: '2022-08-20' })
      ).status,
    ).toBe(422);
    expect(
      (
        await request(app)
          .post('/api/problems/q1/events')
          .set(auth('hq'))
          .send({ type: 'ASSIGN', unitId: 'u1', due: '2022-09-10', at: '2022-08-20' })
      ).status,
    ).toBe(200);
    const accountability = await request(app)
      .post('/api/campaigns/c1/events')
      .set(auth('hq'))
      .send({ type: 'RECORD_ACCOUNTABILITY', unit: 'u9', reason: '连续未完成', at: '2022-08-20' });
    expect([accountability.status, accountability.body.field]).toEqual([422, 'unit']);
  });

  it.each(['..', '.', 'a.b', '__proto__', 'constructor', 'a b', 'x\u0001', '-lead', 'a'.repeat(65), '项目一'])(
    'the id %j is refused',
    async (id) => {
      const { app, auth } = await testApp();
      const res = await request(app)
        .post('/api/projects')
        .set(auth('hq'))
        .set('Accept-Language', 'en')
        .send(projectInput({ id }));
      expect(res.status).toBe(422);
      expect(res.body.detail).toMatch(/^id: an id is 1–64 ASCII letters/);
    },
  );
});
