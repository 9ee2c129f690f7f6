import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { FileStore } from '../../engine/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { projectInput, testApp } from './helpers.ts';

describe('GET /api/system (系统状态)', () => {
  it('tells hq this node and the store it serves from: kind, where, health, how far the journal is', async () => {
    const dir = await tempDir();
    const { app, auth, engine } = await testApp(new FileStore(dir));
    await engine.create('project', projectInput(), { actor: 'hq' });
    const res = await request(app).get('/api/system').set(auth('hq'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      node: { pid: process.pid, version: expect.stringMatching(/^\d+\.\d+\.\d+/), nodeVersion: process.version },
      store: { kind: 'file', location: dir, health: { status: 'ok' }, position: 1, segments: 0 },
      staff: { location: expect.stringMatching(/staff\.json$/), sessions: 'node' },
    });
    expect(Date.parse(res.body.node.startedAt)).toBeLessThanOrEqual(Date.now());
    await engine.close();
  });

  it('is hq’s alone: other roles are refused (403), no token is 401', async () => {
    const { app, auth } = await testApp();
    for (const role of ['unit', 'finance', 'leader', 'viewer'] as const)
      expect((await request(app).get('/api/system').set(auth(role))).status).toBe(403);
    expect((await request(app).get('/api/system')).status).toBe(401);
    expect((await request(app).get('/api/system').set(auth('hq'))).body.store).toMatchObject({ kind: 'memory' });
  });
});
