import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignService, Engine, FileStore, StaffDirectory } from '../../engine/index.ts';
import { ARTIFACTS, launchBrowser, signedInPage } from '../support/browser.ts';
import { fileLifetimeTempDir } from '../support/temp-dir.ts';
import { serveApp } from '../support/web-server.ts';

// 项目群 in the browser: the programme as one line that opens into its plants, its roll-up,
// and a groundbreaking day's START_CONSTRUCTION sent to every plant at once.

const HQ = { login: 'hq-programme', password: 'campaign office 7' };
const PERMITS = ['landUsePlanning', 'landTitle', 'engineeringPlanning', 'construction'] as const;

let browser: Browser | null = null;
let served: Awaited<ReturnType<typeof serveApp>> | undefined;
let base = '';
let engine: Engine;

beforeAll(async () => {
  browser = await launchBrowser();
  if (browser === null) return;
  const dir = await fileLifetimeTempDir();
  engine = new Engine({ store: new FileStore(dir) });
  await engine.open();
  const staff = new StaffDirectory(dir);
  await staff.createAccount({ login: HQ.login, name: '三高办', role: 'hq', password: HQ.password });
  const towns = ['yantang', 'hujv', 'mijiang'];
  await new CampaignService(engine).create(
    {
      id: 'pv-run',
      name: '光伏攻坚',
      start: '2022-08-01',
      days: 100,
      units: towns.map((id, i) => ({ id, name: ['严塘镇', '虎踞镇', '秩堂镇'][i]!, group: 'township' as const })),
      targets: {},
    },
    HQ.login,
  );
  await engine.create(
    'programme',
    {
      id: 'pv',
      name: '300MW 分布式光伏发电项目',
      enterprise: '湘东新能源有限公司',
      plannedInvestment: 13500,
      capacity: { value: 30, unit: 'MW' },
      landMu: 60,
      unitIds: towns,
      registeredOn: '2022-07-01',
    },
    { actor: HQ.login },
  );
  for (let i = 1; i <= 6; i++)
    await engine.create(
      'project',
      {
        id: `pv-${i}`,
        name: `光伏电站 ${i}`,
        unitId: towns[i % 3]!,
        plannedInvestment: 2250,
        programmeId: 'pv',
        capacity: { value: 5, unit: 'MW' },
        stage: 'signed',
        permits: [...PERMITS],
        land: { requiredMu: 10, houses: 0, clearedMu: i <= 4 ? 10 : 0 },
        asOf: '2022-07-01',
      },
      { actor: HQ.login },
    );
  served = await serveApp(engine, staff);
  base = served.base;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

describe('programmes in the browser', { timeout: 120_000 }, () => {
  it('shows the programme as one line, opens it, and starts every ready plant at once', async (ctx) => {
    if (browser === null) return ctx.skip();
    const page = await signedInPage(browser, base, HQ, '/programmes');
    const row = page.getByTestId('programmes-table');
    await expect.poll(() => row.textContent()).toContain('300MW 分布式光伏发电项目');
    expect(await row.textContent()).toContain('一致');
    await page.waitForTimeout(500); // Element Plus tags fade in
    await page.screenshot({ path: `${ARTIFACTS}web-programmes.png` });

    await page.getByTestId('programme-pv').click();
    await page.waitForURL((u) => u.pathname === '/programmes/pv');
    await expect.poll(() => page.getByTestId('rollup').textContent()).toContain('1.35 亿元');
    expect(await page.getByTestId('sub-projects').textContent()).toContain('光伏电站 6');
    await page.getByTestId('batch-form-submit').click();
    const results = page.getByTestId('batch-results');
    await expect.poll(() => results.locator('li[data-status="accepted"]').count()).toBe(4);
    expect(await results.locator('li[data-status="rejected"]').count()).toBe(2);
    expect(await results.textContent()).toContain('征拆未清零');
    await expect.poll(() => page.getByTestId('rollup').textContent()).toContain('20 / 0 / 30 MW');
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${ARTIFACTS}web-programme-batch.png`, fullPage: true });
    expect(
      engine.list('project', { programmeId: 'pv' }).filter((p) => p.value.lifecycle === 'underConstruction'),
    ).toHaveLength(4);

    // The project list filters by programme and shows it on each row.
    await page.goto(`${base}/projects?programme=pv`);
    await expect.poll(() => page.getByTestId('projects-table').textContent()).toContain('300MW 分布式光伏发电项目');
    expect(await page.getByTestId('project-link').count()).toBe(6);
    await page.goto(`${base}/projects?fold=programmes`);
    await expect.poll(() => page.getByTestId('programme-link').textContent()).toContain('6 个子项目');
    expect(await page.getByTestId('project-link').count()).toBe(0);
    await page.context().close();
  });
});
