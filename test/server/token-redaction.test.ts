import { Writable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../engine/index.ts';
import { createApp } from '../../server/app.ts';
import { redactUrl } from '../../server/redact.ts';
import { MemoryStore, StaffDirectory } from '../../engine/index.ts';
import { tempDir } from '../support/temp-dir.ts';

// Hardening issue, item 11: `?access%5Ftoken=` reached the log, and 401 bodies echoed the URL —
// token included — in `instance`.

describe('tokens never reach a log or a response', () => {
  it.each([
    ['/api/stream?access_token=gj_SECRETSECRETSECRET', '/api/stream?access_token=[redacted]'],
    ['/api/stream?access%5Ftoken=gj_SECRETSECRETSECRET', '/api/stream?access%5Ftoken=[redacted]'],
    ['/api/stream?%61ccess_token=abc', '/api/stream?%61ccess_token=[redacted]'],
    ['/api/projects?unit=x&q=%67j_SECRETSECRETSECRET', '/api/projects?unit=x&q=[redacted]'],
    ['/api/projects/gj_SECRETSECRETSECRET/history', '/api/projects/[redacted]/history'],
    ['/api/projects?unit=xiadong&stage=signed', '/api/projects?unit=xiadong&stage=signed'],
    ['/api/stream?ACCESS_TOKEN=abc', '/api/stream?ACCESS_TOKEN=[redacted]'],
    ['/api/projects/p1/events', '/api/projects/p1/events'],
  ])('redactUrl(%s)', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it('in any encoding, in the request log, in 401/404 bodies and their instance', async () => {
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
    const { app, closeStreams } = createApp({ engine, staff, logger: pino(sink) });
    const responses = [
      await request(app).get(`/api/nothing?access%5Ftoken=${token}`),
      await request(app).get(`/api/projects?access_token=${token}`),
      await request(app).get(`/api/projects/${token}`).set('Authorization', `Bearer ${token}`),
      await request(app).get(`/api/projects?unit=${encodeURIComponent(token)}`),
      await request(app).get('/api/projects').set('Authorization', `Bearer ${token}x`),
    ];
    expect(responses.map((r) => r.status)).toEqual([401, 401, 404, 401, 401]);
    const everything = log + responses.map((r) => JSON.stringify(r.body) + JSON.stringify(r.headers)).join('');
    expect(everything).not.toContain(token.slice(3));
    expect(everything).not.toContain(encodeURIComponent(token).slice(3));
    expect(responses[0]!.body.instance).toBe('/api/nothing');
    closeStreams();
  });
});
