import { describe, expect, it } from 'vitest';
import { startServe } from '../support/serve-process.ts';
import { tempDir } from '../support/temp-dir.ts';

// Reliability: a flood of requests with bad tokens from one address (the hardening issue sent
// 30,000, all answered 401 at full speed and each one logged).

describe('a flood of bad tokens', () => {
  it('is answered 401 then 429, never 5xx; staff with a valid token and /healthz are served meanwhile; the log ' +
    'stays short', async () => {
    const dir = await tempDir();
    const serve = await startServe({ dir, stdout: 'pipe' });
    let logLines = 0;
    serve.child.stdout!.on('data', (d: Buffer) => (logLines += d.toString().split('\n').length - 1));
    try {
      const statuses = new Map<number, number>();
      let i = 0;
      const flood = async () => {
        while (i < 5000) {
          i += 1;
          const res = await fetch(`${serve.base}/api/projects`, { headers: { Authorization: `Bearer gj_guess-${i}` } });
          await res.arrayBuffer();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        }
      };
      const attackers = Array.from({ length: 32 }, flood);
      // Meanwhile, real work goes on.
      const started = performance.now();
      const mine = await fetch(`${serve.base}/api/projects`, {
        headers: { Authorization: `Bearer ${serve.token()!}` },
      });
      const health = await fetch(`${serve.base}/healthz`);
      const during = performance.now() - started;
      await Promise.all(attackers);
      expect([mine.status, health.status]).toEqual([200, 200]);
      expect(during).toBeLessThan(3000);
      expect(statuses.get(401)).toBeLessThanOrEqual(30);
      expect((statuses.get(401) ?? 0) + (statuses.get(429) ?? 0)).toBe(5000);
      expect(await serve.stop('SIGTERM')).toBe(0);
      // One line per failed attempt up to the limit, one for the limit, a few for start and stop.
      expect(logLines).toBeLessThan(60);
    } finally {
      await serve.stop('SIGKILL');
    }
  }, 60_000);
});
