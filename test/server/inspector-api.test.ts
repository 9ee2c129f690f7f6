import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ALL_KINDS, statechartOf } from '../../engine/index.ts';
import { projectInput, testApp } from './helpers.ts';

// The inspector's API: a dry run that journals nothing, the journal replayed step by step, and
// each machine's statechart with its layout.

async function withProject() {
  const t = await testApp();
  await t.engine.create('project', projectInput({ id: 'p1', stage: 'signed', land: { requiredMu: 10, houses: 0 } }), {
    actor: 'hq-1',
  });
  return t;
}

describe('POST /api/projects/:id/events?dryRun=1', () => {
  it('answers what the send would do, and journals nothing, takes no version', async () => {
    const { app, auth, engine } = await withProject();
    const before = (await engine.history('project', 'p1')).length;
    const res = await request(app)
      .post('/api/projects/p1/events?dryRun=1')
      .set(auth('unit'))
      .send({ type: 'REPORT_CLEARANCE', mu: 10, houses: 0, at: '2022-09-01' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: true, status: 'accepted', version: 1 });
    expect(res.body.from.land).toBe('clearing');
    expect(res.body.to.land).toBe('cleared');
    expect(res.body.wei).not.toContain('landUncleared');
    expect(res.body.context.land.clearedMu).toBe(10);
    expect(engine.get('project', 'p1')!.version).toBe(1);
    expect(engine.get('project', 'p1')!.value.land).toBe('clearing');
    expect((await engine.history('project', 'p1')).length).toBe(before);
    // The live actor was not moved either: the real send still starts from clearing.
    const real = await request(app)
      .post('/api/projects/p1/events')
      .set(auth('unit'))
      .send({ type: 'REPORT_CLEARANCE', mu: 4, houses: 0, at: '2022-09-01' });
    expect(real.status).toBe(200);
    expect(real.body.to.land).toBe('clearing');
  });

  it('refuses exactly as the real send would (409, same rule and words), still journalling nothing', async () => {
    const { app, auth, engine } = await withProject();
    const event = { type: 'START_CONSTRUCTION', at: '2022-09-01' };
    const dry = await request(app).post('/api/projects/p1/events?dryRun=true').set(auth('unit')).send(event);
    expect(dry.status).toBe(409);
    expect((await engine.history('project', 'p1')).length).toBe(1);
    const real = await request(app).post('/api/projects/p1/events').set(auth('unit')).send(event);
    expect(real.status).toBe(409);
    expect(dry.body.rule).toBe(real.body.rule);
    expect(dry.body.zh).toEqual(real.body.zh);
    expect(dry.body.en).toEqual(real.body.en);
  });

  it('checks role, unit, payload and If-Match as the real send does; a bad dryRun value is a 422', async () => {
    const { app, auth } = await withProject();
    const clearance = { type: 'REPORT_CLEARANCE', mu: 1, houses: 0, at: '2022-09-01' };
    expect(
      (await request(app).post('/api/projects/p1/events?dryRun=1').set(auth('viewer')).send(clearance)).status,
    ).toBe(403);
    // Another unit's staff: what the real send answers them, nothing more or less.
    const other = await request(app).post('/api/projects/p1/events?dryRun=1').set(auth('otherUnit')).send(clearance);
    expect(other.status).toBe(403);
    const otherReal = await request(app).post('/api/projects/p1/events').set(auth('otherUnit')).send(clearance);
    expect(other.status).toBe(otherReal.status);
    expect(
      (
        await request(app)
          .post('/api/projects/p1/events?dryRun=1')
          .set(auth('unit'))
          .send({ ...clearance, mu: 'lots' })
      ).status,
    ).toBe(422);
    expect(
      (
        await request(app)
          .post('/api/projects/p1/events?dryRun=1')
          .set(auth('unit'))
          .set('If-Match', '"7"')
          .send(clearance)
      ).status,
    ).toBe(412);
    const bad = await request(app).post('/api/projects/p1/events?dryRun=maybe').set(auth('unit')).send(clearance);
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('dryRun');
  });
});

describe('GET /api/projects/:id/replay', () => {
  it('gives the state, context and 八未 after every journal entry, refusals included', async () => {
    const { app, auth, engine } = await withProject();
    await engine.send(
      'project',
      'p1',
      { type: 'REPORT_CLEARANCE', mu: 10, houses: 0, at: '2022-09-01' },
      { actor: 'x' },
    );
    await engine.send('project', 'p1', { type: 'START_CONSTRUCTION', at: '2022-09-02' }, { actor: 'y' });
    const res = await request(app).get('/api/projects/p1/replay').set(auth('viewer'));
    expect(res.status).toBe(200);
    const steps = res.body.steps as { kind: string; value: { land: string }; wei: string[]; actor: string }[];
    expect(steps.map((s) => s.kind)).toEqual(['create', 'event', 'refusal']);
    expect(steps[0]!.value.land).toBe('clearing');
    expect(steps[0]!.wei).toContain('landUncleared');
    expect(steps[1]!.value.land).toBe('cleared');
    expect(steps[2]).toMatchObject({ actor: 'y', rejection: { rule: 'permitsIncomplete' } });
    expect(steps[2]!.value).toEqual(steps[1]!.value);
    expect(res.body.steps.at(-1).context).toEqual(engine.get('project', 'p1')!.context);
    expect((await request(app).get('/api/projects/nope/replay').set(auth('viewer'))).status).toBe(404);
    // Who may read the history may replay it, and no one else.
    expect((await request(app).get('/api/projects/p1/replay').set(auth('otherUnit'))).status).toBe(
      (await request(app).get('/api/projects/p1/history').set(auth('otherUnit'))).status,
    );
    expect((await request(app).get('/api/projects/p1/replay')).status).toBe(401);
  });
});

describe('GET /api/machines/:kind/diagram', () => {
  it('gives every machine its statechart, a box for every state and a route for every transition', async () => {
    const { app, auth } = await testApp();
    for (const kind of ALL_KINDS) {
      const res = await request(app).get(`/api/machines/${kind.kind}/diagram`).set(auth('viewer'));
      expect(res.status, kind.kind).toBe(200);
      expect(res.body.chart).toEqual(JSON.parse(JSON.stringify(statechartOf(kind))));
      for (const s of res.body.chart.states) expect(res.body.layout.nodes[s.id], s.id).toBeDefined();
      for (const t of res.body.chart.transitions) expect(res.body.layout.edges[t.id], t.id).toBeDefined();
    }
    expect((await request(app).get('/api/machines/nothing/diagram').set(auth('viewer'))).status).toBe(404);
    expect((await request(app).get('/api/machines/project/diagram')).status).toBe(401);
  });
});
