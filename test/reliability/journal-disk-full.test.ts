import { describe, expect, it } from 'vitest';
import { verify } from '../../engine/index.ts';
import { startServe } from '../support/serve-process.ts';
import { mountTinyDisk } from '../support/tiny-disk.ts';

// Hardening issue, defect 3: on a full disk every POST answered 500, kept failing after space
// returned, and /healthz stayed 200 ok.

describe('the journal on a disk that fills up', () => {
  it('answers 503 with Retry-After while full, health says degraded, and both recover by themselves when space ' +
    'returns', async (ctx) => {
    const disk = await mountTinyDisk(512);
    if (disk === null) return ctx.skip('mounting a tmpfs needs root (run through .ci/run)');
    const serve = await startServe({ dir: disk.dir });
    try {
      const headers = { Authorization: `Bearer ${serve.token()!}`, 'Content-Type': 'application/json' };
      const post = (path: string, body: unknown, extra: Record<string, string> = {}) =>
        fetch(`${serve.base}${path}`, {
          method: 'POST',
          headers: { ...headers, ...extra },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(5000),
        });
      expect(
        (
          await post('/api/projects', {
            id: 'p1',
            name: '冷链仓储',
            unitId: 'u1',
            plannedInvestment: 800,
            asOf: '2022-08-01',
            land: { requiredMu: 10000, houses: 0 },
          })
        ).status,
      ).toBe(201);

      await disk.fill();
      // The journal's last page may still have room for a few lines: send until the disk refuses.
      let refused: Response | undefined;
      let key = '';
      let lastSeq = 1;
      for (let i = 0; i < 100 && refused === undefined; i++) {
        key = `clearance-${i}`;
        const res = await post(
          '/api/projects/p1/events',
          { type: 'REPORT_CLEARANCE', mu: 1, houses: 0, at: '2022-08-02' },
          { 'Idempotency-Key': key, 'Accept-Language': 'en' },
        );
        if (res.status === 503) refused = res;
        else {
          const body = (await res.json()) as { seq: number };
          expect(res.status, JSON.stringify(body)).toBe(200);
          lastSeq = body.seq;
        }
      }
      expect(refused?.status).toBe(503);
      if (refused === undefined) return;
      expect(refused.headers.get('retry-after')).toBe('5');
      const problem = (await refused.json()) as { type: string; detail: string; zh: { detail: string } };
      expect(problem).toMatchObject({
        type: '/problems/storage-unavailable',
        detail: expect.stringMatching(/disk is full.*nothing was saved/),
      });
      expect(problem.zh.detail).toMatch(/磁盘空间不足/);
      const degraded = await fetch(`${serve.base}/healthz`);
      expect(degraded.status).toBe(503);
      expect(await degraded.json()).toMatchObject({ status: 'degraded', journal: { code: 'ENOSPC' } });

      await disk.free();
      // Health tries the disk again (at most once a second) and reports ok without a restart.
      let healthy = await fetch(`${serve.base}/healthz`);
      for (let i = 0; i < 30 && healthy.status !== 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        healthy = await fetch(`${serve.base}/healthz`);
      }
      expect(healthy.status).toBe(200);
      expect(await healthy.json()).toMatchObject({ status: 'ok' });
      // The retry with the same key applies the event once; nothing of the failed attempt remains.
      const retried = await post(
        '/api/projects/p1/events',
        { type: 'REPORT_CLEARANCE', mu: 1, houses: 0, at: '2022-08-02' },
        { 'Idempotency-Key': key },
      );
      expect(retried.status).toBe(200);
      expect(retried.headers.get('idempotent-replayed')).toBeNull();
      expect(await retried.json()).toMatchObject({ seq: lastSeq + 1, version: lastSeq + 1 });
      expect(await serve.stop('SIGTERM')).toBe(0);
      const report = await verify(disk.dir);
      expect(report).toMatchObject({ ok: true, entries: lastSeq + 1 });
    } finally {
      await serve.stop('SIGKILL');
      await disk.unmount();
    }
  }, 60_000);
});
