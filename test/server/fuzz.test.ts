import fc from 'fast-check';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { PROJECT_EVENT_TYPES } from '../../machines/index.ts';
import { projectInput, testApp, type TokenName } from './helpers.ts';

const field = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.object({ maxDepth: 1 }),
);
const nearEvent = fc.record(
  {
    type: fc.oneof(fc.constantFrom(...PROJECT_EVENT_TYPES), fc.string()),
    at: fc.oneof(fc.constantFrom('2022-09-01', '2022-02-30', '2022-9-1', ''), fc.string()),
    contractAmount: field,
    permit: fc.oneof(fc.constantFrom('landUsePlanning', 'construction'), field),
    mu: field,
    houses: field,
    amount: field,
    month: field,
    output: field,
    reason: field,
    expert: field,
  },
  { requiredKeys: ['type'] },
);
const body = fc.oneof(
  nearEvent.map((e) => JSON.stringify(e)),
  fc.json(),
  fc.string(),
  fc.constant(''),
  fc.constant('{"type":"SIGN"'),
  fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString('latin1')),
);
const caller = fc.constantFrom<TokenName | 'none' | 'garbage'>(
  'hq',
  'unit',
  'otherUnit',
  'finance',
  'stats',
  'viewer',
  'none',
  'garbage',
);
const path = fc.oneof(
  fc.constantFrom(
    '/api/projects/p1/events',
    '/api/projects/p1',
    '/api/projects',
    '/api/projects/p1/history',
    '/api/units/u1',
    '/api/projects/%E0%A4%A/events',
    '/api/projects/../../etc/passwd',
  ),
  fc.webPath().map((p) => `/api${p}`),
);
const headers = fc.record(
  {
    contentType: fc.constantFrom(
      'application/json',
      'application/json; charset=latin1',
      'text/plain',
      'application/x-www-form-urlencoded',
      '',
    ),
    ifMatch: fc.oneof(fc.constantFrom('"1"', '1', 'W/"1"', '*', '"x"'), fc.string({ maxLength: 10 })),
    idempotencyKey: fc.oneof(fc.constantFrom('k', ''), fc.string({ maxLength: 12 })),
    acceptLanguage: fc.constantFrom('en', 'zh-CN', 'fr', ';;q=x', ''),
  },
  { requiredKeys: [] },
);

describe('fuzz', () => {
  it('1,000 random and malformed requests: never a 5xx, and a project changes only on a 200', async () => {
    const { app, engine, tokens } = await testApp();
    await request(app)
      .post('/api/projects')
      .set('Authorization', `Bearer ${tokens.hq}`)
      .send(projectInput({ land: { requiredMu: 10, houses: 1 }, bond: { allocated: 100 } }));
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
        path,
        caller,
        headers,
        body,
        async (method, url, who, h, payload) => {
          runs += 1;
          const before = engine.get('project', 'p1')!.version;
          let req = request(app)[method.toLowerCase() as 'get'](url);
          if (who !== 'none')
            req = req.set('Authorization', `Bearer ${who === 'garbage' ? 'gj_garbage' : tokens[who]}`);
          if (h.contentType) req = req.set('Content-Type', h.contentType);
          if (h.ifMatch !== undefined) req = req.set('If-Match', h.ifMatch.replace(/[\r\n]/g, ''));
          if (h.idempotencyKey !== undefined) req = req.set('Idempotency-Key', h.idempotencyKey.replace(/[\r\n]/g, ''));
          if (h.acceptLanguage) req = req.set('Accept-Language', h.acceptLanguage);
          const res = await (method === 'GET' ? req : req.send(payload));
          expect(res.status, `${method} ${url} → ${res.status} ${res.text.slice(0, 200)}`).toBeLessThan(500);
          if (res.status !== 200 || method !== 'POST') expect(engine.get('project', 'p1')!.version).toBe(before);
          if (res.status >= 400) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        },
      ),
      { numRuns: 1000 },
    );
    expect(runs).toBe(1000);
  }, 120_000);
});
