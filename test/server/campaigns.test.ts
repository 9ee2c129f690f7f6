import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { CampaignInput } from '../../machines/index.ts';
import { projectInput, testApp } from './helpers.ts';

const campaign: CampaignInput = {
  id: 'c1',
  name: '百日攻坚(测试)',
  start: '2022-08-01',
  days: 31,
  units: [
    { id: 'u1', name: '一号镇', group: 'township' },
    { id: 'u2', name: '二号镇', group: 'township' },
    { id: 'u3', name: '三号镇', group: 'township' },
  ],
  targets: { u1: { '2022-08': { signed: 1 } }, u2: { '2022-08': { signed: 1 } }, u3: { '2022-08': { signed: 1 } } },
};

describe('campaigns over HTTP', () => {
  it('registers a campaign, runs its supervision, and reports in JSON, HTML and xlsx', async () => {
    const { app, auth } = await testApp();
    expect((await request(app).post('/api/campaigns').set(auth('hq')).send(campaign)).status).toBe(201);
    for (const id of ['a', 'b'])
      await request(app)
        .post('/api/projects')
        .set(auth('hq'))
        .send(projectInput({ id, unitId: id === 'a' ? 'u1' : 'u2', asOf: '2022-07-31' }));
    expect(
      (await request(app).post('/api/campaigns/c1/events').set(auth('hq')).send({ type: 'START', at: '2022-08-01' }))
        .status,
    ).toBe(200);
    await request(app)
      .post('/api/projects/a/events')
      .set(auth('unit'))
      .send({ type: 'SIGN', contractAmount: 10, at: '2022-08-10' });
    const early = await request(app)
      .post('/api/campaigns/c1/events')
      .set(auth('hq'))
      .send({ type: 'SUPERVISE', month: '2022-08', at: '2022-08-20' });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ rule: 'supervisionEarly', detail: expect.stringContaining('2022-08-31') });
    expect(
      (
        await request(app)
          .post('/api/campaigns/c1/events')
          .set(auth('hq'))
          .send({ type: 'SUPERVISE', month: '2022-08', at: '2022-08-31' })
      ).status,
    ).toBe(200);
    const month = await request(app).get('/api/campaigns/c1/supervisions/2022-08').set(auth('leader'));
    expect(month.status).toBe(200);
    const u2 = month.body.units.find((u: { unitId: string }) => u.unitId === 'u2');
    expect(u2).toMatchObject({ missedTasks: ['signed'], step: 'deputyInterview' });
    const report = await request(app).get('/api/campaigns/c1/report').set(auth('viewer'));
    expect(report.body.ladders.find((l: { unitId: string }) => l.unitId === 'u2').state).toBe('deputyInterview');
    const html = await request(app).get('/api/campaigns/c1/report?format=html').set(auth('viewer'));
    expect(html.headers['content-type']).toMatch(/text\/html/);
    expect(html.text).toContain('2022-08 督查通报');
    const xlsx = await request(app)
      .get('/api/campaigns/c1/report?format=xlsx')
      .set(auth('viewer'))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(xlsx.headers['content-disposition']).toContain('c1.xlsx');
    expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    expect((await request(app).get('/api/campaigns').set(auth('viewer'))).body.campaigns[0]).toMatchObject({
      id: 'c1',
      state: 'active',
    });
  });

  it('only hq runs campaigns; bad input and unknown months are refused clearly', async () => {
    const { app, auth } = await testApp();
    expect((await request(app).post('/api/campaigns').set(auth('leader')).send(campaign)).status).toBe(403);
    const invalid = await request(app)
      .post('/api/campaigns')
      .set(auth('hq'))
      .send({ ...campaign, targets: { ghost: { '2022-08': { signed: 1 } } } });
    expect(invalid.status).toBe(422);
    expect(invalid.body.detail).toContain('ghost');
    await request(app).post('/api/campaigns').set(auth('hq')).send(campaign);
    expect(
      (await request(app).post('/api/campaigns/c1/events').set(auth('unit')).send({ type: 'START', at: '2022-08-01' }))
        .status,
    ).toBe(403);
    expect(
      (await request(app).post('/api/campaigns/c1/events').set(auth('hq')).send({ type: 'START', at: '2022-08-02' }))
        .body.rule,
    ).toBe('startDate');
    expect((await request(app).get('/api/campaigns/c1/supervisions/August').set(auth('hq'))).status).toBe(400);
    expect((await request(app).get('/api/campaigns/c1/supervisions/2022-08').set(auth('hq'))).status).toBe(404);
    expect((await request(app).get('/api/campaigns/nope/report').set(auth('hq'))).status).toBe(404);
  });
});

describe('GET /api/campaigns/:id', () => {
  it('gives the campaign, its months, its version as ETag and the events this member may send now', async () => {
    const { app, auth } = await testApp();
    expect((await request(app).post('/api/campaigns').set(auth('hq')).send(campaign)).status).toBe(201);
    const hq = await request(app).get('/api/campaigns/c1').set(auth('hq'));
    expect(hq.status).toBe(200);
    expect(hq.headers.etag).toBe('"1"');
    expect(hq.body).toMatchObject({ id: 'c1', state: 'draft', version: 1, months: ['2022-08'], supervisions: [] });
    const byType = (body: { events: { type: string; allowed: boolean }[] }) =>
      Object.fromEntries(body.events.map((e) => [e.type, e.allowed]));
    expect(byType(hq.body)).toEqual({ START: true, RECORD_ACCOUNTABILITY: true });
    const viewer = await request(app).get('/api/campaigns/c1').set(auth('viewer'));
    expect(byType(viewer.body)).toEqual({ START: false, RECORD_ACCOUNTABILITY: false });
    // A unit's staff may record their own unit's measures (once the campaign runs), nothing else.
    expect(byType((await request(app).get('/api/campaigns/c1').set(auth('unit'))).body)).toEqual({
      START: false,
      RECORD_ACCOUNTABILITY: false,
    });
    expect(viewer.body.events[0].reason.rule).toBeTruthy();
    await request(app).post('/api/campaigns/c1/events').set(auth('hq')).send({ type: 'START', at: '2022-08-01' });
    expect(byType((await request(app).get('/api/campaigns/c1').set(auth('hq'))).body)).toEqual({
      SUPERVISE: true,
      ASSESS: true,
      RECORD_MEASURE: true,
      RECORD_ACCOUNTABILITY: true,
    });
    expect(byType((await request(app).get('/api/campaigns/c1').set(auth('unit'))).body)).toMatchObject({
      SUPERVISE: false,
      RECORD_MEASURE: true,
    });
    expect((await request(app).get('/api/campaigns/none').set(auth('hq'))).status).toBe(404);
  });
});

describe('GET /api/campaigns/:id/report?omit=', () => {
  it('leaves out the sections asked (a dashboard needs no 台账), refuses an unknown one', async () => {
    const { app, auth } = await testApp();
    await request(app).post('/api/campaigns').set(auth('hq')).send(campaign);
    const full = (await request(app).get('/api/campaigns/c1/report').set(auth('viewer'))).body;
    expect(full).toHaveProperty('projects');
    const slim = await request(app).get('/api/campaigns/c1/report?omit=projects,refusals').set(auth('viewer'));
    expect(slim.status).toBe(200);
    expect(slim.body).not.toHaveProperty('projects');
    expect(slim.body).not.toHaveProperty('refusals');
    expect(slim.body.totals).toEqual(full.totals);
    const bad = await request(app).get('/api/campaigns/c1/report?omit=totals').set(auth('viewer'));
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('cannot omit');
  });
});
