import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { verify } from '../../engine/index.ts';
import { FileStore } from '../../store/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { projectInput, testApp, type TokenName } from './helpers.ts';

interface WalkBody {
  state: Record<string, string>;
  wei: unknown[];
  entries: unknown[];
  [key: string]: unknown;
}

describe('a whole project over HTTP', () => {
  it('walks from 洽谈 to 达产 on a file store; history and verify agree', async () => {
    const dir = await tempDir();
    const { app, engine, tokens } = await testApp(new FileStore(dir));
    const server = app.listen(0);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const call = async (
      who: TokenName,
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) => {
      const res = await fetch(base + path, {
        method,
        headers: { Authorization: `Bearer ${tokens[who]}`, 'Content-Type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      // The shapes the README documents; each assertion below reads what it checks.
      return { status: res.status, etag: res.headers.get('etag'), body: (await res.json()) as WalkBody };
    };
    try {
      expect(
        (
          await call(
            'hq',
            'POST',
            '/api/projects',
            projectInput({ land: { requiredMu: 100, houses: 2 }, outputTarget: 1500 }),
          )
        ).status,
      ).toBe(201);
      const steps: [TokenName, Record<string, unknown>, number][] = [
        ['unit', { type: 'SIGN', contractAmount: 30000, at: '2022-08-02' }, 200],
        ['unit', { type: 'START_CONSTRUCTION', at: '2022-08-03' }, 409],
        ['unit', { type: 'REPORT_CLEARANCE', mu: 60, houses: 1, at: '2022-08-10' }, 200],
        ['unit', { type: 'REPORT_CLEARANCE', mu: 40, houses: 1, at: '2022-08-20' }, 200],
        ['hq', { type: 'GREEN_CHANNEL', at: '2022-08-21' }, 200],
        ['unit', { type: 'GRANT_PERMIT', permit: 'construction', at: '2022-08-22' }, 200],
        ['unit', { type: 'GRANT_PERMIT', permit: 'landUsePlanning', at: '2022-08-22' }, 200],
        ['unit', { type: 'GRANT_PERMIT', permit: 'landTitle', at: '2022-08-23' }, 200],
        ['unit', { type: 'GRANT_PERMIT', permit: 'engineeringPlanning', at: '2022-08-24' }, 200],
        ['unit', { type: 'START_CONSTRUCTION', at: '2022-08-25' }, 200],
        ['stats', { type: 'REGISTER_STATS', at: '2022-09-05' }, 200],
        ['finance', { type: 'ALLOCATE_BOND', amount: 2000, at: '2022-09-06' }, 200],
        ['finance', { type: 'DISBURSE_BOND', amount: 2000, at: '2022-09-20' }, 200],
        ['unit', { type: 'COMPLETE', at: '2022-10-20' }, 200],
        ['unit', { type: 'START_PRODUCTION', at: '2022-10-25' }, 200],
        ['unit', { type: 'ENTER_HELP_POOL', expert: '刘年勇', at: '2022-11-02' }, 200],
        ['unit', { type: 'REPORT_OUTPUT', month: '2022-10', output: 900, at: '2022-11-05' }, 200],
        ['unit', { type: 'REPORT_OUTPUT', month: '2022-11', output: 1600, at: '2022-12-05' }, 200],
      ];
      let version = 1;
      for (const [who, event, status] of steps) {
        const res = await call(who, 'POST', '/api/projects/p1/events', event, { 'If-Match': `"${version}"` });
        expect(res.status, `${String(event.type)}: ${JSON.stringify(res.body)}`).toBe(status);
        if (status === 200) version = Number(JSON.parse(res.etag!));
      }
      const project = await call('leader', 'GET', '/api/projects/p1');
      expect(project.body.state).toEqual({
        lifecycle: 'atTarget',
        permits: 'complete',
        land: 'cleared',
        bond: 'disbursed',
        statistics: 'registered',
        support: 'normal',
      });
      expect(project.body.wei).toEqual([]);
      const history = (await call('viewer', 'GET', '/api/projects/p1/history')).body.entries as {
        kind: string;
        actor: string;
        to?: { lifecycle: string };
      }[];
      expect(history).toHaveLength(steps.length + 1);
      expect(history.filter((e) => e.kind === 'refusal')).toHaveLength(1);
      expect(history.at(-1)).toMatchObject({ kind: 'event', actor: 'unit-1', to: { lifecycle: 'atTarget' } });
    } finally {
      server.close();
      await engine.close();
    }
    const report = await verify(dir);
    expect(report).toMatchObject({ ok: true, entries: 19, projects: 1 });
  });
});
