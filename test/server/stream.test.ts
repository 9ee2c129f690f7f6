import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { projectInput, testApp } from './helpers.ts';

describe('GET /api/stream', () => {
  it('emits every accepted transition (and refusals) as server-sent events', async () => {
    const { app, auth, tokens } = await testApp();
    await request(app).post('/api/projects').set(auth('hq')).send(projectInput());
    const server = app.listen(0);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const controller = new AbortController();
    try {
      const res = await fetch(`${base}/api/stream?access_token=${tokens.viewer}`, { signal: controller.signal });
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reader = res.body!.getReader();
      await request(app).post('/api/projects/p1/events').set(auth('unit')).send({ type: 'SIGN', contractAmount: 5, at: '2022-09-01' });
      await request(app).post('/api/projects/p1/events').set(auth('unit')).send({ type: 'SIGN', contractAmount: 5, at: '2022-09-01' });
      let text = '';
      while (!text.includes('event: refusal')) text += new TextDecoder().decode((await reader.read()).value);
      const transition = /event: transition\ndata: (.*)\n/.exec(text);
      expect(JSON.parse(transition![1]!)).toMatchObject({ id: 'p1', event: { type: 'SIGN' }, from: { lifecycle: 'negotiating' }, to: { lifecycle: 'signed' }, version: 2, actor: 'unit-1' });
      expect(text).toMatch(/event: refusal\ndata: .*"rule":"lifecycleState"/);
    } finally {
      controller.abort();
      server.close();
    }
  });

  it('refuses a stream without a token', async () => {
    const { app } = await testApp();
    expect((await request(app).get('/api/stream')).status).toBe(401);
  });
});
