import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { parseScenario, simulate } from '../../engine/index.ts';
import { reportHtml } from '../../report/index.ts';
import { testApp } from '../server/helpers.ts';

// Issue 12, rule 20: the article's other measures — 外出招商, 企业办事不求人, 施工环境保障 — as
// counted records, entered over HTTP and in scenarios, in the report.

const campaign = {
  id: 'c1',
  name: '百日攻坚',
  start: '2022-08-01',
  days: 31,
  units: [
    { id: 'u1', name: '一号镇', group: 'township' },
    { id: 'u2', name: '二号镇', group: 'township' },
  ],
  targets: {},
};
const record = (unitId: string, extra: Record<string, unknown> = {}) => ({
  type: 'RECORD_MEASURE',
  measure: 'investmentTrip',
  unitId,
  count: 2,
  note: '赴深圳对接电子信息企业',
  at: '2022-08-10',
  ...extra,
});

describe('rule 20: measure records (攻坚举措)', () => {
  it('are recorded over HTTP by the office or the unit itself, refused otherwise, counted in the report', async () => {
    const { app, auth } = await testApp();
    expect((await request(app).post('/api/campaigns').set(auth('hq')).send(campaign)).status).toBe(201);
    const send = (who: 'hq' | 'unit' | 'viewer', body: object) =>
      request(app).post('/api/campaigns/c1/events').set(auth(who)).send(body);
    // Not before the campaign runs.
    expect((await send('hq', record('u1'))).status).toBe(409);
    expect((await send('hq', { type: 'START', at: '2022-08-01' })).status).toBe(200);
    expect((await send('hq', record('u1'))).status).toBe(200);
    expect(
      (await send('unit', record('u1', { measure: 'enterpriseService', count: 5, note: '代办施工许可' }))).status,
    ).toBe(200);
    const other = await send('unit', record('u2'));
    expect(other.status).toBe(403);
    expect(other.body.rule).toBe('unit');
    expect((await send('viewer', record('u1'))).status).toBe(403);
    expect((await send('hq', record('u1', { measure: 'picnic' }))).status).toBe(422);
    expect((await send('hq', record('u1', { count: 0 }))).status).toBe(422);
    const stranger = await send('hq', record('u9'));
    expect(stranger.status).toBe(409);
    expect(stranger.body.rule).toBe('measureUnit');
    const report = (await request(app).get('/api/campaigns/c1/report').set(auth('viewer'))).body;
    expect(report.measures).toEqual([
      { measure: 'investmentTrip', total: 2, records: 1, byUnit: { u1: 2 } },
      { measure: 'enterpriseService', total: 5, records: 1, byUnit: { u1: 5 } },
      { measure: 'constructionEnvironment', total: 0, records: 0, byUnit: {} },
    ]);
  });

  it('come from scenarios too, and print in the report by unit name', async () => {
    const scenario = parseScenario({
      format: 'gongjian-scenario/1',
      campaign: { id: 'c1', name: '百日攻坚', start: '2022-08-01', days: 31 },
      units: campaign.units,
      staff: [
        { id: 'hq-1', name: '三高办', role: 'hq' },
        { id: 'u2-staff', name: '二号镇', role: 'unit', unitId: 'u2' },
      ],
      targets: {},
      projects: [],
      events: [
        {
          at: '2022-08-03',
          by: 'u2-staff',
          type: 'RECORD_MEASURE',
          measure: 'constructionEnvironment',
          unitId: 'u2',
          note: '阻工协调',
        },
        {
          at: '2022-08-05',
          by: 'hq-1',
          type: 'RECORD_MEASURE',
          measure: 'investmentTrip',
          unitId: 'u1',
          count: 3,
          note: '长沙招商',
        },
      ],
    });
    const { report } = await simulate(scenario);
    expect(report.measures.map((m) => [m.measure, m.total])).toEqual([
      ['investmentTrip', 3],
      ['enterpriseService', 0],
      ['constructionEnvironment', 1],
    ]);
    const html = reportHtml(report);
    expect(html).toContain('外出招商');
    expect(html).toContain('一号镇 3');
    expect(html).toContain('二号镇 1');
  });

  it('a scenario naming an unknown unit or measure is refused at validation', () => {
    const bad = (event: object) => () =>
      parseScenario({
        format: 'gongjian-scenario/1',
        campaign: { id: 'c1', name: 'x', start: '2022-08-01', days: 31 },
        units: campaign.units,
        staff: [{ id: 'hq-1', name: '三高办', role: 'hq' }],
        targets: {},
        projects: [],
        events: [{ at: '2022-08-03', by: 'hq-1', type: 'RECORD_MEASURE', note: 'x', ...event }],
      });
    expect(bad({ measure: 'investmentTrip', unitId: 'u9' })).toThrow(/unitId: unknown unit u9/);
    expect(bad({ measure: 'picnic', unitId: 'u1' })).toThrow(/measure/);
  });
});
