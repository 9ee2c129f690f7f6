import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

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
