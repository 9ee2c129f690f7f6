import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import JSZip from 'jszip';
import { pino } from 'pino';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseScenario, simulate, StaffDirectory, type SimulationResult } from '../../engine/index.ts';
import { bulletinDocx, bulletinHtml, bulletinOf } from '../../report/index.ts';
import { createApp } from '../../server/app.ts';
import { tempDir } from '../support/temp-dir.ts';

// Issue 12, rule 18: each month's 督查通报 as a document the office files as it is.

let result: SimulationResult;
beforeAll(async () => {
  result = await simulate(
    parseScenario(JSON.parse(await readFile(join(import.meta.dirname, '../../scenarios/chaling-2022.json'), 'utf8'))),
  );
});

describe('rule 18: the monthly 督查通报 as a document', () => {
  it('has a title, a 文号 to fill, the issuing office and date, the body and the 抄送 line', () => {
    const month = result.report.supervisions.find((s) => s.month === '2022-07')!;
    const b = bulletinOf(result.report, month.month)!;
    expect(b.title).toBe(
      `关于${month.month.slice(0, 4)}年${Number(month.month.slice(5))}月${result.report.campaign.name}督查情况的通报`,
    );
    expect(b.docNumber).toMatch(/^〔\d{4}〕\s+号$/);
    expect(b.office).toContain('指挥部办公室');
    expect(b.date).toBe(month.to);
    expect(b.sections.map((s) => s.heading)).toEqual([
      '一、总体情况',
      '二、各单位攻坚任务完成情况',
      '三、约谈与通报',
      '四、问题交办情况',
      '五、下步要求',
    ]);
    expect(b.cc).toMatch(/^抄送:县委、县人大常委会、县政府、县政协主要领导,各责任单位。$/);
    // Each group ranked per task, by name.
    const tables = b.sections[1]!.tables;
    expect(tables.length).toBeGreaterThan(0);
    for (const t of tables) for (const row of t.rows) expect(result.report.names.units).not.toHaveProperty(row[2]!);
    expect(bulletinOf(result.report, '1999-01')).toBeUndefined();
  });

  it('names who is interviewed and why (the July interview of 严塘镇)', () => {
    const july = bulletinOf(result.report, '2022-07')!;
    const said = july.sections[2]!.paragraphs.join('\n');
    expect(said).toMatch(/严塘镇:由县委常委、常务副县长约谈单位主要负责人、分管负责人。原因:未完成/);
  });

  it('prints as a page (示例数据 on it) and saves as a Word file with the same text', async () => {
    const b = bulletinOf(result.report, '2022-08')!;
    const html = bulletinHtml(b);
    expect(html).toContain(`<h1>${b.title.replaceAll('"', '&quot;')}</h1>`);
    expect(html).toContain('示例数据');
    expect(html).toContain(b.cc);
    const zip = await JSZip.loadAsync(await bulletinDocx(b));
    const xml = await zip.file('word/document.xml')!.async('string');
    for (const text of [b.title.replaceAll('"', '&quot;'), '三、约谈与通报', b.cc, '2022年8月31日'])
      expect(xml).toContain(text);
    const header = Object.keys(zip.files).find((f) => /word\/header\d*\.xml/.test(f))!;
    expect(await zip.file(header)!.async('string')).toContain('示例数据');
  });

  it('is served from the session or a token: ?format=html with its own CSP, ?format=docx as a download', async () => {
    const staff = new StaffDirectory(await tempDir());
    const { token } = await staff.create({ name: '县领导', role: 'leader' });
    const { app } = createApp({ engine: result.engine, staff, logger: pino({ level: 'silent' }) });
    const auth = { Authorization: `Bearer ${token}` };
    const url = '/api/campaigns/chaling-2022/supervisions/2022-08';
    const html = await request(app).get(`${url}?format=html`).set(auth);
    expect(html.status).toBe(200);
    expect(html.headers['content-security-policy']).toMatch(/style-src 'sha256-/);
    const docx = await request(app)
      .get(`${url}?format=docx`)
      .set(auth)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(docx.status).toBe(200);
    expect(docx.headers['content-type']).toContain('wordprocessingml');
    expect(docx.headers['content-disposition']).toContain('attachment');
    expect((docx.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    expect((await request(app).get(`${url}?format=pdf`).set(auth)).status).toBe(422);
  });
});
