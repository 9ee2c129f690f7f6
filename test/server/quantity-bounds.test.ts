import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../engine/index.ts';
import { projectInput, testApp } from './helpers.ts';

// Hardening issue, defect 1, over HTTP and in a scenario: a quantity beyond its domain bound is
// refused with the bound named — 422 over HTTP, a refusal in a simulation — and changes nothing.

describe('quantity bounds', () => {
  it('ALLOCATE_BOND of 1e308 is 422 naming the field and the bound, and the project is unchanged', async () => {
    const { app, auth } = await testApp();
    await request(app).post('/api/projects').set(auth('hq')).send(projectInput());
    const res = await request(app)
      .post('/api/projects/p1/events')
      .set(auth('finance'))
      .send({ type: 'ALLOCATE_BOND', amount: 1e308, at: '2022-08-02' });
    expect(res.status).toBe(422);
    expect(res.body.en.detail).toMatch(/amount: at most 1000000000/);
    expect(res.body.zh.detail).toMatch(/不超过 1000000000 万元/);
    expect((await request(app).get('/api/projects/p1').set(auth('hq'))).body).toMatchObject({
      version: 1,
      context: { bond: { allocated: 0 } },
    });
  });

  it.each([
    ['plannedInvestment', { plannedInvestment: 1e308 }],
    ['land.requiredMu', { land: { requiredMu: 1e308, houses: 0 } }],
    ['bond.allocated', { bond: { allocated: 1e308 } }],
  ])('registering a project with a huge %s is 422 naming it', async (field, overrides) => {
    const { app, auth } = await testApp();
    const res = await request(app).post('/api/projects').set(auth('hq')).send(projectInput(overrides));
    expect(res.status).toBe(422);
    expect(res.body.en.detail).toContain(`${field}: at most`);
    expect((await request(app).get('/api/projects/p1').set(auth('hq'))).status).toBe(404);
  });

  it('a campaign with an absurd target is 422 naming the unit, month and task', async () => {
    const { app, auth } = await testApp();
    const res = await request(app)
      .post('/api/campaigns')
      .set(auth('hq'))
      .send({
        id: 'c1',
        name: '百日攻坚',
        start: '2022-08-01',
        days: 100,
        units: [{ id: 'u1', name: '下东街道', group: 'township' }],
        targets: { u1: { '2022-08': { landMu: 1e300 } } },
      });
    expect(res.status).toBe(422);
    expect(res.body.en.detail).toMatch(/u1 2022-08 landMu is at most 10000000 mu/);
  });

  it('in a scenario, a huge amount is refused before anything runs, naming the field and the bound', () => {
    const scenario = {
      format: 'gongjian-scenario/1',
      campaign: { id: 'c', name: '百日攻坚', start: '2022-08-01', days: 31 },
      units: [{ id: 'u1', name: '下东街道', group: 'township' }],
      staff: [
        { id: 'hq-1', name: '三高办', role: 'hq' },
        { id: 'fin-1', name: '财政局', role: 'finance' },
      ],
      targets: {},
      projects: [{ id: 'p1', name: '冷链仓储', unitId: 'u1', plannedInvestment: 8000 }],
      events: [{ at: '2022-08-05', by: 'fin-1', project: 'p1', type: 'ALLOCATE_BOND', amount: 1e308 }],
    };
    // (Issue 12, rule 12: a payload the API would refuse is a scenario problem, listed at validation.)
    expect(() => parseScenario(scenario)).toThrow(/events #0 \(2022-08-05 ALLOCATE_BOND\)\.amount: .*1000000000/);
  });
});
