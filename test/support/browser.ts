import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`; `.ci/run` installs it). */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Headless Chromium, or null where it is not installed. `.ci/run` sets
 * GONGJIAN_REQUIRE_BROWSER=1: there a missing browser fails the test instead of skipping it.
 */
export async function launchBrowser(): Promise<Browser | null> {
  if (!existsSync(CHROMIUM)) {
    if (process.env.GONGJIAN_REQUIRE_BROWSER === '1')
      throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    return null;
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

/** Where screenshots go, to be looked at. */
export const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;

/**
 * A new desktop page (zh-CN) that opens `path` signed out, is sent to /login, signs in as `who`
 * and is back at `path`.
 */
export async function signedInPage(
  browser: Browser,
  base: string,
  who: { login: string; password: string },
  path: string,
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(base + path);
  await page.waitForURL((u) => u.pathname === '/login');
  await page.getByTestId('login').fill(who.login);
  await page.getByTestId('password').fill(who.password);
  await page.getByTestId('sign-in').click();
  await page.waitForURL((u) => u.pathname === new URL(base + path).pathname);
  return page;
}
