import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { AnyStateNode } from 'xstate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_KINDS, Engine, FileStore, StaffDirectory } from '../../engine/index.ts';
import { ARTIFACTS, launchBrowser } from '../support/browser.ts';
import { fileLifetimeTempDir } from '../support/temp-dir.ts';
import { serveApp } from '../support/web-server.ts';

// The inspector issue's browser tests: every machine drawn from its definition, a live project
// lit up and flashing its refusals, time travel over its journal, a dry run that changes nothing.

const DEV = { login: 'dev-inspect', password: 'statecharts for all' };
const ID = 'insp-land';

let browser: Browser | null = null;
let served: Awaited<ReturnType<typeof serveApp>> | undefined;
let base = '';
let engine: Engine;
const external: string[] = [];
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

beforeAll(async () => {
  browser = await launchBrowser();
  if (browser === null) return;
  const dir = await fileLifetimeTempDir();
  engine = new Engine({ store: new FileStore(dir) });
  await engine.open();
  const staff = new StaffDirectory(dir);
  await staff.createAccount({ login: DEV.login, name: '开发者', role: 'hq', password: DEV.password });
  await engine.create(
    'project',
    {
      id: ID,
      name: '检查器测试项目',
      unitId: 'hujv',
      plannedInvestment: 9000,
      stage: 'signed',
      asOf: '2026-01-05',
      land: { requiredMu: 100, houses: 5 },
    },
    { actor: DEV.login },
  );
  served = await serveApp(engine, staff);
  base = served.base;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

async function signedInPage(path: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser!.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'zh-CN' });
  const page = await context.newPage();
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.origin !== base && url.protocol !== 'data:' && url.protocol !== 'blob:') external.push(r.url());
  });
  await page.goto(base + path);
  await page.waitForURL((u) => u.pathname === '/login');
  await page.getByTestId('login').fill(DEV.login);
  await page.getByTestId('password').fill(DEV.password);
  await page.getByTestId('sign-in').click();
  await page.waitForURL((u) => u.pathname === new URL(base + path).pathname);
  return { context, page };
}

/** States and transitions of a machine, counted from its definition (not from the inspector's code). */
function countDefinition(root: AnyStateNode): { states: number; transitions: number } {
  let states = 0;
  let transitions = 0;
  const walk = (node: AnyStateNode) => {
    states += 1;
    for (const list of node.transitions.values()) transitions += list.length;
    transitions += node.always?.length ?? 0;
    for (const child of Object.values(node.states)) walk(child);
  };
  walk(root);
  return { states, transitions };
}

const step = (page: Page) => page.getByTestId('step');

describe('the inspector in Chromium', { timeout: 90_000 }, () => {
  it('draws every machine of the registry: each state a node, each transition an edge', async (ctx) => {
    if (browser === null) return ctx.skip();
    const { context, page } = await signedInPage('/inspect/project');
    for (const kind of ALL_KINDS) {
      await page.goto(`${base}/inspect/${kind.kind}`);
      const svg = page.locator(`[data-testid="statechart"][data-machine="${kind.kind}"]`);
      await svg.waitFor();
      const expected = countDefinition(kind.machine.root);
      expect(await svg.locator('[data-state-id]').count(), kind.kind).toBe(expected.states);
      expect(await svg.locator('g[data-transition-id]').count(), kind.kind).toBe(expected.transitions);
      // Every edge is routed (a path with points) and every state has a box with a size.
      const empty = await svg
        .locator('g[data-transition-id] path')
        .evaluateAll(
          (paths) =>
            paths.filter(
              (p) => ((p as unknown as { getAttribute(a: string): string }).getAttribute('d') ?? '').length < 4,
            ).length,
        );
      expect(empty, kind.kind).toBe(0);
      expect(await svg.locator('[data-initial="1"]').count(), kind.kind).toBeGreaterThan(0);
      await page.screenshot({ path: join(ARTIFACTS, `inspect-${kind.kind}.png`) });
    }
    // The project's six parallel regions, an eventless transition drawn apart, a final state.
    await page.goto(`${base}/inspect/project`);
    const svg = page.getByTestId('statechart');
    await svg.waitFor();
    for (const region of ['lifecycle', 'permits', 'land', 'bond', 'statistics', 'support'])
      expect(await svg.locator(`[data-state-id="project.${region}"].region`).count(), region).toBe(1);
    expect(await svg.locator('.sc-edge.always').count()).toBeGreaterThan(0);
    expect(await svg.locator('.sc-state.final').count()).toBeGreaterThan(0);
    // A transition shows its rule and checks; a state its 八未.
    await svg.locator('[data-event="START_CONSTRUCTION"] text').first().click();
    expect(await page.getByTestId('detail-rule').textContent()).toMatch(
      /canStartConstruction.*landReady.*permitsComplete/,
    );
    await svg.locator('[data-state-id="project.lifecycle.signed"] > text').first().click();
    expect(await page.getByTestId('detail-wei').textContent()).toContain('签约未开工');
    // Export as SVG: a standalone file with every state in it.
    const download = page.waitForEvent('download');
    await page.getByTestId('export-svg').click();
    const file = await (await download).path();
    const text = await (await import('node:fs/promises')).readFile(file, 'utf8');
    expect(text.startsWith('<svg')).toBe(true);
    expect(text).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(text.match(/data-state-id=/g)?.length).toBe(countDefinition(ALL_KINDS[0]!.machine.root).states);
    await context.close();
  });

  it('lights a live project up, moves on an event sent elsewhere, flashes a refusal with its reason', async (ctx) => {
    if (browser === null) return ctx.skip();
    const { context, page } = await signedInPage(`/inspect/project?instance=${ID}`);
    // A second page: the project's own page, open at the same time.
    const other = await context.newPage();
    await other.goto(`${base}/projects/${ID}`);
    await page.locator('[data-state-id="project.land.clearing"][data-active="1"]').waitFor();
    await page.locator('[data-testid="live"][data-connected="1"]').waitFor();
    expect(await page.locator('[data-state-id="project.lifecycle.signed"]').getAttribute('data-active')).toBe('1');
    await page.screenshot({ path: join(ARTIFACTS, 'inspect-live-project.png') });
    const sent = Date.now();
    const outcome = await engine.send(
      'project',
      ID,
      { type: 'REPORT_CLEARANCE', mu: 100, houses: 5, at: today },
      { actor: DEV.login },
    );
    expect(outcome.status).toBe('accepted');
    await page.locator('[data-state-id="project.land.cleared"][data-active="1"]').waitFor({ timeout: 2_000 });
    const litAfter = Date.now() - sent;
    expect(await page.locator('[data-state-id="project.land.clearing"]').getAttribute('data-active')).toBe('0');
    await expect.poll(() => other.getByTestId('project-version').textContent()).toBe('2');
    // Too early to start: permits are not all granted. The refusal flashes on the transition it tried.
    const refused = await engine.send('project', ID, { type: 'START_CONSTRUCTION', at: today }, { actor: DEV.login });
    expect(refused.status).toBe('rejected');
    const flash = page.getByTestId('flash');
    await flash.waitFor({ timeout: 2_000 });
    expect(await flash.textContent()).toContain('START_CONSTRUCTION');
    expect(await flash.textContent()).toContain(refused.status === 'rejected' ? refused.rejection.rule : '?');
    expect(await page.locator('[data-event="START_CONSTRUCTION"].flash').count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'inspect-refusal.png') });
    console.log(`inspector lit the new state ${litAfter} ms after the send`);
    await context.close();
  });

  it('steps through the journal with the slider and arrow keys, the refusal step included', async (ctx) => {
    if (browser === null) return ctx.skip();
    const { context, page } = await signedInPage(`/inspect/project?instance=${ID}`);
    const history = await engine.history('project', ID);
    await page.getByTestId('timeline').waitFor();
    expect(await page.getByTestId('timeline').locator('h2').textContent()).toContain(
      `${history.length} / ${history.length}`,
    );
    // The latest step: the refusal, with its reason.
    expect(await step(page).getAttribute('data-kind')).toBe('refusal');
    expect(await page.getByTestId('step-rejection').textContent()).toContain('permits');
    // ← to the clearance: the land region moves back and forth with the steps.
    await page.keyboard.press('ArrowLeft');
    expect(await step(page).getAttribute('data-kind')).toBe('event');
    expect(await page.getByTestId('step-diff').textContent()).toContain('land.clearedMu');
    expect(await page.locator('[data-state-id="project.land.cleared"]').getAttribute('data-active')).toBe('1');
    await page.keyboard.press('ArrowLeft');
    expect(await step(page).getAttribute('data-kind')).toBe('create');
    expect(await page.locator('[data-state-id="project.land.clearing"]').getAttribute('data-active')).toBe('1');
    await page.screenshot({ path: join(ARTIFACTS, 'inspect-time-travel.png') });
    // The slider: its start is the creation; then → to the end, the refusal.
    await page
      .getByTestId('time-slider')
      .locator('.el-slider__runway')
      .click({ position: { x: 1, y: 3 } });
    await expect.poll(() => step(page).getAttribute('data-kind')).toBe('create');
    await page.getByTestId('timeline').locator('h2').click();
    for (let i = 0; i < history.length; i++) await page.keyboard.press('ArrowRight');
    expect(await step(page).getAttribute('data-kind')).toBe('refusal');
    await context.close();
  });

  it('a dry run shows the outcome the real send would have, and changes nothing', async (ctx) => {
    if (browser === null) return ctx.skip();
    const { context, page } = await signedInPage(`/inspect/project?instance=${ID}`);
    await page.getByTestId('dry-run').waitFor();
    const before = engine.get('project', ID)!.version;
    const journal = (await engine.history('project', ID)).length;
    await page.getByTestId('dry-type').click();
    await page.locator('.el-select-dropdown__item', { hasText: 'START_CONSTRUCTION' }).click();
    await page.getByTestId('dry-form-submit').click();
    const shown = page.getByTestId('dry-form-outcome');
    await shown.waitFor();
    expect(engine.get('project', ID)!.version).toBe(before);
    expect((await engine.history('project', ID)).length).toBe(journal);
    // The real send, for comparison: the same rule and the same words.
    const real = await engine.send('project', ID, { type: 'START_CONSTRUCTION', at: today }, { actor: DEV.login });
    expect(real.status).toBe('rejected');
    if (real.status === 'rejected') expect(await shown.textContent()).toContain(real.rejection.zh);
    // An accepted dry run: the what-if state is drawn, still nothing journalled.
    await page.getByTestId('dry-type').click();
    await page.locator('.el-select-dropdown__item', { hasText: 'GREEN_CHANNEL' }).click();
    await page.getByTestId('dry-form-submit').click();
    await page.getByTestId('dry-form-outcome').waitFor();
    expect(await page.getByTestId('dry-form-outcome').textContent()).toContain('试算');
    // A green channel changes data, not states: nothing new is lit as the what-if.
    expect(await page.getByTestId('dry-outcome-states').textContent()).toContain('状态不变');
    expect(engine.get('project', ID)!.version).toBe(before);
    await page.screenshot({ path: join(ARTIFACTS, 'inspect-dry-run.png') });
    await context.close();
  });

  it('requested nothing from any other host', (ctx) => {
    if (browser === null) return ctx.skip();
    expect(external).toEqual([]);
  });
});
