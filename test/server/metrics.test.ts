import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { FileStore } from '../../engine/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { projectInput, testApp } from './helpers.ts';

describe('GET /metrics (Prometheus text format)', () => {
  it('counts accepted and refused events by type, times requests by route, reports fsyncs', async () => {
    const { app, auth } = await testApp(new FileStore(await tempDir()));
    await request(app).post('/api/projects').set(auth('hq')).send(projectInput()).expect(201);
    await request(app)
      .post('/api/projects/p1/events')
      .set(auth('unit'))
      .send({ type: 'SIGN', contractAmount: 100, at: '2022-09-01' })
      .expect(200);
    await request(app)
      .post('/api/projects/p1/events')
      .set(auth('unit'))
      .send({ type: 'SIGN', contractAmount: 100, at: '2022-09-02' })
      .expect(409);
    const res = await request(app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    const text = res.text;
    expect(text).toContain('gongjian_journal_entries_total{entity="project",kind="event",type="SIGN"} 1');
    expect(text).toContain('gongjian_journal_entries_total{entity="project",kind="refusal",type="SIGN"} 1');
    expect(text).toContain('gongjian_journal_entries_total{entity="project",kind="create",type="CREATE"} 1');
    // The route, never the project's id.
    const count = 'gongjian_http_request_duration_seconds_count';
    expect(text).toContain(`${count}{method="POST",route="/api/projects/:id/events",status="409"} 1`);
    expect(text).not.toContain('/api/projects/p1');
    expect(text).toMatch(/gongjian_journal_position 3/);
    expect(text).toMatch(/gongjian_journal_segments 0/);
    expect(text).toMatch(/gongjian_fsync_total [1-9]/);
    expect(text).toMatch(/gongjian_live_actors 1/);
    expect(text).toMatch(/gongjian_stream_clients 0/);
  });
});
