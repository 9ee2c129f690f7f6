import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { projectInput, testApp } from './helpers.ts';

// Hardening issue, item 8: If-Match as RFC 9110 §13.1.1 says — strong comparison of opaque
// tags. `"abc"` was a 400, `W/"4"` matched, `"07"` matched version 7.

async function atVersion7() {
  const t = await testApp();
  await request(t.app)
    .post('/api/projects')
    .set(t.auth('hq'))
    .send(projectInput({ land: { requiredMu: 100, houses: 0 } }));
  for (let i = 0; i < 6; i++)
    await request(t.app)
      .post('/api/projects/p1/events')
      .set(t.auth('unit'))
      .send({ type: 'REPORT_CLEARANCE', mu: 1, houses: 0, at: '2022-09-01' });
  const send = (ifMatch: string) =>
    request(t.app)
      .post('/api/projects/p1/events')
      .set(t.auth('unit'))
      .set('If-Match', ifMatch)
      .send({ type: 'REPORT_CLEARANCE', mu: 1, houses: 0, at: '2022-09-01' });
  return { ...t, send };
}

describe('If-Match (RFC 9110)', () => {
  it.each([
    ['"7"', 200],
    ['*', 200],
    ['"3", "7"', 200],
    ['"3" ,W/"9",  "7"', 200],
    ['"abc"', 412],
    ['W/"7"', 412],
    ['"07"', 412],
    ['"é7"', 412],
    ['"", "8"', 412],
    // Empty list elements are allowed (RFC 9110 §5.6.1.2), and a comma may sit inside a tag.
    ['"7",', 200],
    [', "7"', 200],
    ['"7,8"', 412],
  ])('If-Match: %s → %i', async (header, status) => {
    const { send } = await atVersion7();
    const res = await send(header);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    if (status === 412) expect(res.body).toMatchObject({ type: '/problems/version-mismatch', version: 7 });
  });

  it.each(['7', '"7', 'W/7', 'w/"7"', ',', '"7" "8"', '*, "7"', '"a"b"', '"7 "', '"a b"'])(
    'a malformed If-Match (%s) is 400',
    async (header) => {
      const { send } = await atVersion7();
      const res = await send(header);
      expect(res.status).toBe(400);
      expect(res.body.type).toBe('/problems/bad-if-match');
    },
  );
});
