import { describe, expect, it } from 'vitest';
import { generateScenario, parseScenario, simulate } from '../../engine/index.ts';
import { inSlices } from '../../engine/index.ts';
import { reportHtml, reportHtmlSteps, reportXlsx } from '../../report/index.ts';
import { turnsDuring } from '../support/turns.ts';

// Issue 15, "never blocking writes": at 100,000 projects the printable page held the event loop
// 1.5–2.8 s and the workbook 14 s (BENCHMARKS.md, session 13); both now pause as they go.

describe('the report’s page and workbook made with the event loop free in between', async () => {
  const { report } = await simulate(parseScenario(generateScenario({ projects: 2000, units: 16, seed: 3 })), {
    seed: 3,
  });

  it('the page: the same HTML as made at once, other work running while it is made', async () => {
    expect(report.projects.length).toBeGreaterThanOrEqual(2000);
    let sliced = '';
    // Every step its own slice, so that what is counted does not depend on the machine's speed.
    const turns = await turnsDuring(async () => (sliced = await inSlices(reportHtmlSteps(report), 0)));
    expect(sliced).toBe(reportHtml(report));
    expect(turns).toBeGreaterThanOrEqual(4);
  });

  it('the workbook: the 台账 written a hundred rows at a time, other work running in between', async () => {
    // Which 台账 row the workbook has reached, seen at each turn other work gets.
    let reached = -1;
    const projects = new Proxy(report.projects, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reached = Number(key);
        return Reflect.get(target, key, receiver);
      },
    });
    const seen = new Set<number>();
    let done = false;
    const tick = () => {
      if (reached >= 0 && reached < report.projects.length - 1) seen.add(reached);
      if (!done) setImmediate(tick);
    };
    setImmediate(tick);
    await reportXlsx({ ...report, projects });
    done = true;
    // Made at once, no turn would find it part-way through.
    expect(seen.size).toBeGreaterThanOrEqual(report.projects.length / 100 - 1);
  });
});
