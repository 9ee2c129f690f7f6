import { Writable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../engine/index.ts';
import { createApp } from '../../server/app.ts';
import { MemoryStore, StaffDirectory } from '../../engine/index.ts';
import { tempDir } from '../support/temp-dir.ts';

// Hardening issue, defect 7: 30,000 bad-token requests were all answered 401 at full speed,
// each one logged.

async function limitedApp(failures: number, windowMs = 60_000) {
  const lines: string[] = [];
  const sink = new Writable({
    write: (chunk: Buffer, _enc, done) => {
      lines.push(...chunk.toString().trim().split('\n'));
      done();
    },
  });
  const engine = new Engine({ store: new MemoryStore() });
  await engine.open();
  const staff = new StaffDirectory(await tempDir());
  const { token } = await staff.create({ name: '领导', role: 'leader' });
  const { app, closeStreams } = createApp({ engine, staff, logger: pino(sink), authLimit: { failures, windowMs } });
  return { app, token, lines, closeStreams };
}

describe('failed authentications per address', () => {
  it(
    'past the limit are answered 429 with Retry-After, logged once per window; a valid token from the same ' +
      'address still works',
    async () => {
      const { app, token, lines, closeStreams } = await limitedApp(5);
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++)
        statuses.push((await request(app).get('/api/projects').set('Authorization', `Bearer gj_guess${i}`)).status);
      expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(new Set(statuses.slice(5))).toEqual(new Set([429]));
      const limited = await request(app).get('/api/projects').set('Accept-Language', 'en');
      expect(limited.status).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.body).toMatchObject({
        type: '/problems/too-many-failed-authentications',
        detail: expect.stringMatching(/retry in \d+ s/),
      });
      expect((await request(app).get('/api/projects').set('Authorization', `Bearer ${token}`)).status).toBe(200);
      // 5 refusals logged as requests, the limit once, the valid request: not 36 lines of 429s.
      expect(lines.filter((l) => l.includes('too many failed authentications'))).toHaveLength(1);
      expect(lines.filter((l) => l.includes('"statusCode":429'))).toHaveLength(0);
      closeStreams();
    },
  );

  it('the window ends: the address may try again', async () => {
    const { app, closeStreams } = await limitedApp(2, 200);
    for (let i = 0; i < 4; i++) await request(app).get('/api/projects').set('Authorization', 'Bearer gj_x');
    expect((await request(app).get('/api/projects').set('Authorization', 'Bearer gj_x')).status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await request(app).get('/api/projects').set('Authorization', 'Bearer gj_x')).status).toBe(401);
    closeStreams();
  });
});
