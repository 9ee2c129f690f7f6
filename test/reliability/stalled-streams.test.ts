import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { projectInput, testApp } from '../server/helpers.ts';
import { until } from '../support/until.ts';

// Hardening issue, defect 4: 200 /api/stream clients that never read took the server from
// 228 MB to 884 MB: each one's unsent events piled up in memory without limit.

function stalledReader(port: number, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET /api/stream?access_token=${token} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
      // Never read a byte: the kernel's buffers fill, then the server's.
      socket.pause();
      resolve(socket);
    });
    socket.on('error', () => {});
    socket.once('error', reject);
  });
}

describe('slow stream readers', () => {
  it('200 stalled readers are dropped past the buffer limit: memory stays bounded and a reading client misses ' +
    'nothing', async () => {
    const maxBufferBytes = 64 * 1024;
    const { app, hub, engine, tokens, auth } = await testApp(undefined, {
      streams: { maxBufferBytes, maxPerStaff: 500 },
    });
    const server = app.listen(0);
    const port = (server.address() as AddressInfo).port;
    const sockets: Socket[] = [];
    const controller = new AbortController();
    try {
      const request = (await import('supertest')).default;
      await request(app)
        .post('/api/projects')
        .set(auth('hq'))
        .send(projectInput({ land: { requiredMu: 1e6, houses: 0 } }));
      for (let i = 0; i < 200; i++) sockets.push(await stalledReader(port, tokens.viewer));
      // A client that reads everything, counting the transitions it receives.
      const res = await fetch(`http://127.0.0.1:${port}/api/stream?access_token=${tokens.leader}`, {
        signal: controller.signal,
      });
      const reader = res.body!.getReader();
      let received = 0;
      const reading = (async () => {
        let text = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          text += new TextDecoder().decode(value);
          const parts = text.split('\n\n');
          text = parts.pop()!;
          received += parts.filter((p) => p.includes('event: transition')).length;
        }
      })().catch(() => {});
      await until(() => hub.size === 201, 'the 201 streams to open');

      const gc = (globalThis as { gc?: () => void }).gc;
      if (gc === undefined) throw new Error('run with --expose-gc (vitest.config.ts)');
      gc();
      const before = process.memoryUsage();
      let sent = 0;
      // Until every stalled reader has been dropped (the kernel takes the first few hundred kB).
      while (hub.dropped.buffer < 200 && sent < 30_000) {
        const batch = Array.from({ length: 100 }, (_, i) =>
          engine.send(
            'project',
            'p1',
            { type: 'REPORT_CLEARANCE', mu: 1, houses: 0, at: '2022-08-02' },
            { actor: `u${(sent + i) % 7}` },
          ),
        );
        await Promise.all(batch);
        sent += 100;
        await new Promise((resolve) => setImmediate(resolve));
      }
      gc();
      const after = process.memoryUsage();
      expect(hub.dropped.buffer).toBe(200);
      expect(hub.size).toBe(1);
      // What the server holds for the dropped clients is bounded by the limit, not by the events sent.
      const grown = after.heapUsed + after.external - before.heapUsed - before.external;
      expect(grown).toBeLessThan(200 * maxBufferBytes + 64 * 1024 * 1024);
      // The reading client received every transition, in order, and is still connected.
      await until(() => received >= sent, `the reading client to receive all ${sent} transitions`);
      expect(received).toBe(sent);
      void reading;
    } finally {
      controller.abort();
      for (const s of sockets) s.destroy();
      hub.close();
      server.close();
    }
  }, 60_000);
});
