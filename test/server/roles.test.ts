import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { PROJECT_EVENT_ROLES, PROJECT_EVENT_TYPES, type ProjectEventType } from '../../machines/index.ts';
import { projectInput, SAMPLE_EVENTS, testApp, type TokenName } from './helpers.ts';

const CALLERS: TokenName[] = ['hq', 'unit', 'otherUnit', 'finance', 'stats', 'leader', 'viewer'];

function expectedAllowed(caller: TokenName, type: ProjectEventType): boolean {
  const role = caller === 'otherUnit' ? 'unit' : caller;
  return PROJECT_EVENT_ROLES[type].includes(role) && caller !== 'otherUnit';
}

describe('role × event × unit matrix', async () => {
  const { app, auth } = await testApp();
  await request(app)
    .post('/api/projects')
    .set(auth('hq'))
    .send(projectInput({ land: { requiredMu: 10, houses: 0 }, bond: { allocated: 50 } }));
  const cells = CALLERS.flatMap((caller) => PROJECT_EVENT_TYPES.map((type) => [caller, type] as const));

  it.each(cells)('%s sending %s is allowed exactly as declared', async (caller, type) => {
    const res = await request(app).post('/api/projects/p1/events').set(auth(caller)).send(SAMPLE_EVENTS[type]!);
    if (expectedAllowed(caller, type)) {
      expect(res.status, JSON.stringify(res.body)).not.toBe(403);
    } else {
      expect(res.status).toBe(403);
      // Another unit's project is out of bounds whatever the event (checked before the body is read).
      expect(res.body).toMatchObject({ type: '/problems/forbidden', rule: caller === 'otherUnit' ? 'unit' : 'role' });
      expect(res.body.zh.detail.length).toBeGreaterThan(5);
    }
  });

  it.each(CALLERS)('%s may register a project only if hq', async (caller) => {
    const res = await request(app)
      .post('/api/projects')
      .set(auth(caller))
      .send(projectInput({ id: `new-${caller}` }));
    expect(res.status).toBe(caller === 'hq' ? 201 : 403);
  });

  it.each(CALLERS)('%s reads a project and sees which events they may send', async (caller) => {
    const res = await request(app).get('/api/projects/p1').set(auth(caller));
    expect(res.status).toBe(200);
    for (const option of res.body.events as {
      type: ProjectEventType;
      allowed: boolean;
      reason: { rule: string } | null;
    }[]) {
      if (!expectedAllowed(caller, option.type)) expect(option.allowed).toBe(false);
      if (option.allowed) expect(option.reason).toBeNull();
    }
  });
});
