import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ALL_KINDS, KINDS } from '../../engine/index.ts';
import { PROJECT_EVENT_TYPES } from '../../machines/index.ts';
import { testApp } from './helpers.ts';

describe('OpenAPI and the API reference', () => {
  it('documents every binding path, generated from the validating schemas', async () => {
    const { app } = await testApp();
    const doc = (await request(app).get('/openapi.json')).body;
    expect(doc.openapi).toBe('3.0.3');
    for (const path of [
      '/api/projects',
      '/api/projects/{id}',
      '/api/projects/{id}/events',
      '/api/projects/{id}/history',
      '/api/campaigns',
      '/api/campaigns/{id}/events',
      '/api/campaigns/{id}/report',
      '/api/campaigns/{id}/supervisions/{month}',
      '/api/units/{id}',
      '/api/problems',
      '/api/problems/{id}/events',
      '/api/stream',
      '/api/machines',
      '/healthz',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    const events = doc.components.schemas.ProjectEvent.oneOf.map(
      (s: { properties: { type: { enum: string[] } } }) => s.properties.type.enum[0],
    );
    expect(events.sort()).toEqual([...PROJECT_EVENT_TYPES].sort());
    expect(Object.keys(doc.paths['/api/projects/{id}/events'].post.responses).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '409',
      '412',
      '415',
      '422',
      '429',
      '503',
    ]);
  });

  it('serves the interactive reference offline, from local assets', async () => {
    const { app } = await testApp();
    const page = await request(app).get('/api/docs');
    expect(page.status).toBe(200);
    expect(page.text).not.toMatch(/https?:\/\//);
    expect((await request(app).get('/api/docs/assets/swagger-ui-bundle.js')).status).toBe(200);
    expect((await request(app).get('/api/docs/init.js')).text).toContain('/openapi.json');
  });

  it('lists the machines with their rules and labels', async () => {
    const { app, auth } = await testApp();
    const body = (await request(app).get('/api/machines').set(auth('viewer'))).body;
    expect(body.machines[0]).toMatchObject({
      id: 'project',
      version: 1,
      // Each rule with its checks, in the order they run.
      rules: { canStartConstruction: ['notDropped', 'datedInOrder', 'landReady', 'permitsComplete'] },
    });
    expect(body.machines[0].definition.states.lifecycle.states.signed.on.START_CONSTRUCTION[0].guard).toBe(
      'canStartConstruction',
    );
    expect(body.machines.map((m: { id: string }) => m.id)).toEqual(Object.keys(KINDS));
  });

  it('documents every kind of the registry: its input and its events', async () => {
    const { app } = await testApp();
    const schemas = Object.keys((await request(app).get('/openapi.json')).body.components.schemas);
    for (const kind of ALL_KINDS)
      for (const schema of [kind.inputSchema, kind.eventSchema]) expect(schemas).toContain(schema.meta()?.id);
  });
});
