import { expect } from 'vitest';

/**
 * The projects the load tests send to, created over HTTP (each must be): unit `u1`, a million mu
 * of land to clear, so every 1-mu REPORT_CLEARANCE they send is accepted.
 */
export async function createLoadProjects(
  base: string,
  headers: Record<string, string>,
  ids: readonly string[],
): Promise<void> {
  for (const id of ids) {
    const res = await fetch(`${base}/api/projects`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        id,
        name: `项目${id}`,
        unitId: 'u1',
        plannedInvestment: 800,
        asOf: '2022-08-01',
        land: { requiredMu: 1e6, houses: 0 },
      }),
    });
    expect(res.status).toBe(201);
  }
}
