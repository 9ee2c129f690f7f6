import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { precompress } from '../../cli/web-build.ts';
import { tempDir } from '../support/temp-dir.ts';
import { projectInput, testApp } from './helpers.ts';

// The web app's scripts are compressed once, at build time, not on every request: a county
// server's CPU goes to the API, and a phone gets the same bytes.

describe('built assets', () => {
  it('are served precompressed to a browser that takes gzip, as they are to one that does not', async () => {
    const root = await tempDir();
    await mkdir(join(root, 'assets'));
    const script = `export const x = ${JSON.stringify('攻坚'.repeat(2000))};\n`;
    await writeFile(join(root, 'assets', 'app-1a2b.js'), script);
    await writeFile(join(root, 'assets', 'tiny.js'), 'export {};\n');
    await writeFile(join(root, 'index.html'), '<!doctype html><title>x</title>');
    await precompress(join(root, 'assets'));
    const { app } = await testApp(undefined, { webRoot: root });
    const gz = await request(app)
      .get('/assets/app-1a2b.js')
      .set('Accept-Encoding', 'gzip')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(gz.status).toBe(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['content-type']).toMatch(/javascript/);
    expect(gz.headers['cache-control']).toContain('immutable');
    // The very file written at build time (superagent has already unzipped the body).
    const file = await readFile(join(root, 'assets', 'app-1a2b.js.gz'));
    expect(Number(gz.headers['content-length'])).toBe(file.length);
    expect(gunzipSync(file).toString()).toBe(script);
    expect((gz.body as Buffer).toString()).toBe(script);
    const plain = await request(app).get('/assets/app-1a2b.js').set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.text).toBe(script);
    // Too small to be worth compressing: served as it is.
    expect((await request(app).get('/assets/tiny.js').set('Accept-Encoding', 'gzip')).text).toBe('export {};\n');
    expect((await request(app).get('/assets/..%2Findex.html').set('Accept-Encoding', 'gzip')).status).toBe(404);
  });
});

describe('compression of answers', () => {
  it('gzips a large read for a client that takes it, not the answer to a change', async () => {
    const { app, auth } = await testApp();
    const read = await request(app).get('/openapi.json').set('Accept-Encoding', 'gzip');
    expect(read.status).toBe(200);
    expect(read.headers['content-encoding']).toBe('gzip');
    // A new project's answer is over a kilobyte (it would be gzipped as a read), sent as it is.
    const change = await request(app)
      .post('/api/projects')
      .set(auth('hq'))
      .set('Accept-Encoding', 'gzip')
      .send(projectInput());
    expect(change.status).toBe(201);
    expect(change.headers['content-encoding']).toBeUndefined();
    expect(Number(change.headers['content-length'])).toBeGreaterThan(1024);
  });
});
