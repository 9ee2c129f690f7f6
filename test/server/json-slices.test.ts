import { request as httpGet } from 'node:http';
import type { AddressInfo } from 'node:net';
import compression from 'compression';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { sendJsonInSlices, sendTextInSlices } from '../../server/json-slices.ts';

// Issue 15, reports at scale: the report's 台账 (100,000 rows, 46 MB) serialised at once held the
// event loop ≈ 0.5 s; it is written a slice of rows at a time.

const rows = Array.from({ length: 2_500 }, (_, i) => ({
  id: `p${i}`,
  name: `项目 ${i}`,
  wei: i % 3 ? [] : ['未开工'],
}));
const value = { campaign: { id: 'c', name: '百日攻坚' }, projects: rows, names: { units: { u1: '一号镇' } } };

function app(body: object) {
  const served = express();
  served.use(compression());
  let turns = 0;
  let returned: () => void = () => {};
  const finished = new Promise<void>((resolve) => (returned = resolve));
  served.get('/short', (_req, res) => void sendJsonInSlices(res, { projects: [{ id: 'p1' }] }, 'projects'));
  served.get('/long', async (_req, res) => {
    turns = 0;
    let writing = true;
    const tick = () => {
      turns += 1;
      if (writing) setImmediate(tick);
    };
    setImmediate(tick);
    await sendJsonInSlices(res, body, 'projects');
    writing = false;
    returned();
  });
  return { served, turns: () => turns, finished };
}

describe('a long list answered as JSON a slice of rows at a time', () => {
  it('answers the same bytes as res.json, compressed or not, with other work running in between', async () => {
    const { served, turns } = app(value);
    const plain = await request(served).get('/long').set('Accept-Encoding', 'identity');
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(plain.text).toBe(JSON.stringify(value));
    expect(turns()).toBeGreaterThanOrEqual(2);
    const gzipped = await request(served).get('/long').set('Accept-Encoding', 'gzip');
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.body).toEqual(value);
    // Keys in their order, the list where it was (not moved to the end).
    expect(Object.keys(gzipped.body)).toEqual(['campaign', 'projects', 'names']);
    const short = await request(served).get('/short');
    expect(short.text).toBe('{"projects":[{"id":"p1"}]}');
  });

  it('stops when the client goes away, and the server keeps answering', async () => {
    const big = { projects: Array.from({ length: 200_000 }, (_, i) => ({ id: `p${i}`, text: 'x'.repeat(100) })) };
    const { served, finished } = app(big);
    const server = served.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      // Reads the first bytes, then hangs up.
      await new Promise<void>((resolve, reject) => {
        const req = httpGet({ port, host: '127.0.0.1', path: '/long', headers: { 'Accept-Encoding': 'identity' } });
        req.on('response', (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', reject);
        req.end();
      });
      // It returns (not left waiting for a reader who is gone).
      const timeout = new Promise((resolve) => setTimeout(() => resolve('still writing'), 3_000).unref());
      expect(await Promise.race([finished.then(() => 'returned'), timeout])).toBe('returned');
      const after = await request(server).get('/short');
      expect(after.status).toBe(200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a long text (the printable page): the same bytes, slice by slice, no surrogate pair split', async () => {
    // CJK (3 bytes in UTF-8), and a character outside the BMP (a surrogate pair) across the end of
    // the first slice (2^18 characters).
    const text = `<p>${'项目台账'.repeat(65_535)}𠀀${'八未'.repeat(90_000)}</p>`;
    expect(text.charCodeAt(2 ** 18 - 1)).toBe(0xd840);
    const served = express();
    served.use(compression());
    served.get('/page', async (_req, res) => {
      res.type('html');
      await sendTextInSlices(res, text);
    });
    const plain = await request(served).get('/page').set('Accept-Encoding', 'identity');
    expect(plain.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(plain.text).toBe(text);
    const gzipped = await request(served).get('/page').set('Accept-Encoding', 'gzip');
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.text).toBe(text);
  });
});
