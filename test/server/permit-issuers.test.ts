import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { projectInput, testApp } from './helpers.ts';

// Issue 12, rule 11: certificates are granted by the department that issues them, for any
// project — 自然资源局: 用地规划许可证, 不动产权证, 工程规划许可证; 住建局: 施工许可证.

const grant = (permit: string) => ({ type: 'GRANT_PERMIT', permit, at: '2022-09-01' });

describe('rule 11: permits granted by the issuing department', () => {
  it('自然资源局 grants its three, in order, for a project of any unit; 住建局 the construction permit', async () => {
    const { app, auth, engine } = await testApp();
    await engine.create('project', projectInput({ id: 'p1', unitId: 'u2', stage: 'signed' }), { actor: 'hq-1' });
    for (const permit of ['landUsePlanning', 'landTitle', 'engineeringPlanning']) {
      const res = await request(app).post('/api/projects/p1/events').set(auth('naturalResources')).send(grant(permit));
      expect(res.status, permit).toBe(200);
    }
    const built = await request(app).post('/api/projects/p1/events').set(auth('housing')).send(grant('construction'));
    expect(built.status).toBe(200);
    expect(engine.get('project', 'p1')!.value.permits).toBe('complete');
  });

  it('a department may not grant another department’s certificate: 403 naming who issues it', async () => {
    const { app, auth, engine } = await testApp();
    await engine.create('project', projectInput({ id: 'p1', stage: 'signed' }), { actor: 'hq-1' });
    const housing = await request(app)
      .post('/api/projects/p1/events')
      .set(auth('housing'))
      .send(grant('landUsePlanning'));
    expect(housing.status).toBe(403);
    expect(housing.body).toMatchObject({ rule: 'permitIssuer' });
    expect(housing.body.zh.detail).toContain('自然资源局');
    const resources = await request(app)
      .post('/api/projects/p1/events')
      .set(auth('naturalResources'))
      .send(grant('construction'));
    expect(resources.status).toBe(403);
    expect(resources.body.zh.detail).toContain('住建局');
    expect((await engine.history('project', 'p1')).length).toBe(1);
  });

  it('departments send nothing else: a clearance from 自然资源局 is refused by role', async () => {
    const { app, auth, engine } = await testApp();
    await engine.create('project', projectInput({ id: 'p1', land: { requiredMu: 5, houses: 0 } }), { actor: 'hq-1' });
    const res = await request(app)
      .post('/api/projects/p1/events')
      .set(auth('naturalResources'))
      .send({ type: 'REPORT_CLEARANCE', mu: 1, houses: 0, at: '2022-09-01' });
    expect(res.status).toBe(403);
    expect(res.body.rule).toBe('role');
  });
});
