import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { projectInput, testApp } from './helpers.ts';

async function withProject() {
  const t = await testApp();
  await request(t.app)
    .post('/api/projects')
    .set(t.auth('hq'))
    .send(projectInput({ stage: 'signed', land: { requiredMu: 1018.5, houses: 5, clearedMu: 800, demolished: 3 } }));
  return t;
}

/** Every error is an RFC 9457 problem with both languages. */
function expectProblem(res: request.Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    type: `/problems/${code}`,
    status,
    title: expect.any(String),
    detail: expect.any(String),
  });
  expect(res.body.zh.detail.length).toBeGreaterThan(0);
  expect(res.body.en.detail.length).toBeGreaterThan(0);
  expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
}

describe('HTTP statuses', () => {
  it('400 for malformed JSON', async () => {
    const { app, auth } = await withProject();
    const res = await request(app)
      .post('/api/projects/p1/events')
      .set(auth('unit'))
      .set('Content-Type', 'application/json')
      .send('{"type": "SIGN",');
    expectProblem(res, 400, 'malformed-json');
  });

  it('400 for an unreadable If-Match', async () => {
    const { app, auth } = await withProject();
    expectProblem(
      await request(app)
        .post('/api/projects/p1/events')
        .set(auth('unit'))
        .set('If-Match', 'yesterday')
        .send({ type: 'GRANT_PERMIT', permit: 'landUsePlanning', at: '2022-09-01' }),
      400,
      'bad-if-match',
    );
  });

  it('401 without a token and with a bad one', async () => {
    const { app } = await withProject();
    const none = await request(app).get('/api/projects/p1');
    expectProblem(none, 401, 'unauthorized');
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expectProblem(
      await request(app).get('/api/projects/p1').set('Authorization', 'Bearer gj_nope'),
      401,
      'unauthorized',
    );
  });

  it('403 says which role may', async () => {
    const { app, auth } = await withProject();
    const res = await request(app)
      .post('/api/projects/p1/events')
      .set(auth('viewer'))
      .send({ type: 'SIGN', contractAmount: 1, at: '2022-09-01' });
    expectProblem(res, 403, 'forbidden');
    expect(res.body.detail).toContain('三高办');
  });

  it('404 for an unknown project and an unknown route', async () => {
    const { app, auth } = await withProject();
    expectProblem(await request(app).get('/api/projects/nope').set(auth('leader')), 404, 'not-found');
    expectProblem(await request(app).get('/api/nothing-here').set(auth('leader')), 404, 'not-found');
  });

  it('409 carries the rule and the numbers, in the language asked for, and changes nothing', async () => {
    const { app, auth, engine } = await withProject();
    const zh = await request(app)
      .post('/api/projects/p1/events')
      .set(auth('unit'))
      .send({ type: 'START_CONSTRUCTION', at: '2022-09-01' });
    expectProblem(zh, 409, 'rule-rejected');
    expect(zh.body).toMatchObject({
      rule: 'landUncleared',
      detail: '征拆未清零:已清 800/1018.5 亩,已拆 3/5 栋',
      version: 1,
    });
    const en = await request(app)
      .post('/api/projects/p1/events')
      .set(auth('unit'))
      .set('Accept-Language', 'en-US,en;q=0.9,zh;q=0.5')
      .send({ type: 'START_CONSTRUCTION', at: '2022-09-01' });
    expect(en.body.detail).toBe('land not cleared: 800/1018.5 mu cleared, 3/5 houses demolished');
    expect(en.headers['content-language']).toBe('en');
    expect(engine.get('project', 'p1')?.version).toBe(1);
  });

  it('ETag only ever carries the version: no body-hash ETag on lists or problems (Express default off)', async () => {
    const { app, auth } = await withProject();
    expect((await request(app).get('/api/projects').set(auth('leader'))).headers.etag).toBeUndefined();
    expect(
      (
        await request(app)
          .post('/api/projects/p1/events')
          .set(auth('unit'))
          .set('If-Match', '"7"')
          .send({ type: 'GRANT_PERMIT', permit: 'landUsePlanning', at: '2022-09-01' })
      ).headers.etag,
    ).toBeUndefined();
    expect((await request(app).get('/api/projects/p1').set(auth('leader'))).headers.etag).toBe('"1"');
  });

  it('412 when If-Match names an older version', async () => {
    const { app, auth } = await withProject();
    const res = await request(app)
      .post('/api/projects/p1/events')
      .set(auth('unit'))
      .set('If-Match', '"7"')
      .send({ type: 'GRANT_PERMIT', permit: 'landUsePlanning', at: '2022-09-01' });
    expectProblem(res, 412, 'version-mismatch');
    expect(res.body.version).toBe(1);
  });

  it('415 for a body that is not JSON', async () => {
    const { app, auth } = await withProject();
    expectProblem(
      await request(app)
        .post('/api/projects/p1/events')
        .set(auth('unit'))
        .set('Content-Type', 'text/plain')
        .send('SIGN'),
      415,
      'unsupported-media-type',
    );
  });

  it('422 for a payload that does not fit the event, naming the field', async () => {
    const { app, auth } = await withProject();
    const wrongType = await request(app)
      .post('/api/projects/p1/events')
      .set(auth('unit'))
      .send({ type: 'REPORT_CLEARANCE', mu: '5', houses: 1, at: '2022-09-01' });
    expectProblem(wrongType, 422, 'invalid-payload');
    expect(wrongType.body.issues[0].path).toBe('mu');
    expectProblem(
      await request(app).post('/api/projects/p1/events').set(auth('unit')).send({ type: 'LAUNCH', at: '2022-09-01' }),
      422,
      'invalid-payload',
    );
    expectProblem(
      await request(app)
        .post('/api/projects/p1/events')
        .set(auth('unit'))
        .send({ type: 'GRANT_PERMIT', permit: 'landTitle', at: '2022-02-30' }),
      422,
      'invalid-payload',
    );
    const extra = await request(app)
      .post('/api/projects/p1/events')
      .set(auth('unit'))
      .send({ type: 'GRANT_PERMIT', permit: 'landTitle', at: '2022-09-01', note: 'x' });
    expectProblem(extra, 422, 'invalid-payload');
  });

  it('422 for a project that contradicts itself, listing every problem', async () => {
    const { app, auth } = await withProject();
    const res = await request(app)
      .post('/api/projects')
      .set(auth('hq'))
      .send(projectInput({ id: 'p2', plannedInvestment: -1, land: { requiredMu: 1, houses: 0, clearedMu: 2 } }));
    expectProblem(res, 422, 'invalid-project');
    expect(res.body.problems.map((p: { field: string }) => p.field)).toEqual(['plannedInvestment', 'land.clearedMu']);
  });

  it('409 for a duplicate project id', async () => {
    const { app, auth } = await withProject();
    expectProblem(await request(app).post('/api/projects').set(auth('hq')).send(projectInput()), 409, 'exists');
  });

  it('413 for an oversized body', async () => {
    const { app, auth } = await withProject();
    expectProblem(
      await request(app)
        .post('/api/projects/p1/events')
        .set(auth('unit'))
        .send({ type: 'DROP', reason: 'x'.repeat(200_000), at: '2022-09-01' }),
      413,
      'too-large',
    );
  });

  it('healthz and the OpenAPI document need no token', async () => {
    const { app } = await withProject();
    expect((await request(app).get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await request(app).get('/openapi.json')).status).toBe(200);
  });
});
