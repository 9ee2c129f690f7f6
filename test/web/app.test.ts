import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, FileStore, parseScenario, simulate, StaffDirectory } from '../../engine/index.ts';
import { ARTIFACTS, launchBrowser } from '../support/browser.ts';
import { fileLifetimeTempDir } from '../support/temp-dir.ts';
import { serveApp } from '../support/web-server.ts';

// The web-app issue's browser tests: the Chaling demo campaign served with the built web app,
// driven by Debian's Chromium as the campaign office and a unit's staff would use it.

const HQ = { login: 'hq-web', password: 'campaign office 2022' };
const UNIT = { login: 'hujv-web', password: 'hujv town staff 1' };
const XSS = '<img src=x onerror=alert(1)>';

let browser: Browser | null = null;
let served: Awaited<ReturnType<typeof serveApp>> | undefined;
let base = '';
let engine: Engine;
/** Requests any page made to another host (must stay empty: county networks are offline). */
const external: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  if (browser === null) return;
  const scenario = parseScenario(
    JSON.parse(await readFile(join(import.meta.dirname, '../../scenarios/chaling-2022.json'), 'utf8')),
  );
  // As `npm start` does: the demo simulated into a data directory, then served with today's clock.
  const dir = await fileLifetimeTempDir();
  await (await simulate(scenario, { store: new FileStore(dir) })).engine.close();
  engine = new Engine({ store: new FileStore(dir) });
  await engine.open();
  const staff = new StaffDirectory(dir);
  await staff.createAccount({ login: HQ.login, name: '三高办', role: 'hq', password: HQ.password });
  await staff.createAccount({
    login: UNIT.login,
    name: '虎踞镇经办员',
    role: 'unit',
    unitId: 'hujv',
    password: UNIT.password,
  });
  // A project still to clear its land, and one whose name is markup.
  await engine.create(
    'project',
    {
      id: 'hujv-web-land',
      name: '虎踞镇物流园征拆',
      unitId: 'hujv',
      plannedInvestment: 9000,
      stage: 'signed',
      land: { requiredMu: 100, houses: 5 },
    },
    { actor: HQ.login },
  );
  await engine.create(
    'project',
    { id: 'xss-1', name: XSS, unitId: 'hujv', plannedInvestment: 100 },
    { actor: HQ.login },
  );
  served = await serveApp(engine, staff);
  base = served.base;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

async function newPage(viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser!.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.origin !== base && url.protocol !== 'data:' && url.protocol !== 'blob:') external.push(r.url());
  });
  page.on('console', (m) => process.env.DEBUG_WEB && console.log('console:', m.text()));
  page.on('response', (r) => process.env.DEBUG_WEB && console.log('response:', r.status(), r.url()));
  page.on('dialog', (d) => {
    external.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  return { context, page };
}

/** Submits the sign-in form and resolves with the server's answer to it. */
async function submitSignIn(page: Page, login: string, password: string): Promise<number> {
  await page.getByTestId('login').fill(login);
  await page.getByTestId('password').fill(password);
  const answer = page.waitForResponse((r) => r.url() === `${base}/api/session` && r.request().method() === 'POST');
  await page.getByTestId('sign-in').click();
  return (await answer).status();
}

/** Opens `path` signed out (the app sends it to /login), signs in, and waits to be back at `path`. */
async function signIn(page: Page, who: { login: string; password: string }, path = '/'): Promise<void> {
  await page.goto(base + path);
  await page.waitForURL((u) => u.pathname === '/login');
  expect(await submitSignIn(page, who.login, who.password)).toBe(201);
  await page.waitForURL((u) => u.pathname === new URL(base + path).pathname);
}

/** The page's scrolling width and its viewport's width (runs in the page: no DOM library here). */
const widths = () => {
  const g = globalThis as unknown as { document: { documentElement: { scrollWidth: number } }; innerWidth: number };
  return [g.document.documentElement.scrollWidth, g.innerWidth];
};

const digits = (text: string | null) => Number((text ?? '').replace(/[^\d.]/g, ''));

// Chromium shares two cores with the rest of the suite: a page may take seconds to load here.
describe('the web app in Chromium', { timeout: 90_000 }, () => {
  it('refuses a wrong password without saying which part was wrong, signs in, signs out', async (ctx) => {
    if (browser === null) return ctx.skip();
    const { context, page } = await newPage();
    await page.goto(`${base}/projects?wei=unstarted`);
    await page.waitForURL((u) => u.pathname === '/login');
    expect(await submitSignIn(page, HQ.login, 'not the password')).toBe(401);
    expect(await page.getByTestId('login-error').textContent()).toBe('用户名或密码不正确');
    expect(await submitSignIn(page, 'nobody-at-all', 'not the password')).toBe(401);
    expect(await page.getByTestId('login-error').textContent()).toBe('用户名或密码不正确');
    expect(await submitSignIn(page, HQ.login, HQ.password)).toBe(201);
    // Back to the deep link it was opened with.
    await page.waitForURL((u) => u.pathname === '/projects' && u.search === '?wei=unstarted');
    const cookie = (await context.cookies()).find((c) => c.name === 'gj_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    const said: string[] = [];
    page.on('console', (m) => said.push(`${m.type()}: ${m.text()}`));
    page.on('requestfinished', (r) => said.push(`${r.method()} ${r.url()}`));
    page.on('requestfailed', (r) => said.push(`failed ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
    await page.getByTestId('user-menu').click();
    await page.getByTestId('sign-out').waitFor();
    // The item's own click event, not a click at its coordinates: under load Playwright once
    // scrolled the long table behind the open menu between finding the item and clicking, and the
    // click landed on the table (screenshot: menu still open, page scrolled, item hovered).
    await page.getByTestId('sign-out').dispatchEvent('click');
    await page
      .waitForURL((u) => u.pathname === '/login')
      .catch(async (err: unknown) => {
        await page.screenshot({ path: join(ARTIFACTS, 'web-sign-out-failure.png') });
        throw new Error(`no /login after sign-out (${String(err)}); the page: ${said.join(' | ')}`);
      });
    expect((await page.request.get(`${base}/api/session`)).status()).toBe(401);
    await context.close();
  });

  it('refuses a cookie-session POST from another origin', async (ctx) => {
    if (browser === null) return ctx.skip();
    const { context, page } = await newPage();
    await signIn(page, HQ);
    const body = { id: 'csrf-1', name: '伪造', unitId: 'hujv', plannedInvestment: 1 };
    // With the session cookie and a foreign Origin (what a form on another site would send).
    const forged = await page.request.post(`${base}/api/projects`, {
      data: body,
      headers: { Origin: 'http://evil.example' },
    });
    expect(forged.status()).toBe(403);
    // A page of another site posting a form to us (the classic CSRF): SameSite=Strict keeps the
    // session cookie home, so it arrives unauthenticated (and the Origin check would refuse it).
    await page.route('http://evil.example/**', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body:
          `<form method="post" enctype="text/plain" action="${base}/api/projects">` +
          `<input name='${JSON.stringify(body).slice(0, -1)},"x":"' value='"}'></form>` +
          '<script>document.forms[0].submit()</script>',
      }),
    );
    const answer = page.waitForResponse((r) => r.url() === `${base}/api/projects`);
    await page.goto('http://evil.example/');
    expect([401, 403]).toContain((await answer).status());
    expect(engine.get('project', 'csrf-1')).toBeUndefined();
    await context.close();
  });

  it('dashboard: the API’s 八未 counts and totals, the burn-down drawn, English on request', async (ctx) => {
    if (browser === null) return ctx.skip();
    const { context, page } = await newPage();
    await signIn(page, HQ);
    await page.getByTestId('dashboard').waitFor();
    const api = (await (await page.request.get(`${base}/api/projects?pageSize=1`)).json()) as {
      total: number;
      counts: { wei: Record<string, number> };
    };
    const report = (await (await page.request.get(`${base}/api/campaigns/chaling-2022/report`)).json()) as {
      totals: Record<string, number>;
      baseline: { counts: Record<string, number> };
    };
    for (const [key, count] of Object.entries(api.counts.wei)) {
      expect(digits(await page.getByTestId(`wei-now-${key}`).textContent()), key).toBe(count);
      expect(digits(await page.getByTestId(`wei-start-${key}`).textContent()), key).toBe(report.baseline.counts[key]);
    }
    expect(digits(await page.getByTestId('projects-total').textContent())).toBe(api.total);
    for (const key of ['intoProduction', 'reachedTarget', 'landSuppliedMu', 'housesDemolished', 'bondDisbursedWan'])
      expect(digits(await page.getByTestId(`total-${key}`).textContent()), key).toBe(report.totals[key]);
    // Chaling tracks no investment: no 完成投资 card showing a misleading 0.
    expect(await page.getByTestId('total-investmentWan').count()).toBe(0);
    await page.locator('[data-testid="burn-down"][data-drawn="1"]').waitFor();
    await page.locator('[data-testid="month-chart"][data-drawn="1"]').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'web-dashboard.png'), fullPage: true });
    // A count leads to the projects behind it.
    await page.locator('[data-wei="unstarted"]').click();
    await page.waitForURL((u) => u.pathname === '/projects' && u.search === '?wei=unstarted');
    await expect
      .poll(async () => digits(await page.getByTestId('projects-total').textContent()))
      .toBe(api.counts.wei.unstarted);
    await page.screenshot({ path: join(ARTIFACTS, 'web-projects.png'), fullPage: true });
    // So does a campaign total: the projects it counts.
    expect(report.totals.intoProduction).toBeGreaterThan(0);
    await page.goBack();
    await page.locator('[data-total="intoProduction"]').click();
    await page.waitForURL((u) => u.pathname === '/projects' && u.searchParams.get('total') === 'intoProduction');
    await expect
      .poll(async () => digits(await page.getByTestId('projects-total').textContent()))
      .toBe(report.totals.intoProduction);
    expect(await page.getByTestId('filter-total').textContent()).toContain('投产项目');
    // And a traffic-light cell: the projects behind that unit's task in that month.
    await page.goBack();
    const cell = page.locator('[data-cell$="-signed"]').first();
    await cell.waitFor();
    await cell.click();
    await page.waitForURL((u) => u.pathname === '/projects' && u.searchParams.get('task') === 'signed');
    const behind = (await (await page.request.get(`${base}/api/projects${new URL(page.url()).search}`)).json()) as {
      total: number;
    };
    await expect.poll(async () => digits(await page.getByTestId('projects-total').textContent())).toBe(behind.total);
    expect(await page.getByTestId('filter-task').textContent()).toContain('签约');
    await page.getByTestId('lang-switch').click();
    await page.goto(`${base}/`);
    await expect.poll(() => page.locator('h2').first().textContent()).toBe('Stalled projects (八未)');
    await page.screenshot({ path: join(ARTIFACTS, 'web-dashboard-en.png') });
    await context.close();
  });

  it('unit staff file a clearance; an early start is refused with numbers; a double tap applies once', async (ctx) => {
    if (browser === null) return ctx.skip();
    const { context, page } = await newPage();
    await signIn(page, UNIT, '/projects/hujv-web-land');
    await page.getByTestId('action-REPORT_CLEARANCE').waitFor();
    expect(await page.getByTestId('land-text').textContent()).toBe('0 / 100 亩,0 / 5 栋');
    await page.getByTestId('form-REPORT_CLEARANCE-mu').locator('input').fill('40');
    await page.getByTestId('form-REPORT_CLEARANCE-houses').locator('input').fill('2');
    // A double tap on the submit button.
    await page.getByTestId('form-REPORT_CLEARANCE-submit').dblclick();
    await expect.poll(() => page.getByTestId('land-text').textContent()).toBe('40 / 100 亩,2 / 5 栋');
    const history = (await (await page.request.get(`${base}/api/projects/hujv-web-land/history`)).json()) as {
      entries: { kind: string; event?: { type: string } }[];
    };
    expect(history.entries.filter((e) => e.event?.type === 'REPORT_CLEARANCE')).toHaveLength(1);
    expect(await page.getByTestId('project-version').textContent()).toBe('2');
    // Starting construction now: the page says why beforehand, and the server's refusal shows inline.
    expect(await page.getByTestId('blocked-START_CONSTRUCTION').textContent()).toMatch(/已清 40\/100 亩,已拆 2\/5 栋/);
    await page.getByTestId('form-START_CONSTRUCTION-submit').click();
    const refusal = page.getByTestId('form-START_CONSTRUCTION-outcome');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/征拆未清零:已清 40\/100 亩,已拆 2\/5 栋/);
    // The refusal is journalled with its rule (the county counts refused attempts).
    const after = (await (await page.request.get(`${base}/api/projects/hujv-web-land/history`)).json()) as {
      entries: { kind: string; rejection?: { rule: string } }[];
    };
    expect(after.entries.at(-1)).toMatchObject({ kind: 'refusal' });
    await page.screenshot({ path: join(ARTIFACTS, 'web-project.png'), fullPage: true });
    // A unit's staff is offered nothing on another unit's project.
    await page.goto(`${base}/projects/ez-sign-1`);
    await page.getByTestId('no-actions').waitFor();
    await context.close();
  });

  it('shows the project page and its forms on a phone (390×844) without sideways scrolling', async (ctx) => {
    if (browser === null) return ctx.skip();
    const { context, page } = await newPage({ width: 390, height: 844 });
    await signIn(page, UNIT, '/projects/hujv-web-land');
    await page.getByTestId('action-REPORT_CLEARANCE').waitFor();
    const phone = await page.evaluate(widths);
    expect(phone[0]).toBeLessThanOrEqual(phone[1]!);
    const form = await page.getByTestId('form-REPORT_CLEARANCE-submit').boundingBox();
    expect(form!.x + form!.width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(ARTIFACTS, 'web-phone-project.png'), fullPage: true });
    await page.goto(`${base}/`);
    await page.getByTestId('dashboard').waitFor();
    const dashboard = await page.evaluate(widths);
    expect(dashboard[0]).toBeLessThanOrEqual(dashboard[1]!);
    await page.screenshot({ path: join(ARTIFACTS, 'web-phone-dashboard.png'), fullPage: true });
    await context.close();
  });

  it('updates an open page live when someone else files an event (no reload)', async (ctx) => {
    if (browser === null) return ctx.skip();
    const { context, page } = await newPage();
    await signIn(page, HQ, '/projects/hujv-web-land');
    const before = Number(await page.getByTestId('project-version').textContent());
    const cleared = Number((await page.getByTestId('land-text').textContent())!.split(' ')[0]);
    // The page's live connection is open (what happens before it opens, the page loaded itself).
    await page.locator('[data-testid="live"][data-connected="1"]').waitFor();
    let reloads = 0;
    page.on('framenavigated', () => reloads++);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const outcome = await engine.send(
      'project',
      'hujv-web-land',
      { type: 'REPORT_CLEARANCE', mu: 5, houses: 0, at: today },
      { actor: UNIT.login },
    );
    expect(outcome.status).toBe('accepted');
    await expect.poll(async () => Number(await page.getByTestId('project-version').textContent())).toBe(before + 1);
    expect(await page.getByTestId('land-text').textContent()).toMatch(new RegExp(`^${cleared + 5} / 100 亩`));
    expect(reloads).toBe(0);
    await context.close();
  });

  it('renders a project named like markup as text, everywhere', async (ctx) => {
    if (browser === null) return ctx.skip();
    const { context, page } = await newPage();
    await signIn(page, HQ, `/projects?q=${encodeURIComponent('onerror')}`);
    await expect.poll(() => page.getByTestId('project-link').first().textContent()).toBe(XSS);
    await page.getByTestId('project-link').first().click();
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe(XSS);
    await page.goto(`${base}/units/hujv`);
    await page.getByText(XSS).first().waitFor();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(external.filter((e) => e.startsWith('dialog'))).toEqual([]);
    await context.close();
  });

  it('shows the month’s 督查通报 as a page, and downloads the report from the session', async (ctx) => {
    if (browser === null) return ctx.skip();
    const { context, page } = await newPage();
    await signIn(page, HQ, '/reports?month=2022-08');
    await page.getByTestId('bulletin').waitFor();
    expect(await page.getByTestId('bulletin').locator('h2').textContent()).toMatch(/2022-08 督查通报/);
    // The campaign has ended: what is left to do (问责 by hand) is folded, the bulletin comes first.
    await page.getByTestId('campaign-unfold').waitFor();
    expect(await page.getByTestId('campaign-form-RECORD_ACCOUNTABILITY').isVisible()).toBe(false);
    await page.screenshot({ path: join(ARTIFACTS, 'web-bulletin.png'), fullPage: true });
    const xlsx = await page.request.get(`${base}${await page.getByTestId('report-xlsx').getAttribute('href')}`);
    expect(xlsx.status()).toBe(200);
    expect((await xlsx.body()).subarray(0, 2).toString()).toBe('PK');
    const html = await page.request.get(`${base}${await page.getByTestId('report-html').getAttribute('href')}`);
    expect(await html.text()).toMatch(/<html/);
    const excel = await page.request.get(`${base}/api/projects?format=xlsx&unit=hujv`);
    expect(excel.status()).toBe(200);
    // The month's 通报 as a Word file and as a printable document.
    const word = await page.request.get(`${base}${await page.getByTestId('bulletin-docx').getAttribute('href')}`);
    expect(word.status()).toBe(200);
    expect(word.headers()['content-type']).toContain('wordprocessingml');
    const documentPage = await context.newPage();
    await documentPage.goto(`${base}${await page.getByTestId('bulletin-html').getAttribute('href')}`);
    expect(await documentPage.locator('h1').textContent()).toMatch(/^关于2022年8月.+督查情况的通报$/);
    await documentPage.screenshot({ path: join(ARTIFACTS, 'web-bulletin-document.png'), fullPage: true });
    await context.close();
  });

  it('requested nothing from any other host', (ctx) => {
    if (browser === null) return ctx.skip();
    // (evil.example is the CSRF test's own page, served by the test itself.)
    expect(external.filter((url) => !url.startsWith('http://evil.example/'))).toEqual([]);
  });
});
