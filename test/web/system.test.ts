import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, PgStore, StaffDirectory } from '../../engine/index.ts';
import { ARTIFACTS, launchBrowser, signedInPage } from '../support/browser.ts';
import { PG_REQUIRED, startPostgres, type TestPostgres } from '../support/postgres.ts';
import { serveApp } from '../support/web-server.ts';

// 系统状态 in the browser, on PostgreSQL: which store, where, healthy — and, the database stopped
// under it, the page says so within its refresh and comes back by itself.

const HQ = { login: 'hq-system', password: 'campaign office 7' };

let browser: Browser | null = null;
let postgres: TestPostgres | null = null;
let served: Awaited<ReturnType<typeof serveApp>> | undefined;

beforeAll(async () => {
  browser = await launchBrowser();
  if (browser === null) return;
  const started = await startPostgres();
  if ('unavailable' in started) {
    if (PG_REQUIRED) throw new Error(`PostgreSQL is required here: ${started.unavailable}`);
    return;
  }
  postgres = started;
  const store = new PgStore(postgres.url, { schema: 'system_page', connectTimeoutMs: 1_000 });
  const engine = new Engine({ store });
  await engine.open();
  await engine.create(
    'project',
    { id: 'p1', name: '晶彩电子二期', unitId: 'u1', plannedInvestment: 30000, asOf: '2022-08-01' },
    { actor: HQ.login },
  );
  // Staff and sessions in the database too, as `serve --store` runs them.
  const staff = new StaffDirectory(store.staffStorage());
  await staff.load();
  await staff.createAccount({ login: HQ.login, name: '三高办', role: 'hq', password: HQ.password });
  served = await serveApp(engine, staff, { sharedSessions: store.sessionStorage() });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await served?.stop();
  await postgres?.stop();
});

describe('the system status page', { timeout: 120_000 }, () => {
  it('shows PostgreSQL and its health; the database stopped, the page says so, then recovers', async (ctx) => {
    if (browser === null || postgres === null || served === undefined) return ctx.skip();
    const page = await signedInPage(browser, served.base, HQ, '/system');
    const store = page.getByTestId('system-store');
    await expect.poll(() => store.textContent()).toContain('PostgreSQL 数据库');
    expect(await page.getByTestId('system-location').textContent()).toContain('schema system_page');
    expect(await page.getByTestId('system-health').textContent()).toBe('正常');
    expect(await store.textContent()).toContain('日志条数1');
    expect(await page.getByTestId('system-staff').textContent()).toContain('schema system_page · table staff');
    expect(await page.getByTestId('system-sessions').textContent()).toBe('存于数据库,各节点通用');
    await page.screenshot({ path: `${ARTIFACTS}web-system.png`, fullPage: true });

    const restarted = postgres.restart({ downMs: 8_000 });
    await expect.poll(() => page.getByTestId('system-health').textContent(), { timeout: 7_500 }).toBe('无法写入');
    expect(await page.getByTestId('system-degraded').textContent()).toContain('存储暂时无法写入');
    await page.screenshot({ path: `${ARTIFACTS}web-system-degraded.png`, fullPage: true });
    await restarted;
    await expect.poll(() => page.getByTestId('system-health').textContent(), { timeout: 10_000 }).toBe('正常');
    expect(await page.getByTestId('system-degraded').count()).toBe(0);
    // On a phone: no sideways scrolling.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await expect.poll(() => page.getByTestId('system-health').textContent()).toBe('正常');
    const [scrolling, viewport] = await page.evaluate(() => {
      const g = globalThis as unknown as { document: { documentElement: { scrollWidth: number } }; innerWidth: number };
      return [g.document.documentElement.scrollWidth, g.innerWidth];
    });
    expect(scrolling).toBeLessThanOrEqual(viewport!);
    await page.screenshot({ path: `${ARTIFACTS}web-system-phone.png`, fullPage: true });
    await page.context().close();
  });
});
