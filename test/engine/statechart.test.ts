import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AnyStateNode } from 'xstate';
import { describe, expect, it } from 'vitest';
import { ALL_KINDS, KINDS, statechartOf, toMermaid } from '../../engine/index.ts';
import { WEI_KEYS } from '../../machines/index.ts';
import { layoutStatechart } from '../../server/statechart-layout.ts';

// The inspector's statecharts are read from the machine definitions, not kept by hand: every
// state and transition of every machine, with its rule and the rule's checks.

function walk(root: AnyStateNode) {
  const states: string[] = [];
  const transitions: { source: string; event: string | null }[] = [];
  const visit = (node: AnyStateNode) => {
    states.push(node.id);
    for (const [event, list] of node.transitions) for (const _ of list) transitions.push({ source: node.id, event });
    for (const _ of node.always ?? []) transitions.push({ source: node.id, event: null });
    for (const child of Object.values(node.states)) visit(child);
  };
  visit(root);
  return { states, transitions };
}

describe('statechartOf: a machine’s definition as data', () => {
  for (const kind of ALL_KINDS)
    it(`${kind.kind}: every state and every transition of the definition, each rule with its checks`, () => {
      const chart = statechartOf(kind);
      const truth = walk(kind.machine.root);
      expect(chart.states.map((s) => s.id)).toEqual(truth.states);
      expect(chart.transitions.map((t) => ({ source: t.source, event: t.event }))).toEqual(truth.transitions);
      for (const t of chart.transitions) {
        if (t.guard !== null && t.guard in kind.rules) expect(t.checks).toEqual(kind.rules[t.guard]);
        for (const target of t.targets) expect(truth.states).toContain(target);
      }
      // Exactly one initial child in every compound state.
      for (const s of chart.states.filter((x) => x.type === 'compound'))
        expect(
          chart.states.filter((x) => x.parent === s.id && x.initial),
          s.id,
        ).toHaveLength(1);
    });

  it('project: six parallel regions, eventless transitions, a final state, and every 八未 on a state', () => {
    const chart = statechartOf(KINDS.project);
    expect(chart.states[0]!.type).toBe('parallel');
    expect(chart.states.filter((s) => s.parent === 'project').map((s) => s.key)).toEqual([
      'lifecycle',
      'permits',
      'land',
      'bond',
      'statistics',
      'support',
    ]);
    expect(chart.transitions.filter((t) => t.event === null).length).toBeGreaterThan(0);
    expect(chart.states.find((s) => s.id === 'project.lifecycle.dropped')?.type).toBe('final');
    const named = new Set(chart.states.flatMap((s) => s.wei.map((w) => w.key)));
    expect([...named].sort()).toEqual([...WEI_KEYS].sort());
    const start = chart.transitions.find((t) => t.event === 'START_CONSTRUCTION')!;
    expect(start).toMatchObject({ guard: 'canStartConstruction', targets: ['project.lifecycle.underConstruction'] });
    expect(start.checks).toEqual(['notDropped', 'datedInOrder', 'landReady', 'permitsComplete']);
  });
});

describe('the statechart as Mermaid and laid out by ELK', () => {
  for (const kind of ALL_KINDS)
    it(`${kind.kind}: Mermaid declares every state and writes every transition`, () => {
      const chart = statechartOf(kind);
      const text = toMermaid(chart);
      expect(text.startsWith('stateDiagram-v2\n')).toBe(true);
      for (const s of chart.states) expect(text).toContain(` as ${s.id.replace(/[^A-Za-z0-9_]/g, '_')}\n`);
      const arrows = text.split('\n').filter((l) => / --> /.test(l) && / : /.test(l));
      expect(arrows).toHaveLength(chart.transitions.reduce((n, t) => n + Math.max(1, t.targets.length), 0));
      const regions = chart.states.filter((s) => s.parent === chart.states[0]!.id).length;
      expect(text.split('\n').filter((l) => l.trim() === '--')).toHaveLength(
        chart.states[0]!.type === 'parallel' ? regions - 1 : 0,
      );
    });

  it('the README shows the project statechart exactly as `gongjian machines` prints it', async () => {
    const readme = await readFile(join(import.meta.dirname, '../../README.md'), 'utf8');
    const block = /```mermaid\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBe(toMermaid(statechartOf(KINDS.project)));
  });

  it('lays out every state inside its parent and routes every transition', async () => {
    for (const kind of ALL_KINDS) {
      const chart = statechartOf(kind);
      const layout = await layoutStatechart(chart);
      for (const s of chart.states) {
        const box = layout.nodes[s.id]!;
        expect(box.width, s.id).toBeGreaterThan(0);
        if (s.parent === null) continue;
        const outer = layout.nodes[s.parent]!;
        expect(box.x >= outer.x && box.x + box.width <= outer.x + outer.width + 0.5, s.id).toBe(true);
        expect(box.y >= outer.y && box.y + box.height <= outer.y + outer.height + 0.5, s.id).toBe(true);
      }
      for (const t of chart.transitions) expect(layout.edges[t.id]?.[0]?.points.length, t.id).toBeGreaterThan(1);
    }
  });
});

describe('gongjian machines', () => {
  const run = (...args: string[]) =>
    promisify(execFile)(process.execPath, [join(import.meta.dirname, '../../bin/gongjian.js'), 'machines', ...args]);

  it('prints one machine as Mermaid or JSON, and refuses an unknown machine or format', async () => {
    const mermaid = await run('--machine', 'problem');
    expect(mermaid.stdout).toBe(toMermaid(statechartOf(KINDS.problem)));
    const json = await run('--machine', 'campaign', '--format', 'json');
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(JSON.stringify(statechartOf(KINDS.campaign))));
    await expect(run('--machine', 'nothing')).rejects.toMatchObject({ code: 2 });
    await expect(run('--format', 'svg')).rejects.toMatchObject({ code: 2 });
  }, 30_000);
});
