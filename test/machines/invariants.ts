import { expect } from 'vitest';
import { STAGES, type ProjectSnapshot } from '../../machines/index.ts';

const ORDER = [...STAGES] as string[];

/** What must hold in every state a project can reach. */
export function expectStateInvariants(s: ProjectSnapshot): void {
  const { context: c, value: v } = s;
  expect(s.status).toBe('active');
  expect(c.stage).toBe(v.lifecycle);
  if (c.land !== null) {
    expect(c.land.clearedMu).toBeLessThanOrEqual(c.land.requiredMu);
    expect(c.land.demolished).toBeLessThanOrEqual(c.land.houses);
    expect(v.land === 'cleared').toBe(c.land.clearedMu >= c.land.requiredMu && c.land.demolished >= c.land.houses);
  } else {
    expect(v.land).toBe('notRequired');
  }
  expect(c.bond.disbursed).toBeLessThanOrEqual(c.bond.allocated);
  expect(v.permits === 'complete').toBe(c.permits.length === 4);
  expect(new Set(c.permits).size).toBe(c.permits.length);
  if (v.statistics === 'registered')
    expect(['underConstruction', 'completed', 'inProduction', 'atTarget']).toContain(v.lifecycle);
  if (v.support === 'helpPool') expect(v.lifecycle).toBe('inProduction');
}

/** What must hold of every step from one state to the next. */
export function expectStepInvariants(before: ProjectSnapshot, after: ProjectSnapshot): void {
  const from = before.value.lifecycle;
  const to = after.value.lifecycle;
  if (from === 'dropped') expect(to).toBe('dropped');
  if (to === 'dropped') expect(['negotiating', 'signed', 'dropped']).toContain(from);
  else expect(ORDER.indexOf(to) - ORDER.indexOf(from)).toBeOneOf([0, 1]);
  if (to === 'atTarget' && from !== 'atTarget') expect(from).toBe('inProduction');
  if (before.value.statistics === 'registered') expect(after.value.statistics).toBe('registered');
  expect(after.context.bond.disbursed).toBeGreaterThanOrEqual(before.context.bond.disbursed);
  if (before.context.land && after.context.land)
    expect(after.context.land.clearedMu).toBeGreaterThanOrEqual(before.context.land.clearedMu);
}
