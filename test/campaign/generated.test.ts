import { describe, expect, it } from 'vitest';
import { Engine, kindOf, type KindName, generateScenario, parseScenario, simulate } from '../../engine/index.ts';
import {
  MAJOR_PROJECT_WAN,
  WEI_KEYS,
  weiKeys,
  type ProjectContext,
  type ProjectInput,
  type ProjectStateValue,
} from '../../machines/index.ts';
import { reportHtml } from '../../report/index.ts';
import { MemoryStore, type JournalEntry } from '../../store/index.ts';

const CASES: [number, number, number][] = [
  [40, 5, 1],
  [120, 10, 2],
  [300, 16, 3],
];

describe.each(CASES)('a generated campaign of %i projects, %i units (seed %i)', async (projects, units, seed) => {
  const scenario = parseScenario(generateScenario({ projects, units, seed }));
  const run = await simulate(scenario, { seed });
  const entries: JournalEntry[] = [];
  for await (const e of run.engine.store.entries()) entries.push(e);
  const { report } = run;
  const end = report.campaign.end;
  const inWindow = (date: string | null) => date !== null && date >= report.campaign.start && date <= end;

  it('no accepted event bypassed a guard: replayed from scratch, each was allowed in its pre-state', async () => {
    const fresh = new Engine({ store: new MemoryStore() });
    await fresh.open();
    let accepted = 0;
    for (const entry of entries) {
      if (entry.kind === 'event') {
        const before = fresh.get(entry.entity as KindName, entry.id)!;
        expect(kindOf(entry.entity).explain(before, entry.event), `seq ${entry.seq}`).toBeNull();
        accepted += 1;
      }
      await fresh.applyJournalEntry(entry);
    }
    expect(accepted).toBeGreaterThan(projects);
    expect(entries.some((e) => e.kind === 'refusal')).toBe(true);
  });

  it('the report’s totals equal what the replayed snapshots give, counted independently', async () => {
    const fresh = new Engine({ store: new MemoryStore() });
    await fresh.open();
    for (const entry of entries) await fresh.applyJournalEntry(entry);
    const inputs = new Map(
      entries.filter((e) => e.entity === 'project' && e.kind === 'create').map((e) => [e.id, e.input as ProjectInput]),
    );
    const park = new Set(scenario.units.filter((u) => u.group === 'park').map((u) => u.id));
    const finals = [...inputs.keys()].map((id) => ({
      input: inputs.get(id)!,
      context: fresh.get('project', id)!.context as ProjectContext,
    }));
    const count = (f: (p: (typeof finals)[number]) => boolean) => finals.filter(f).length;
    const major = (p: (typeof finals)[number]) => p.input.plannedInvestment >= MAJOR_PROJECT_WAN;
    const m = (p: (typeof finals)[number]) => p.context.milestones;
    expect(report.totals).toMatchObject({
      intoProduction: count((p) => inWindow(m(p).production)),
      reachedTarget: count((p) => inWindow(m(p).target)),
      bondProjectsAdvanced: count((p) => p.context.bond.disbursed > (p.input.bond?.disbursed ?? 0)),
      landSuppliedMu: finals.reduce((a, p) => a + (p.context.land?.clearedMu ?? 0) - (p.input.land?.clearedMu ?? 0), 0),
      housesDemolished: finals.reduce(
        (a, p) => a + (p.context.land?.demolished ?? 0) - (p.input.land?.demolished ?? 0),
        0,
      ),
      majorSignings: count((p) => major(p) && inWindow(m(p).signed)),
      majorStarted: count((p) => major(p) && inWindow(m(p).started)),
      xiangshangProjects: count(
        (p) => p.context.xiangshang && [m(p).signed, m(p).started, m(p).completed, m(p).production].some(inWindow),
      ),
      parkSignings: count((p) => park.has(p.input.unitId) && inWindow(m(p).signed)),
      parkStarts: count((p) => park.has(p.input.unitId) && inWindow(m(p).started)),
      parkCompletions: count((p) => park.has(p.input.unitId) && inWindow(m(p).completed)),
    });
  });

  it('the 八未 series moves exactly as the transitions of each day say', () => {
    const series = report.burnDown;
    for (let d = 1; d < series.length; d++) {
      const date = series[d]!.date;
      const delta = Object.fromEntries(WEI_KEYS.map((k) => [k, 0]));
      for (const e of entries) {
        if (e.entity !== 'project' || e.kind !== 'event' || e.at !== date) continue;
        for (const k of weiKeys({ value: e.from as ProjectStateValue })) delta[k]! -= 1;
        for (const k of weiKeys({ value: e.to as ProjectStateValue })) delta[k]! += 1;
      }
      for (const k of WEI_KEYS) expect(series[d]!.counts[k] - series[d - 1]!.counts[k], `${date} ${k}`).toBe(delta[k]);
    }
  });

  it('the same scenario and seed give byte-identical reports', async () => {
    const again = await simulate(scenario, { seed });
    expect(JSON.stringify(again.report)).toBe(JSON.stringify(report));
    expect(reportHtml(again.report)).toBe(reportHtml(report));
  });
});

describe('the scenario generator', () => {
  it('gives the same scenario for the same seed and a different one for another', () => {
    const a = JSON.stringify(generateScenario({ projects: 50, units: 6, seed: 9 }));
    expect(JSON.stringify(generateScenario({ projects: 50, units: 6, seed: 9 }))).toBe(a);
    expect(JSON.stringify(generateScenario({ projects: 50, units: 6, seed: 10 }))).not.toBe(a);
  });
});
