import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verify } from '../../engine/index.ts';
import { startServe } from '../support/serve-process.ts';
import { mountTinyDisk } from '../support/tiny-disk.ts';
import { tempDir } from '../support/temp-dir.ts';

// Hardening issue, defect 2: with stdout on a full disk pino's synchronous writer retried
// forever — every request hung, SIGTERM was ignored — and freeing space crashed the server.

async function timed(url: string, init?: RequestInit): Promise<{ status: number; ms: number; body: unknown }> {
  const started = performance.now();
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
  return { status: res.status, body: await res.json(), ms: performance.now() - started };
}

async function registerAndSend(base: string, token: string, events: number): Promise<number[]> {
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const created = await timed(`${base}/api/projects`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ id: 'p1', name: '冷链仓储', unitId: 'u1', plannedInvestment: 800, asOf: '2022-08-01' }),
  });
  expect(created.status).toBe(201);
  const seqs: number[] = [];
  for (let i = 0; i < events; i++) {
    // hq may not allocate bonds: these are refusals, journalled and acknowledged all the same.
    const res = await timed(`${base}/api/projects/p1/events`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ type: 'SIGN', contractAmount: 800 + i, at: '2022-08-02' }),
    });
    expect([200, 409]).toContain(res.status);
    expect(res.ms).toBeLessThan(2000);
    seqs.push((res.body as { seq: number }).seq);
  }
  return seqs;
}

describe('a failing log destination', () => {
  it('stdout on a full device (/dev/full): requests are served, events acknowledged and durable, SIGTERM exits ' +
    'cleanly', async () => {
    const dir = await tempDir();
    const full = openSync('/dev/full', 'w');
    const serve = await startServe({ dir, stdout: full });
    closeSync(full);
    try {
      const seqs = await registerAndSend(serve.base, serve.token()!, 100);
      const health = await timed(`${serve.base}/healthz`);
      expect(health.ms).toBeLessThan(500);
      expect(health.body).toMatchObject({ status: 'ok', log: { lastError: 'ENOSPC' } });
      const started = performance.now();
      expect(await serve.stop('SIGTERM')).toBe(0);
      expect(performance.now() - started).toBeLessThan(5000);
      const report = await verify(dir);
      expect(report.ok).toBe(true);
      expect(report.entries).toBeGreaterThanOrEqual(Math.max(...seqs));
    } finally {
      await serve.stop('SIGKILL');
    }
  }, 60_000);

  it('stdout on a disk that fills up and is then freed: the service never stops, and the log resumes with whole ' +
    'lines', async (ctx) => {
    const disk = await mountTinyDisk(64);
    if (disk === null) return ctx.skip('mounting a tmpfs needs root (run through .ci/run)');
    const dir = await tempDir();
    const logPath = join(disk.dir, 'gongjian.log');
    const fd = openSync(logPath, 'a');
    const serve = await startServe({ dir, stdout: fd });
    closeSync(fd);
    try {
      await disk.fill();
      await registerAndSend(serve.base, serve.token()!, 200);
      const during = await timed(`${serve.base}/healthz`);
      expect(during.body).toMatchObject({ log: { lastError: 'ENOSPC' } });
      await disk.free();
      // The sink retries with backoff (≤ 10 s); requests made now must reach the log.
      const deadline = Date.now() + 15_000;
      let text = '';
      while (Date.now() < deadline) {
        await timed(`${serve.base}/healthz?after-free=1`);
        text = await readFile(logPath, 'utf8');
        if (text.includes('after-free')) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(text).toContain('after-free');
      // Every line is whole JSON: a line cut by the full disk was completed, not interleaved.
      for (const line of text.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
      expect(await serve.stop('SIGTERM')).toBe(0);
      expect((await verify(dir)).ok).toBe(true);
    } finally {
      await serve.stop('SIGKILL');
      await disk.unmount();
    }
  }, 60_000);
});
