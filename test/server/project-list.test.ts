import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { parseScenario, simulate, StaffDirectory } from '../../engine/index.ts';
import { createApp } from '../../server/app.ts';
import { tempDir } from '../support/temp-dir.ts';
import { projectInput, testApp } from './helpers.ts';

// 项目台账 over HTTP: filters, text search, sorting, server-side pages, counts, xlsx of exactly
// the filtered rows.

async function ledger() {
  const t = await testApp();
  const inputs = [
    projectInput({ id: 'p01', name: '晶彩电子二期', unitId: 'u1', plannedInvestment: 30000, stage: 'signed' }),
    projectInput({ id: 'p02', name: '高铁新城安置房', unitId: 'u1', plannedInvestment: 5000 }),
    projectInput({ id: 'p03', name: '电子信息产业园', unitId: 'u2', plannedInvestment: 80000, stage: 'signed' }),
    projectInput({ id: 'p04', name: 'Hotel Xiangshan', unitId: 'u2', plannedInvestment: 1200 }),
    projectInput({ id: 'p05', name: '<img src=x onerror=alert(1)>', unitId: 'u1', plannedInvestment: 10 }),
  ];
  for (const input of inputs) await t.engine.create('project', input, { actor: 'hq-1' });
  return t;
}

describe('GET /api/projects (项目台账)', () => {
  it('pages the matching projects, with the total and the 八未/stage counts of all that matched', async () => {
    const { app, auth } = await ledger();
    const res = await request(app).get('/api/projects?pageSize=2&page=2&sort=id').set(auth('viewer'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect(res.body.projects.map((p: { id: string }) => p.id)).toEqual(['p03', 'p04']);
    expect(res.body.projects[0]).toMatchObject({ name: '电子信息产业园', unitId: 'u2', stage: 'signed' });
    expect(res.body.projects[0].state.lifecycle).toBe('signed');
    expect(res.body.counts.stage).toEqual({ signed: 2, negotiating: 3 });
    expect(res.body.counts.wei.unsigned).toBe(3);
    expect(res.body.counts.wei.unstarted).toBe(2);
  });

  it('a list asked again is served from its cache until the journal moves; each member sees only theirs', async () => {
    const { app, auth, engine } = await ledger();
    const first = (await request(app).get('/api/projects?sort=id').set(auth('viewer'))).body;
    expect(first.total).toBe(5);
    await engine.create('project', projectInput({ id: 'p06', name: '新登记', unitId: 'u2' }), { actor: 'hq-1' });
    const after = (await request(app).get('/api/projects?sort=id').set(auth('viewer'))).body;
    expect(after.total).toBe(6);
    // A change that is not a registration moves the list too (the stage counts).
    await engine.send('project', 'p06', { type: 'SIGN', contractAmount: 10, at: '2022-09-01' }, { actor: 'u' });
    expect((await request(app).get('/api/projects?sort=id').set(auth('viewer'))).body.counts.stage.signed).toBe(3);
  });

  it('filters by unit, stage and 八未, and finds text in the id or the name, case-insensitively', async () => {
    const { app, auth } = await ledger();
    const ids = async (query: string) =>
      (await request(app).get(`/api/projects?${query}`).set(auth('viewer'))).body.projects.map(
        (p: { id: string }) => p.id,
      );
    expect(await ids('unit=u2')).toEqual(['p03', 'p04']);
    expect(await ids('stage=signed')).toEqual(['p01', 'p03']);
    expect(await ids('wei=unsigned&unit=u1')).toEqual(['p02', 'p05']);
    expect(await ids(`q=${encodeURIComponent('电子')}`)).toEqual(['p01', 'p03']);
    expect(await ids('q=xiangSHAN')).toEqual(['p04']);
    expect(await ids('q=P02')).toEqual(['p02']);
    expect(await ids('q=nothing-like-this')).toEqual([]);
  });

  it('sorts by investment, name, stage, ascending or descending', async () => {
    const { app, auth } = await ledger();
    const ids = async (sort: string) =>
      (await request(app).get(`/api/projects?sort=${sort}`).set(auth('viewer'))).body.projects.map(
        (p: { id: string }) => p.id,
      );
    expect(await ids('investment')).toEqual(['p05', 'p04', 'p02', 'p01', 'p03']);
    expect(await ids('-investment')).toEqual(['p03', 'p01', 'p02', 'p04', 'p05']);
    // Descending reverses the tie-break (id) too: the order is the ascending order reversed.
    expect(await ids('-stage')).toEqual(['p03', 'p01', 'p05', 'p04', 'p02']);
    expect(await ids('name')).toEqual(['p05', 'p04', 'p01', 'p03', 'p02']);
  });

  it('exports exactly the filtered rows, in order, as xlsx', async () => {
    const { app, auth } = await ledger();
    const res = await request(app)
      .get('/api/projects?unit=u1&sort=-investment&format=xlsx&pageSize=1')
      .set(auth('viewer'))
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/projects\.xlsx/);
    const { default: Excel } = await import('exceljs');
    const book = new Excel.Workbook();
    await book.xlsx.load(new Uint8Array(res.body as Buffer).buffer);
    const sheet = book.getWorksheet('项目台账')!;
    const rows = sheet.getSheetValues().slice(2) as unknown[][];
    expect(rows.map((r) => r[1])).toEqual(['p01', 'p02', 'p05']);
    expect(rows[2]![2]).toBe('<img src=x onerror=alert(1)>');
    expect(rows[0]![6]).toBe(30000);
  });

  it('refuses a bad page, page size, sort or format with 422 naming the parameter', async () => {
    const { app, auth } = await ledger();
    for (const [query, field] of [
      ['page=0', 'page'],
      ['pageSize=501', 'pageSize'],
      ['pageSize=ten', 'pageSize'],
      ['sort=colour', 'sort'],
      ['format=pdf', 'format'],
    ]) {
      const res = await request(app).get(`/api/projects?${query}`).set(auth('viewer'));
      expect(res.status, query).toBe(422);
      expect(res.body.issues[0].path, query).toBe(field);
    }
  });
});

describe('GET /api/projects?campaign=…&total=… (the dashboard’s drill-down)', () => {
  async function chaling() {
    const scenario = parseScenario(
      JSON.parse(await readFile(join(import.meta.dirname, '../../scenarios/chaling-2022.json'), 'utf8')),
    );
    const { engine } = await simulate(scenario);
    const staff = new StaffDirectory(await tempDir());
    const { token } = await staff.create({ name: '县领导', role: 'leader' });
    const { app } = createApp({ engine, staff, logger: pino({ level: 'silent' }) });
    return { app, auth: { Authorization: `Bearer ${token}` } };
  }

  it('lists exactly the projects behind each total: one row per project the figure counts', async () => {
    const { app, auth } = await chaling();
    const report = (await request(app).get('/api/campaigns/chaling-2022/report').set(auth)).body;
    const behind = async (total: string) =>
      (await request(app).get(`/api/projects?campaign=chaling-2022&total=${total}&pageSize=500`).set(auth)).body;
    // Totals counting each project once: as many rows as the figure.
    for (const total of ['intoProduction', 'bondProjectsAdvanced', 'majorStarted', 'parkSignings']) {
      const page = await behind(total);
      expect(page.total, total).toBe(report.totals[total]);
      expect(page.total, total).toBeGreaterThan(0);
    }
    // A sum: the projects whose land was cleared in the window, each of them with cleared land.
    const land = await behind('landSuppliedMu');
    expect(land.total).toBeGreaterThan(0);
    expect(land.total).toBeLessThanOrEqual(report.totals.landSuppliedMu);
    const everything = (await request(app).get('/api/projects?pageSize=500').set(auth)).body;
    expect(land.total).toBeLessThan(everything.total);
    // Filters still apply on top.
    const started = await behind('majorStarted');
    const unitId = started.projects[0].unitId;
    const inUnit = (
      await request(app).get(`/api/projects?campaign=chaling-2022&total=majorStarted&unit=${unitId}`).set(auth)
    ).body;
    expect(inUnit.projects.every((p: { unitId: string }) => p.unitId === unitId)).toBe(true);
    expect(inUnit.total).toBe(started.projects.filter((p: { unitId: string }) => p.unitId === unitId).length);
  });

  it('lists the projects behind each cell of a held supervision: as many as the cell counts', async () => {
    const { app, auth } = await chaling();
    const report = (await request(app).get('/api/campaigns/chaling-2022/report').set(auth)).body;
    let checked = 0;
    for (const month of report.supervisions)
      for (const unit of month.units)
        for (const cell of unit.tasks as { task: string; actual: number; newActual: number }[]) {
          if (['landMu', 'housesDemolished', 'bondDisbursed'].includes(cell.task)) continue;
          const query = `campaign=chaling-2022&month=${month.month}&task=${cell.task}&unit=${unit.unitId}&pageSize=500`;
          const page = (await request(app).get(`/api/projects?${query}`).set(auth)).body;
          // Counted tasks: one movement per project.
          expect(page.total, `${unit.unitId} ${cell.task}`).toBe(cell.actual + cell.newActual);
          checked += page.total;
        }
    expect(checked).toBeGreaterThan(0);
    // A month not yet supervised: 404; a task without its month: 422.
    const missing = await request(app).get('/api/projects?campaign=chaling-2022&month=2030-01&task=signed').set(auth);
    expect(missing.status).toBe(404);
    const alone = await request(app).get('/api/projects?campaign=chaling-2022&task=signed').set(auth);
    expect(alone.status).toBe(422);
    expect(JSON.stringify(alone.body)).toContain('month');
  });

  it('refuses a total without its campaign or an unknown total (422), and an unknown campaign (404)', async () => {
    const { app, auth } = await chaling();
    const alone = await request(app).get('/api/projects?total=intoProduction').set(auth);
    expect(alone.status).toBe(422);
    expect(JSON.stringify(alone.body)).toContain('campaign');
    expect((await request(app).get('/api/projects?campaign=chaling-2022&total=everything').set(auth)).status).toBe(422);
    expect((await request(app).get('/api/projects?campaign=nowhere&total=intoProduction').set(auth)).status).toBe(404);
  });
});
