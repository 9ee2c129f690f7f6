import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { projectInput, testApp } from './helpers.ts';

describe('problems (问题清单) and accountability over HTTP', () => {
  it('hq raises and assigns, the assigned unit resolves, hq verifies; others are refused', async () => {
    const { app, auth } = await testApp();
    await request(app)
      .post('/api/projects')
      .set(auth('hq'))
      .send(projectInput({ id: 'longhua' }));
    const raised = await request(app)
      .post('/api/problems')
      .set(auth('hq'))
      .send({ id: 'q1', projectId: 'longhua', title: '土地预征', source: 'onSiteMeeting', raisedOn: '2022-08-19' });
    expect(raised.status).toBe(201);
    expect(raised.body).toMatchObject({ id: 'q1', state: 'raised', overdue: false });
    expect(
      (
        await request(app)
          .post('/api/problems')
          .set(auth('unit'))
          .send({ id: 'q2', projectId: 'longhua', title: 'x', source: 'supervision', raisedOn: '2022-08-19' })
      ).status,
    ).toBe(403);
    expect(
      (
        await request(app)
          .post('/api/problems')
          .set(auth('hq'))
          .send({ id: 'q3', projectId: 'nope', title: 'x', source: 'supervision', raisedOn: '2022-08-19' })
      ).status,
    ).toBe(422);
    const early = await request(app)
      .post('/api/problems/q1/events')
      .set(auth('hq'))
      .send({ type: 'ASSIGN', unitId: 'u1', due: '2022-08-01', at: '2022-08-19' });
    expect(early.body).toMatchObject({ status: 409, rule: 'dueDate' });
    expect(
      (
        await request(app)
          .post('/api/problems/q1/events')
          .set(auth('hq'))
          .send({ type: 'ASSIGN', unitId: 'u1', due: '2022-09-10', at: '2022-08-19' })
      ).status,
    ).toBe(200);
    const other = await request(app)
      .post('/api/problems/q1/events')
      .set(auth('otherUnit'))
      .send({ type: 'RESOLVE', note: '已办结', at: '2022-09-01' });
    expect(other).toMatchObject({ status: 403, body: { rule: 'unit' } });
    expect(
      (
        await request(app)
          .post('/api/problems/q1/events')
          .set(auth('unit'))
          .send({ type: 'RESOLVE', note: '已完成预征', at: '2022-09-01' })
      ).status,
    ).toBe(200);
    expect(
      (await request(app).post('/api/problems/q1/events').set(auth('unit')).send({ type: 'VERIFY', at: '2022-09-02' }))
        .status,
    ).toBe(403);
    expect(
      (await request(app).post('/api/problems/q1/events').set(auth('hq')).send({ type: 'VERIFY', at: '2022-09-02' }))
        .status,
    ).toBe(200);
    const list = await request(app).get('/api/problems?project=longhua').set(auth('leader'));
    expect(list.body.problems).toEqual([
      expect.objectContaining({ id: 'q1', state: 'verified', unitId: 'u1', resolution: '已完成预征' }),
    ]);
  });

  it('an assigned problem past its due date and not resolved is overdue', async () => {
    const { app, auth } = await testApp();
    await request(app).post('/api/projects').set(auth('hq')).send(projectInput());
    await request(app)
      .post('/api/problems')
      .set(auth('hq'))
      .send({ id: 'q1', projectId: 'p1', title: '施工许可', source: 'supervision', raisedOn: '2022-08-19' });
    await request(app)
      .post('/api/problems/q1/events')
      .set(auth('hq'))
      .send({ type: 'ASSIGN', unitId: 'u1', due: '2022-09-10', at: '2022-08-19' });
    expect((await request(app).get('/api/problems/q1').set(auth('viewer'))).body.overdue).toBe(true);
  });

  it('hq records accountability (问责) on a unit’s ladder through the campaign', async () => {
    const { app, auth } = await testApp();
    await request(app)
      .post('/api/campaigns')
      .set(auth('hq'))
      .send({
        id: 'c1',
        name: 'c',
        start: '2022-08-01',
        days: 30,
        units: [{ id: 'u1', name: '一号镇', group: 'township' }],
        targets: {},
      });
    const res = await request(app)
      .post('/api/campaigns/c1/events')
      .set(auth('hq'))
      .send({ type: 'RECORD_ACCOUNTABILITY', unit: 'u1', reason: '懒政怠政,影响攻坚推进', at: '2022-08-20' });
    expect(res.body).toMatchObject({ status: 'accepted', to: 'accountability' });
    expect(
      (
        await request(app)
          .post('/api/campaigns/c1/events')
          .set(auth('hq'))
          .send({ type: 'RECORD_ACCOUNTABILITY', unit: 'u1', reason: ' ', at: '2022-08-21' })
      ).body.rule,
    ).toBe('reasonMissing');
    expect(
      (
        await request(app)
          .post('/api/campaigns/c1/events')
          .set(auth('leader'))
          .send({ type: 'RECORD_ACCOUNTABILITY', unit: 'u1', reason: 'x', at: '2022-08-21' })
      ).status,
    ).toBe(403);
    const report = await request(app).get('/api/campaigns/c1/report').set(auth('leader'));
    expect(report.body.ladders[0]).toMatchObject({
      state: 'accountability',
      accountability: [{ reason: '懒政怠政,影响攻坚推进' }],
    });
    const unit = await request(app).get('/api/units/u1').set(auth('viewer'));
    expect(unit.body.ladders).toEqual([
      expect.objectContaining({
        campaignId: 'c1',
        state: 'accountability',
        label: { zh: '问责', en: 'held accountable' },
      }),
    ]);
    expect((await request(app).get('/api/units/nobody').set(auth('viewer'))).status).toBe(404);
  });
});
