import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignService, Engine, FileStore, StaffDirectory } from '../../engine/index.ts';
import { ARTIFACTS, launchBrowser, signedInPage } from '../support/browser.ts';
import { fileLifetimeTempDir } from '../support/temp-dir.ts';
import { serveApp } from '../support/web-server.ts';

// The campaign office runs a campaign from the browser: starts it, tries a supervision before
// its month has ended (refused, with the dates), holds a unit to account by hand.

const HQ = { login: 'hq-campaign', password: 'run the campaign 1' };
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

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
  const created = await new CampaignService(engine).create(
    {
      id: 'web-run',
      name: '网页百日攻坚',
      start: today,
      days: 40,
      units: [
        { id: 'u1', name: '一号镇', group: 'township' },
        { id: 'u2', name: '二号镇', group: 'township' },
      ],
      targets: {},
    },
    HQ.login,
  );
  expect(created.status).toBe('created');
  served = await serveApp(engine, staff);
  base = served.base;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

describe('running a campaign from the browser', { timeout: 90_000 }, () => {
  it('starts it, is told why a supervision is early, and records 问责 by hand', async (ctx) => {
    if (browser === null) return ctx.skip();
    const page = await signedInPage(browser, base, HQ, '/reports?campaign=web-run');
    await page.getByTestId('campaign-actions').waitFor();
    expect(await page.getByTestId('campaign-state').textContent()).toBe('筹备');
    // 启动: dated today, the campaign's first day.
    await page.getByTestId('campaign-form-START-submit').click();
    await expect.poll(() => page.getByTestId('campaign-state').textContent()).toBe('攻坚中');
    expect(engine.get('campaign', 'web-run')!.value).toBe('active');
    // 月度督查 before the month has ended: refused inline with the dates.
    await page.getByTestId('campaign-form-SUPERVISE-submit').click();
    const refusal = page.getByTestId('campaign-form-SUPERVISE-outcome');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/督查须在 \d{4}-\d{2}-\d{2} 当期结束后进行/);
    expect(engine.get('campaign', 'web-run')!.context.supervisions).toHaveLength(0);
    // 问责 by hand on 二号镇.
    const form = page.getByTestId('campaign-form-RECORD_ACCOUNTABILITY');
    await form.locator('.el-select').first().click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '二号镇' }).click();
    await form.locator('textarea, input[type="text"]').last().fill('连续两月未完成签约任务');
    await page.getByTestId('campaign-form-RECORD_ACCOUNTABILITY-submit').click();
    await page.getByTestId('campaign-form-RECORD_ACCOUNTABILITY-outcome').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'web-campaign-actions.png'), fullPage: true });
    expect(await page.getByTestId('campaign-form-RECORD_ACCOUNTABILITY-outcome').textContent()).toContain('已办理');
    await expect.poll(() => engine.list('unit').find((l) => l.context.unitId === 'u2')?.value).toBe('accountability');
    await page.screenshot({ path: join(ARTIFACTS, 'web-campaign-actions.png'), fullPage: true });
    await page.context().close();
  });
});
