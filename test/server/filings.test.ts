import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { CampaignService, FileStore, verify } from '../../engine/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { ALL_PERMITS, projectInput, testApp } from './helpers.ts';

/** The test app's today (its clock): reviews happen today or earlier, never before the filing. */
const TODAY = '2023-12-31';

/** A JPEG's first bytes (enough for the content check) and a Windows executable's. */
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('开工照片 JFIF')]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 1)]);

/** A server whose campaign reviews starts (住建局 or hq) and clearances (自然资源局 or hq). */
async function reviewed(options: Parameters<typeof testApp>[1] = {}, store?: FileStore) {
  const t = await testApp(store, options);
  await new CampaignService(t.engine).create(
    {
      id: 'c',
      name: '百日攻坚',
      start: '2022-08-01',
      days: 100,
      units: [
        { id: 'u1', name: '一号镇', group: 'township' },
        { id: 'u2', name: '二号镇', group: 'township' },
      ],
      targets: {},
      review: { events: { START_CONSTRUCTION: ['housing', 'hq'], REPORT_CLEARANCE: ['naturalResources', 'hq'] } },
    },
    'hq',
  );
  const project = projectInput({ stage: 'signed', permits: [...ALL_PERMITS], land: { requiredMu: 10, houses: 1 } });
  await request(t.app).post('/api/projects').set(t.auth('hq')).send(project).expect(201);
  return t;
}

const clearance = { type: 'REPORT_CLEARANCE', mu: 10, houses: 1, at: '2022-08-10' };

describe('filings over HTTP (填报 → 审核)', () => {
  it('a reviewed type is filed (201), waits in the reviewer’s queue, and counts once approved', async () => {
    const { app, auth, engine } = await reviewed();
    const filed = await request(app).post('/api/projects/p1/filings').set(auth('unit')).send(clearance);
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ state: 'submitted', projectId: 'p1', reviewers: ['naturalResources', 'hq'] });
    expect(filed.headers.location).toBe(`/api/filings/${filed.body.id}`);
    expect(engine.get('project', 'p1')!.context.land?.clearedMu ?? 0).toBe(0);

    const queue = await request(app)
      .get('/api/filings?reviewer=naturalResources&state=submitted')
      .set(auth('naturalResources'));
    expect(queue.body.filings.map((f: { id: string }) => f.id)).toEqual([filed.body.id]);
    expect((await request(app).get('/api/filings?reviewer=housing').set(auth('housing'))).body.total).toBe(0);

    const approve = { type: 'APPROVE', at: TODAY };
    const byUnit = await request(app).post(`/api/filings/${filed.body.id}/events`).set(auth('unit')).send(approve);
    expect(byUnit.status).toBe(403);
    expect(byUnit.body.rule).toBe('reviewer');
    const byHousing = await request(app)
      .post(`/api/filings/${filed.body.id}/events`)
      .set(auth('housing'))
      .send(approve);
    expect(byHousing.status).toBe(403);
    const ok = await request(app)
      .post(`/api/filings/${filed.body.id}/events`)
      .set(auth('naturalResources'))
      .send(approve);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'accepted', state: 'approved' });
    expect(engine.get('project', 'p1')!.context.land?.clearedMu).toBe(10);
  });

  it('sending a reviewed type to /events is refused with where to file it; its reviewers may record it', async () => {
    const { app, auth } = await reviewed();
    const sent = await request(app).post('/api/projects/p1/events').set(auth('unit')).send(clearance);
    expect(sent.status).toBe(409);
    expect(sent.body).toMatchObject({ type: '/problems/review-required', rule: 'reviewRequired' });
    expect(sent.body.detail).toContain('/api/projects/p1/filings');
    expect((await request(app).post('/api/projects/p1/events').set(auth('hq')).send(clearance)).status).toBe(200);
  });

  it('a type not reviewed is sent at once; one the project refuses is 409 with its rule, nothing filed', async () => {
    const { app, auth, engine } = await reviewed();
    const green = await request(app)
      .post('/api/projects/p1/filings')
      .set(auth('unit'))
      .send({ type: 'SIGN', contractAmount: 100, at: '2022-08-10' });
    // Not reviewed, so sent at once — and the project, already signed, refuses it at once.
    expect(green.status).toBe(409);
    expect(green.body.rule).toBeDefined();
    const start = await request(app)
      .post('/api/projects/p1/filings')
      .set(auth('unit'))
      .send({ type: 'START_CONSTRUCTION', at: '2022-08-10' });
    expect(start.status).toBe(409);
    expect(start.body).toMatchObject({ type: '/problems/rule-rejected', entity: 'project' });
    expect(engine.list('filing')).toHaveLength(0);
  });

  it('a retry with the same Idempotency-Key names the same filing and files nothing twice', async () => {
    const { app, auth, engine } = await reviewed();
    const send = () =>
      request(app).post('/api/projects/p1/filings').set(auth('unit')).set('Idempotency-Key', 'k-1').send(clearance);
    const first = await send();
    const again = await send();
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(engine.list('filing')).toHaveLength(1);
  });

  it('If-Match: a review based on a filing that changed since is 412, nothing applied', async () => {
    const { app, auth, engine } = await reviewed();
    const { body: f } = await request(app).post('/api/projects/p1/filings').set(auth('unit')).send(clearance);
    const approve = (version: number) =>
      request(app)
        .post(`/api/filings/${f.id}/events`)
        .set(auth('hq'))
        .set('If-Match', `"${version}"`)
        .send({ type: 'APPROVE', at: TODAY });
    const stale = await approve(7);
    expect(stale.status).toBe(412);
    expect(engine.get('project', 'p1')!.context.land?.clearedMu ?? 0).toBe(0);
    expect((await approve(1)).status).toBe(200);
  });

  it('returned with a reason, resubmitted by the unit, approved; withdraw is the filer’s', async () => {
    const { app, auth } = await reviewed();
    const { body: f } = await request(app)
      .post('/api/projects/p1/filings')
      .set(auth('unit'))
      .send({ ...clearance, mu: 9 });
    const events = (who: Parameters<typeof auth>[0], event: object) =>
      request(app).post(`/api/filings/${f.id}/events`).set(auth(who)).send(event);
    expect((await events('naturalResources', { type: 'RETURN', at: TODAY })).status).toBe(422);
    expect((await events('naturalResources', { type: 'RETURN', reason: '与丈量表不符', at: TODAY })).status).toBe(200);
    expect((await events('otherUnit', { type: 'RESUBMIT', event: clearance, at: TODAY })).body.rule).toBe('filer');
    const resubmitted = await events('unit', { type: 'RESUBMIT', event: clearance, at: TODAY });
    expect(resubmitted.body).toMatchObject({
      state: 'resubmitted',
      event: { mu: 10 },
      returns: [{ reason: '与丈量表不符' }],
    });
    const view = await request(app).get(`/api/filings/${f.id}`).set(auth('naturalResources'));
    expect(view.body.events.find((e: { type: string }) => e.type === 'APPROVE')).toMatchObject({ allowed: true });
    expect((await events('naturalResources', { type: 'APPROVE', at: TODAY })).status).toBe(200);
    expect((await events('unit', { type: 'WITHDRAW', at: TODAY })).status).toBe(409);
  });
});

// Who may review and who may withdraw, written out by hand (independent of machines/filing.ts).
const MAY_SEND: Record<string, readonly string[]> = {
  APPROVE: ['hq', 'naturalResources'],
  RETURN: ['hq', 'naturalResources'],
  WITHDRAW: ['hq', 'unit'],
};
const CALLERS = [
  'hq',
  'unit',
  'otherUnit',
  'finance',
  'stats',
  'naturalResources',
  'housing',
  'leader',
  'viewer',
] as const;

describe('reviewer permissions: role × filing event', async () => {
  const { app, auth } = await reviewed();
  let n = 0;
  for (const [type, allowed] of Object.entries(MAY_SEND))
    for (const caller of CALLERS)
      it(`${type} by ${caller}: ${allowed.includes(caller) ? 'allowed' : '403'}`, async () => {
        n += 1;
        const id = `m${n}`;
        await request(app)
          .post('/api/projects')
          .set(auth('hq'))
          .send(projectInput({ id, stage: 'signed', land: { requiredMu: 10, houses: 1 } }))
          .expect(201);
        const filed = await request(app).post(`/api/projects/${id}/filings`).set(auth('unit')).send(clearance);
        expect(filed.status).toBe(201);
        const event = type === 'RETURN' ? { type, reason: '缺照片', at: TODAY } : { type, at: TODAY };
        const sent = await request(app).post(`/api/filings/${filed.body.id}/events`).set(auth(caller)).send(event);
        expect(sent.status).toBe(allowed.includes(caller) ? 200 : 403);
      });
});

describe('evidence (附件): checked by content, stored by hash, served only to who may read the project', () => {
  it('uploads a photo, files it, serves it; refuses an .exe named .jpg (415) and an oversized file (413)', async () => {
    const { app, auth } = await reviewed({ visibility: 'unit' });
    const upload = await request(app).post('/api/blobs').set(auth('unit')).set('Content-Type', 'image/jpeg').send(JPEG);
    expect(upload.status).toBe(201);
    expect(upload.body).toMatchObject({
      type: 'image/jpeg',
      size: JPEG.length,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const exe = await request(app).post('/api/blobs').set(auth('unit')).set('Content-Type', 'image/jpeg').send(EXE);
    expect(exe.status).toBe(415);
    expect(exe.body.detail).toMatch(/JPEG/);
    const huge = await request(app)
      .post('/api/blobs')
      .set(auth('unit'))
      .set('Content-Type', 'application/pdf')
      .send(Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(10 * 1024 * 1024)]));
    expect(huge.status).toBe(413);
    expect((await request(app).post('/api/blobs').set(auth('viewer')).send(JPEG)).status).toBe(403);

    const attachments = [{ hash: upload.body.hash, name: '开工照片.jpg' }];
    const unknown = [{ hash: 'a'.repeat(64), name: 'x.jpg' }];
    expect(
      (
        await request(app)
          .post('/api/projects/p1/filings')
          .set(auth('unit'))
          .send({ ...clearance, attachments: unknown })
      ).status,
    ).toBe(422);
    const filed = await request(app)
      .post('/api/projects/p1/filings')
      .set(auth('unit'))
      .send({ ...clearance, attachments });
    expect(filed.status).toBe(201);
    expect(filed.body.attachments).toEqual([{ ...attachments[0], type: 'image/jpeg', size: JPEG.length }]);
    const url = `/api/filings/${filed.body.id}/attachments/${upload.body.hash}`;
    const served = await request(app).get(url).set(auth('naturalResources'));
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/jpeg');
    expect(Buffer.from(served.body)).toEqual(JPEG);
    // Another unit's staff, where units see only their own: no access.
    expect((await request(app).get(url).set(auth('otherUnit'))).status).toBe(403);
  });

  it('verify reports a tampered or missing blob, naming the entry that refers to it', async () => {
    const dir = await tempDir();
    const { app, auth, engine } = await reviewed({}, new FileStore(dir));
    const { body: blob } = await request(app).post('/api/blobs').set(auth('unit')).send(JPEG);
    await request(app)
      .post('/api/projects/p1/filings')
      .set(auth('unit'))
      .send({ ...clearance, attachments: [{ hash: blob.hash, name: '开工照片.jpg' }] })
      .expect(201);
    await engine.close();
    expect(await verify(dir)).toMatchObject({ ok: true });
    await writeFile(join(dir, 'blobs', blob.hash.slice(0, 2), blob.hash), 'not the photo');
    expect(await verify(dir)).toMatchObject({ ok: false, firstBad: { reason: expect.stringMatching(/altered/) } });
  });
});

describe('corrections over HTTP (更正)', () => {
  it('hq corrects an amount; the history shows the original and the correction; others may not', async () => {
    const { app, auth } = await reviewed();
    const sent = await request(app)
      .post('/api/projects/p1/events')
      .set(auth('hq'))
      .send({ ...clearance, mu: 6 });
    const seq = sent.body.seq as number;
    const correction = { seq, event: { ...clearance, mu: 7 }, reason: '丈量复核为 7 亩' };
    expect((await request(app).post('/api/projects/p1/corrections').set(auth('unit')).send(correction)).status).toBe(
      403,
    );
    const both = { ...correction, void: true };
    expect((await request(app).post('/api/projects/p1/corrections').set(auth('hq')).send(both)).status).toBe(422);
    const wrong = { seq: 1, void: true, reason: 'x' };
    expect((await request(app).post('/api/projects/p1/corrections').set(auth('hq')).send(wrong)).status).toBe(422);
    const done = await request(app).post('/api/projects/p1/corrections').set(auth('hq')).send(correction);
    expect(done.status).toBe(200);
    expect((await request(app).get('/api/projects/p1').set(auth('viewer'))).body.context.land.clearedMu).toBe(7);
    const answer = (await request(app).get('/api/projects/p1/history').set(auth('viewer'))).body;
    const history = answer.entries;
    expect(history.find((e: { seq: number }) => e.seq === seq)).toMatchObject({ kind: 'event', event: { mu: 6 } });
    // Who acted, by name.
    expect(answer.actors[history.at(-1).actor]).toBe('hq 测试');
    expect(history.at(-1)).toMatchObject({
      kind: 'correction',
      supersedes: seq,
      reason: '丈量复核为 7 亩',
      event: { mu: 7 },
    });
  });
});
