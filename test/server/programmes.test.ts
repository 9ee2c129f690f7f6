import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ALL_PERMITS, projectInput, testApp } from './helpers.ts';

const PV = {
  id: 'pv',
  name: '300MW 分布式光伏发电项目',
  enterprise: '湘东新能源有限公司',
  plannedInvestment: 13500,
  capacity: { value: 30, unit: 'MW' },
  landMu: 60,
  registeredOn: '2022-07-01',
};

/** A programme of six 5 MW plants (2,250 万元, 10 亩 each): four ready to start, two not. */
async function withProgramme() {
  const t = await testApp();
  await request(t.app).post('/api/programmes').set(t.auth('hq')).send(PV).expect(201);
  for (let i = 1; i <= 6; i++)
    await request(t.app)
      .post('/api/projects')
      .set(t.auth('hq'))
      .send(
        projectInput({
          id: `pv-${i}`,
          name: `光伏电站 ${i}`,
          plannedInvestment: 2250,
          enterprise: '湘东新能源有限公司',
          programmeId: 'pv',
          capacity: { value: 5, unit: 'MW' },
          stage: 'signed',
          permits: [...ALL_PERMITS],
          land: { requiredMu: 10, houses: 0, clearedMu: i <= 4 ? 10 : 0 },
        }),
      )
      .expect(201);
  return t;
}

describe('programmes over HTTP (项目群)', () => {
  it('registers a programme (hq only) and its sub-projects; an unknown programme is 422', async () => {
    const { app, auth } = await withProgramme();
    expect(
      (
        await request(app)
          .post('/api/programmes')
          .set(auth('unit'))
          .send({ ...PV, id: 'x' })
      ).status,
    ).toBe(403);
    const orphan = await request(app)
      .post('/api/projects')
      .set(auth('hq'))
      .send(projectInput({ id: 'orphan', programmeId: 'nope' }));
    expect(orphan.status).toBe(422);
    expect(orphan.body.detail).toContain('nope');
    const pv = (await request(app).get('/api/programmes/pv').set(auth('viewer'))).body;
    expect(pv.subProjects).toHaveLength(6);
    expect(pv.rollup).toMatchObject({
      subProjects: 6,
      byStage: { signed: 6 },
      land: { requiredMu: 60, clearedMu: 40, declaredMu: 60 },
      investment: { declared: 13500, planned: 13500, signed: 13500, started: 0 },
      capacity: { unit: 'MW', declared: 30, total: 30, started: 0 },
      discrepancies: [],
    });
    const list = (await request(app).get('/api/programmes').set(auth('viewer'))).body.programmes;
    expect(list.map((p: { id: string; subProjectIds: string[] }) => [p.id, p.subProjectIds.length])).toEqual([
      ['pv', 6],
    ]);
  });

  it('lists sub-projects by programme, enterprise and minimum investment, showing planned investment', async () => {
    const { app, auth } = await withProgramme();
    await request(app)
      .post('/api/projects')
      .set(auth('hq'))
      .send(projectInput({ id: 'big', plannedInvestment: 30000 }));
    const byProgramme = (await request(app).get('/api/projects?programme=pv').set(auth('viewer'))).body;
    expect(byProgramme.total).toBe(6);
    expect(byProgramme.projects[0]).toMatchObject({ plannedInvestment: 2250, programmeId: 'pv' });
    expect((await request(app).get('/api/projects?enterprise=湘东').set(auth('viewer'))).body.total).toBe(6);
    const major = (await request(app).get('/api/projects?minInvestment=10000').set(auth('viewer'))).body;
    expect(major.projects.map((p: { id: string }) => p.id)).toEqual(['big']);
    // Folded: the programme is one line standing for its six plants, its money summed.
    const folded = (await request(app).get('/api/projects?fold=programmes').set(auth('viewer'))).body;
    expect(folded.total).toBe(2);
    expect(folded.projects.find((p: { id: string }) => p.id === 'pv')).toMatchObject({
      name: '300MW 分布式光伏发电项目',
      subProjects: 6,
      plannedInvestment: 13500,
    });
  });

  it('batch START_CONSTRUCTION: exactly the sub-projects not ready are refused, each with its reason', async () => {
    const { app, auth, engine } = await withProgramme();
    const send = () =>
      request(app)
        .post('/api/programmes/pv/batch')
        .set(auth('unit'))
        .set('Idempotency-Key', 'groundbreaking-1')
        .send({ event: { type: 'START_CONSTRUCTION', at: '2022-08-08' } });
    const first = await send();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ accepted: 4, rejected: 2, forbidden: 0 });
    const refused = first.body.results.filter((r: { status: string }) => r.status === 'rejected');
    expect(refused.map((r: { projectId: string }) => r.projectId)).toEqual(['pv-5', 'pv-6']);
    expect(refused[0]).toMatchObject({ rule: 'landUncleared' });
    expect(refused[0].zh).toContain('0/10');
    const journalled = (await engine.history('project', 'pv-1')).length;
    // Retried with the same key: nothing applied twice, the same answer.
    const again = await send();
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.results.map((r: { status: string }) => r.status)).toEqual(
      first.body.results.map((r: { status: string }) => r.status),
    );
    expect((await engine.history('project', 'pv-1')).length).toBe(journalled);
    const pv = (await request(app).get('/api/programmes/pv').set(auth('viewer'))).body;
    expect(pv.rollup).toMatchObject({ byStage: { underConstruction: 4, signed: 2 }, capacity: { started: 20 } });
  });

  it('batch to chosen sub-projects; a stranger is 422; another unit’s staff are told per project', async () => {
    const { app, auth } = await withProgramme();
    const stranger = await request(app)
      .post('/api/programmes/pv/batch')
      .set(auth('hq'))
      .send({ event: { type: 'START_CONSTRUCTION', at: '2022-08-08' }, projects: ['pv-1', 'elsewhere'] });
    expect(stranger.status).toBe(422);
    const other = await request(app)
      .post('/api/programmes/pv/batch')
      .set(auth('otherUnit'))
      .send({ event: { type: 'START_CONSTRUCTION', at: '2022-08-08' }, projects: ['pv-1', 'pv-2'] });
    expect(other.body).toMatchObject({ accepted: 0, forbidden: 2 });
    const chosen = await request(app)
      .post('/api/programmes/pv/batch')
      .set(auth('hq'))
      .send({ event: { type: 'START_CONSTRUCTION', at: '2022-08-08' }, projects: ['pv-2'] });
    expect(chosen.body).toMatchObject({ accepted: 1, results: [{ projectId: 'pv-2', status: 'accepted' }] });
  });

  it('investment over HTTP: the monthly report is refused before the start and counted after it', async () => {
    const { app, auth } = await withProgramme();
    const report = { type: 'REPORT_INVESTMENT', month: '2022-08', amount: 900, at: '2022-09-02' };
    const early = await request(app).post('/api/projects/pv-1/events').set(auth('unit')).send(report);
    expect(early.status).toBe(409);
    await request(app)
      .post('/api/projects/pv-1/events')
      .set(auth('unit'))
      .send({ type: 'START_CONSTRUCTION', at: '2022-08-08' })
      .expect(200);
    expect((await request(app).post('/api/projects/pv-1/events').set(auth('unit')).send(report)).status).toBe(200);
    const pv = (await request(app).get('/api/programmes/pv').set(auth('viewer'))).body;
    expect(pv.rollup.investment.invested).toBe(900);
  });
});
