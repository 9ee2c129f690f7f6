import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../engine/index.ts';

// Issue 12, rules 12 and 13: every problem of a scenario listed at once, with where it is in
// words; nothing that would go wrong at run time passes validation.

let base: Record<string, unknown> & { events: Record<string, unknown>[]; projects: Record<string, unknown>[] };
let last = '';
beforeAll(async () => {
  base = JSON.parse(await readFile(join(import.meta.dirname, '../../scenarios/chaling-2022.json'), 'utf8'));
  last = String(base.events.at(-1)!.at);
});

function problems(change: (s: typeof base) => void): string {
  const s = structuredClone(base);
  change(s);
  try {
    parseScenario(s);
    return '';
  } catch (err) {
    return (err as Error).message;
  }
}

describe('scenario validation', () => {
  it('rule 12: an unknown event type is a listed problem, not a crash or a silent refusal', () => {
    const message = problems((s) => s.events.push({ at: last, by: 'hq-1', project: 'laikang', type: 'FLY' }));
    expect(message).toMatch(/events #\d+ \(\S+ FLY\)\.type: /);
  });

  it('rule 12: SIGN without contractAmount fails validation, naming the field', () => {
    const message = problems((s) => s.events.push({ at: last, by: 'hq-1', project: 'laikang', type: 'SIGN' }));
    expect(message).toMatch(/events #\d+ \(\S+ SIGN\)\.contractAmount: /);
  });

  it('rule 12: a unit staff member without unitId fails validation', () => {
    const message = problems((s) => (s.staff as unknown[]).push({ id: 'x', name: 'x', role: 'unit' }));
    expect(message).toMatch(/staff #\d+ \(x\)\.unitId: unit staff need the unit they work for/);
  });

  it('rule 12: every bad project is listed, each with its field, in words, in both languages', () => {
    const message = problems((s) => {
      s.projects[0]!.plannedInvestment = -1;
      s.projects[1]!.unitId = 'nowhere';
    });
    expect(message).toMatch(/projects #0 \(laikang\)\.plannedInvestment: .+ \/ .+/);
    expect(message).toMatch(/projects #1 \(\S+\)\.unitId: unknown unit nowhere \/ 没有单位 nowhere/);
    // (-1 is also below the 500 万元 入库 threshold the project claims to be registered at.)
    expect(message).toMatch(/^invalid scenario \(3 problem\(s\)\)/);
  });

  it('rule 12: a bad campaign and a bad target are listed together', () => {
    const message = problems((s) => {
      (s.campaign as Record<string, unknown>).landTaskMu = -5;
      (s.targets as Record<string, Record<string, unknown>>).sicong!['2022-13'] = { signed: 1 };
    });
    expect(message).toMatch(/campaign\.landTaskMu: /);
    expect(message).toMatch(/targets\.sicong\.2022-13/);
  });

  it('rule 13: an event dated after the campaign is refused at validation', () => {
    const message = problems((s) =>
      s.events.push({ at: '2023-08-02', by: 'hq-1', project: 'laikang', type: 'GREEN_CHANNEL' }),
    );
    expect(message).toMatch(
      /events #\d+ \(2023-08-02 GREEN_CHANNEL\)\.at: 2023-08-02 is after the campaign's last day/,
    );
  });

  it('rule 13: RAISE_PROBLEM on an unknown project is refused', () => {
    const message = problems((s) =>
      s.events.push({
        at: last,
        by: 'hq-1',
        type: 'RAISE_PROBLEM',
        problem: 'q1',
        projectId: 'nope',
        title: 't',
        source: 'inspection',
      }),
    );
    expect(message).toMatch(/\.projectId: unknown project nope/);
  });

  it('the Chaling scenario itself has no problem', () => {
    expect(problems(() => {})).toBe('');
  });
});
