import { Writable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../engine/index.ts';
import { createApp } from '../../server/app.ts';
import { MemoryStore, StaffDirectory } from '../../engine/index.ts';
import { tempDir } from '../support/temp-dir.ts';

describe('request logs', () => {
  it('log every request without tokens, from the header or the stream URL', async () => {
    let log = '';
    const sink = new Writable({
      write: (chunk: Buffer, _enc, done) => {
        log += chunk.toString();
        done();
      },
    });
    const engine = new Engine({ store: new MemoryStore() });
    await engine.open();
    const staff = new StaffDirectory(await tempDir());
    const { token } = await staff.create({ name: 'x', role: 'viewer' });
    const { app } = createApp({ engine, staff, logger: pino(sink) });
    await request(app).get('/api/projects').set('Authorization', `Bearer ${token}`);
    await request(app).get(`/api/nothing?access_token=${token}`);
    await request(app).get('/api/projects').set('Authorization', 'Bearer gj_wrong-token');
    expect(log.split('\n').filter(Boolean)).toHaveLength(3);
    expect(log).not.toContain(token);
    expect(log).not.toContain('gj_wrong-token');
    expect(log).toContain('access_token=[redacted]');
  });
});
