import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { PROJECT_EVENT_TYPES } from '../../machines/index.ts';
import { projectInput, SAMPLE_EVENTS, testApp, type TokenName } from './helpers.ts';

// Who may send what, written out by hand — independent of machines/permissions.ts, so that a
// change to the production table fails here. `unit` works for u1 (the project's unit),
// `otherUnit` for u2.
const MAY: Record<string, readonly TokenName[]> = {
  SIGN: ['hq', 'unit'],
  // The sample grants 用地规划许可证: 自然资源局 issues it, 住建局 does not (PERMIT_ISSUERS).
  GRANT_PERMIT: ['hq', 'unit', 'naturalResources'],
  GREEN_CHANNEL: ['hq'],
  REPORT_CLEARANCE: ['hq', 'unit'],
  START_CONSTRUCTION: ['hq', 'unit'],
  REGISTER_STATS: ['stats'],
  COMPLETE: ['hq', 'unit'],
  START_PRODUCTION: ['hq', 'unit'],
  REPORT_OUTPUT: ['hq', 'unit'],
  SET_OUTPUT_TARGET: ['hq', 'unit'],
  ALLOCATE_BOND: ['finance'],
  DISBURSE_BOND: ['finance'],
  ENTER_HELP_POOL: ['hq', 'unit'],
  DROP: ['hq'],
  REPORT_INVESTMENT: ['hq', 'unit'],
  REPORT_PROGRESS: ['hq', 'unit'],
  REVISE_PLAN: ['hq'],
};

/** What a fresh project (signing stage, land to clear, bond allocated) does with each sample event. */
const ON_A_FRESH_PROJECT: Record<string, 200 | 409> = {
  SIGN: 200,
  GRANT_PERMIT: 200,
  GREEN_CHANNEL: 200,
  REPORT_CLEARANCE: 200,
  START_CONSTRUCTION: 409,
  REGISTER_STATS: 409,
  COMPLETE: 409,
  START_PRODUCTION: 409,
  REPORT_OUTPUT: 409,
  SET_OUTPUT_TARGET: 409,
  ALLOCATE_BOND: 200,
  DISBURSE_BOND: 200,
  ENTER_HELP_POOL: 409,
  DROP: 200,
  // Investment and progress from the start of construction on; the plan may be revised any time.
  REPORT_INVESTMENT: 409,
  REPORT_PROGRESS: 409,
  REVISE_PLAN: 200,
};

const CALLERS: TokenName[] = [
  'hq',
  'unit',
  'otherUnit',
  'finance',
  'stats',
  'naturalResources',
  'housing',
  'leader',
  'viewer',
];

describe('role × event × unit matrix', async () => {
  const { app, auth } = await testApp();
  let n = 0;
  /** A fresh project for each cell, so every answer depends on the caller and the event only. */
  async function freshProject(): Promise<string> {
    const id = `p${++n}`;
    const created = await request(app)
      .post('/api/projects')
      .set(auth('hq'))
      .send(projectInput({ id, land: { requiredMu: 10, houses: 0 }, bond: { allocated: 50 } }));
    expect(created.status).toBe(201);
    return id;
  }
  it('the table covers every project event there is', () => {
    expect(Object.keys(MAY).sort()).toEqual([...PROJECT_EVENT_TYPES].sort());
    expect(Object.keys(ON_A_FRESH_PROJECT).sort()).toEqual([...PROJECT_EVENT_TYPES].sort());
  });
  const cells = CALLERS.flatMap((caller) => Object.keys(MAY).map((type) => [caller, type] as const));

  it.each(cells)('%s sending %s gets exactly the status the table says', async (caller, type) => {
    const id = await freshProject();
    const res = await request(app).post(`/api/projects/${id}/events`).set(auth(caller)).send(SAMPLE_EVENTS[type]!);
    const allowed = MAY[type]!.includes(caller);
    expect(res.status, JSON.stringify(res.body)).toBe(allowed ? ON_A_FRESH_PROJECT[type] : 403);
    if (!allowed) {
      // Another unit's project is out of bounds whatever the event (checked before the body is read).
      // 住建局 may grant certificates, only not this one (checked once the body says which).
      const rule =
        caller === 'otherUnit' ? 'unit' : caller === 'housing' && type === 'GRANT_PERMIT' ? 'permitIssuer' : 'role';
      expect(res.body).toMatchObject({ type: '/problems/forbidden', rule });
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

  it.each(CALLERS)('%s reads a project and sees exactly the events it may send', async (caller) => {
    const id = await freshProject();
    const res = await request(app).get(`/api/projects/${id}`).set(auth(caller));
    expect(res.status).toBe(200);
    const events = res.body.events as { type: string; allowed: boolean; reason: { rule: string } | null }[];
    for (const option of events) {
      // Before a payload names the certificate, 住建局 may grant permits (its own: the construction permit).
      const mayByRole = MAY[option.type]!.includes(caller) || (option.type === 'GRANT_PERMIT' && caller === 'housing');
      // Allowed: the role may, and nothing in the project blocks it (its precondition passes).
      if (!mayByRole)
        expect(option).toMatchObject({ allowed: false, reason: { rule: caller === 'otherUnit' ? 'unit' : 'role' } });
      else expect(option.allowed).toBe(option.reason === null);
    }
    // SIGN is possible on a fresh project: allowed for exactly those the table names.
    expect(events.find((e) => e.type === 'SIGN')?.allowed).toBe(MAY.SIGN!.includes(caller));
  });
});
