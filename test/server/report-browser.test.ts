import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { parseScenario, simulate } from '../../engine/index.ts';
import { createApp } from '../../server/app.ts';
import { StaffDirectory } from '../../engine/index.ts';
import { ARTIFACTS, launchBrowser } from '../support/browser.ts';
import { tempDir } from '../support/temp-dir.ts';

// Hardening issue, item 14: the printable report served over HTTP carried `default-src 'none'`,
// which blocks its own inline styles: in a browser it rendered unstyled.

describe('the printable report in a real browser', () => {
  it('renders styled under its own CSP, with no violation reported', async (ctx) => {
    const browser = await launchBrowser();
    if (browser === null) return ctx.skip('Chromium is not installed (.ci/run installs it)');
    const scenario = parseScenario(
      JSON.parse(await readFile(join(import.meta.dirname, '../../scenarios/chaling-2022.json'), 'utf8')),
    );
    const { engine } = await simulate(scenario);
    const staff = new StaffDirectory(await tempDir());
    const { token } = await staff.create({ name: '县领导', role: 'leader' });
    const { app, closeStreams } = createApp({ engine, staff, logger: pino({ level: 'silent' }) });
    const server = app.listen(0);
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}/api/campaigns/chaling-2022/report?format=html`;
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      await page.setExtraHTTPHeaders({ Authorization: `Bearer ${token}` });
      const response = await page.goto(url);
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-security-policy']).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
      const styles = await page.evaluate(() => {
        // Runs in the page (this project's type-check has no DOM library).
        const dom = globalThis as unknown as {
          document: { querySelector(s: string): object };
          getComputedStyle(e: object): Record<string, string>;
        };
        const style = (selector: string) => dom.getComputedStyle(dom.document.querySelector(selector));
        return {
          h2Border: style('h2').borderBottomColor,
          collapse: style('table').borderCollapse,
          light: style('.light').backgroundColor,
          center: style('p.center').textAlign,
        };
      });
      expect(styles).toEqual({
        h2Border: 'rgb(198, 40, 40)',
        collapse: 'collapse',
        light: expect.stringMatching(/^rgb\(/),
        center: 'center',
      });
      expect(styles.light).not.toBe('rgba(0, 0, 0, 0)');
      expect(problems).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, 'report-printable.png') });
    } finally {
      await browser.close();
      closeStreams();
      server.close();
    }
  }, 60_000);
});
