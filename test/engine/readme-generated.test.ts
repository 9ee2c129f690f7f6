import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED_SECTIONS, withGeneratedSections } from '../../engine/docs.ts';
import { KINDS } from '../../engine/index.ts';
import { WEI_KEYS } from '../../machines/index.ts';

// Issue 12, rules 5 and 14: the 八未 definitions and each event's payload are documented in the
// README, generated from the code — this test fails when they drift (npx tsx scripts/readme.ts).

describe('rules 5 and 14: the README’s generated sections', () => {
  it('are what the code says now', async () => {
    const readme = await readFile(join(import.meta.dirname, '../../README.md'), 'utf8');
    expect(withGeneratedSections(readme)).toBe(readme);
  });

  it('define every 八未 and document every project event', () => {
    const wei = GENERATED_SECTIONS.wei();
    for (const key of WEI_KEYS) expect(wei).toContain(`\`${key}\``);
    const events = GENERATED_SECTIONS['project-events']();
    for (const type of Object.keys(KINDS.project.roles)) expect(events).toContain(`| \`${type}\``);
    expect(events).toMatch(/`SIGN` 签约 \| [^|]+ \| `at`: 日期 date `YYYY-MM-DD`; `contractAmount`: 合同金额/);
  });
});
