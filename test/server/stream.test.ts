import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import type { Response } from 'express';
import { Engine, MemoryStore } from '../../engine/index.ts';
import { StreamHub } from '../../server/stream-hub.ts';
import { readUntil, until as waitUntil } from '../support/until.ts';
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
      await request(app)
        .post('/api/projects/p1/events')
        .set(auth('unit'))
        .send({ type: 'SIGN', contractAmount: 5, at: '2022-09-01' });
      await request(app)
        .post('/api/projects/p1/events')
        .set(auth('unit'))
        .send({ type: 'SIGN', contractAmount: 5, at: '2022-09-01' });
      const text = await readUntil(reader, (t) => t.includes('event: refusal'));
      const transition = /event: transition\ndata: (.*)\n/.exec(text);
      expect(JSON.parse(transition![1]!)).toMatchObject({
        id: 'p1',
        event: { type: 'SIGN' },
        from: { lifecycle: 'negotiating' },
        to: { lifecycle: 'signed' },
        version: 2,
        actor: 'unit-1',
      });
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

describe('GET /api/stream, reconnecting and limits', () => {
  async function streamed(
    base: string,
    token: string,
    headers: Record<string, string>,
    until: (text: string) => boolean,
  ) {
    const controller = new AbortController();
    const res = await fetch(`${base}/api/stream?access_token=${token}`, { headers, signal: controller.signal });
    const text = await readUntil(res.body!.getReader(), until);
    controller.abort();
    return text;
  }

  it(
    'a client reconnecting with Last-Event-ID gets exactly what it missed; one too far behind gets a ' + 'reset',
    async () => {
      const { app, auth, tokens } = await testApp(undefined, { streams: { replay: 3 } });
      await request(app)
        .post('/api/projects')
        .set(auth('hq'))
        .send(projectInput({ land: { requiredMu: 100, houses: 0 } }));
      for (let i = 0; i < 4; i++)
        await request(app)
          .post('/api/projects/p1/events')
          .set(auth('unit'))
          .send({ type: 'REPORT_CLEARANCE', mu: 1, houses: 0, at: '2022-09-01' });
      const server = app.listen(0);
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        // Entries 1 (created) … 5; the last 3 are kept. Missed 4 and 5 after 3:
        const missed = await streamed(base, tokens.viewer, { 'Last-Event-ID': '3' }, (t) => t.includes('id: 5'));
        expect([...missed.matchAll(/^id: (\d+)$/gm)].map((m) => m[1])).toEqual(['4', '5']);
        const behind = await streamed(base, tokens.viewer, { 'Last-Event-ID': '1' }, (t) => t.includes('event: reset'));
        expect(behind).toMatch(/event: reset\ndata: .*"reason":"tooFarBehind"/);
      } finally {
        server.close();
      }
    },
  );

  it('a client that takes nothing for the stalled time is dropped with the reason', async () => {
    const engine = new Engine({ store: new MemoryStore() });
    await engine.open();
    await engine.create('project', projectInput({ land: { requiredMu: 1e6, houses: 0 } }), { actor: 'hq' });
    const hub = new StreamHub(engine, { stalledMs: 50, heartbeatMs: 10, maxBufferBytes: 1 << 30 });
    // A response whose client never reads: every write stays buffered.
    const stalled = new (class extends Writable {
      set() {}
      flushHeaders() {}
      override _write() {}
    })({ highWaterMark: 16 });
    const staff = { id: 'v', name: 'v', role: 'viewer' as const };
    hub.open(stalled as unknown as Response, { staff, credential: 't', sees: () => true }, undefined);
    await engine.send(
      'project',
      'p1',
      { type: 'REPORT_CLEARANCE', mu: 1, houses: 0, at: '2022-09-01' },
      { actor: 'u' },
    );
    await waitUntil(() => hub.dropped.stalled === 1, 'the stalled client to be dropped', 2000);
    expect(hub.size).toBe(0);
    expect(stalled.writableLength).toBeGreaterThan(0);
    hub.close();
  });

  it('more streams than allowed per person is 429 with Retry-After', async () => {
    const { app, tokens } = await testApp(undefined, { streams: { maxPerStaff: 1 } });
    const server = app.listen(0);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const controller = new AbortController();
    try {
      const first = await fetch(`${base}/api/stream?access_token=${tokens.viewer}`, { signal: controller.signal });
      expect(first.status).toBe(200);
      const second = await fetch(`${base}/api/stream?access_token=${tokens.viewer}`);
      expect(second.status).toBe(429);
      expect(second.headers.get('retry-after')).toBe('30');
    } finally {
      controller.abort();
      server.close();
    }
  });
});
