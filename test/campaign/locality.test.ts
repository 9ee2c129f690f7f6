import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario, simulate } from '../../engine/index.ts';
import { ladderLabels, unitStateLabels } from '../../machines/index.ts';
import { reportHtml, reportXlsx } from '../../report/index.ts';
import request from 'supertest';
import { testApp } from '../server/helpers.ts';

// Issue 12, rule 10: titles follow the locality — 县, 县级市 or 区 — from the campaign's settings.

async function chalingAs(locality?: 'county' | 'city' | 'district') {
  const raw = JSON.parse(await readFile(join(import.meta.dirname, '../../scenarios/chaling-2022.json'), 'utf8'));
  if (locality !== undefined) raw.campaign.locality = locality;
  return (await simulate(parseScenario(raw))).report;
}

describe('rule 10: titles follow the locality', () => {
  it('a county (the default) interviews with the 常务副县长 and notifies 全县', async () => {
    const html = reportHtml(await chalingAs());
    expect(html).toContain('常务副县长');
    expect(html).toContain('全县通报');
    expect(html).not.toContain('常务副市长');
  });

  it('a county-level city says 常务副市长 and 全市通报, in the page and the workbook', async () => {
    const report = await chalingAs('city');
    expect(report.campaign.locality).toBe('city');
    const html = reportHtml(report);
    expect(html).toContain('常务副市长');
    expect(html).toContain('全市通报');
    expect(html).not.toMatch(/常务副县长|全县通报|县委常委/);
    const { default: Excel } = await import('exceljs');
    const book = new Excel.Workbook();
    await book.xlsx.load(new Uint8Array(await reportXlsx(report)).buffer);
    const text = JSON.stringify(book.worksheets.map((s) => s.getSheetValues()));
    expect(text).toContain('常务副市长');
    expect(text).not.toContain('常务副县长');
  });

  it('a district says 区委, 常务副区长 and 全区', () => {
    expect(ladderLabels('district').deputyInterview.zh).toBe('由区委常委、常务副区长约谈单位主要负责人、分管负责人');
    expect(ladderLabels('district').secretaryInterview.zh).toContain('约谈情况全区通报');
    expect(unitStateLabels('city').deputyInterview?.zh).toBe('常务副市长约谈');
  });

  it('an unknown locality is refused when the campaign is registered', async () => {
    const raw = JSON.parse(await readFile(join(import.meta.dirname, '../../scenarios/chaling-2022.json'), 'utf8'));
    raw.campaign.locality = 'province';
    expect(() => parseScenario(raw)).toThrow(/campaign\.locality/);
  });
});

describe('rule 10: the web app titles the ladder by the campaign’s locality', () => {
  it('the vocabulary has the ladder per locality and the campaign list says which', async () => {
    const { app, auth } = await testApp();
    const vocabulary = (await request(app).get('/api/vocabulary').set(auth('viewer'))).body;
    expect(vocabulary.ladderByLocality.city.steps.deputyInterview.zh).toContain('常务副市长');
    expect(vocabulary.ladderByLocality.district.states.deputyInterview.zh).toBe('常务副区长约谈');
    await request(app)
      .post('/api/campaigns')
      .set(auth('hq'))
      .send({
        id: 'c1',
        name: '百日攻坚',
        start: '2022-08-01',
        days: 31,
        locality: 'city',
        units: [{ id: 'u1', name: '一号镇', group: 'township' }],
        targets: {},
      });
    const list = (await request(app).get('/api/campaigns').set(auth('viewer'))).body.campaigns;
    expect(list[0]).toMatchObject({ id: 'c1', locality: 'city' });
  });
});
