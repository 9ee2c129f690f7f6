import type { AnyStateNode } from 'xstate';
import { WEI_LABELS, WEI_KEYS, WEI_WHEN, type Bilingual, type WeiKey } from '../machines/index.ts';
import type { AnyEntityKind } from './kinds/index.ts';

/** One state of a statechart, read from the machine's definition. */
export interface ChartState {
  /** XState's id (`project.lifecycle.signed`): unique in the machine. */
  id: string;
  key: string;
  /** The enclosing state's id; null for the machine itself. */
  parent: string | null;
  type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  /** The initial state of its parent (a compound parent; a parallel one enters every region). */
  initial: boolean;
  label: Bilingual | null;
  /** The 八未 a project is in while here (with the other regions' states it needs, if any). */
  wei: { key: WeiKey; label: Bilingual; with: Record<string, string> }[];
}

/** One transition: an event (or none: `always`) from a state to its targets, under a rule. */
export interface ChartTransition {
  id: string;
  source: string;
  /** Target state ids; empty for a transition that stays (it only updates the context). */
  targets: string[];
  /** The event type; null for an eventless (`always`) transition. */
  event: string | null;
  eventLabel: Bilingual | null;
  /** The guard's name (a rule, or a condition of an `always` transition); null if unguarded. */
  guard: string | null;
  /** The rule's checks, in order, when the guard is one of the machine's rules. */
  checks: readonly string[];
}

export interface Statechart {
  kind: string;
  machineId: string;
  label: Bilingual;
  version: number;
  states: ChartState[];
  transitions: ChartTransition[];
}

/** Where ELK put each state and transition: absolute coordinates, in pixels. */
export interface StatechartLayout {
  width: number;
  height: number;
  nodes: Record<string, { x: number; y: number; width: number; height: number }>;
  edges: Record<
    string,
    { points: [number, number][]; label: { x: number; y: number; width: number; height: number } | null }[]
  >;
}

type StateLabels = Readonly<Record<string, Bilingual | Readonly<Record<string, Bilingual>>>>;

function isBilingual(x: unknown): x is Bilingual {
  return typeof x === 'object' && x !== null && typeof (x as Bilingual).zh === 'string';
}

/** A state's label: `states[region][state]` for a parallel machine, `states[state]` otherwise. */
function labelOf(kind: AnyEntityKind, path: readonly string[]): Bilingual | null {
  const states = kind.labels.states as StateLabels;
  const regions = kind.labels.regions;
  if (path.length === 0) return kind.label;
  if (regions !== undefined) {
    if (path.length === 1) return regions[path[0]!] ?? null;
    const region = states[path[0]!];
    const label = isBilingual(region) ? undefined : region?.[path.at(-1)!];
    return label ?? null;
  }
  const label = states[path.at(-1)!];
  return isBilingual(label) ? label : null;
}

/** The 八未 whose definition names this state (region = the first key of the path). */
function weiOf(kind: AnyEntityKind, path: readonly string[]): ChartState['wei'] {
  if (kind.kind !== 'project' || path.length !== 2) return [];
  const [region, state] = path as [string, string];
  return WEI_KEYS.flatMap((key) => {
    const when = WEI_WHEN[key] as Record<string, string>;
    if (when[region] !== state) return [];
    const others = Object.fromEntries(Object.entries(when).filter(([r]) => r !== region));
    return [{ key, label: WEI_LABELS[key], with: others }];
  });
}

function guardName(guard: unknown): string | null {
  if (guard === undefined || guard === null) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') return guard.name || 'guard';
  if (typeof guard === 'object' && typeof (guard as { type?: unknown }).type === 'string')
    return (guard as { type: string }).type;
  return 'guard';
}

/**
 * A kind's statechart as data, read from its machine's definition (`machine.root`, walked):
 * every state with its type, initial marker, label and 八未; every transition with its event
 * (or none, for `always`), targets and rule. The inspector draws it; `gongjian machines`
 * prints it as Mermaid or JSON.
 */
export function statechartOf(kind: AnyEntityKind): Statechart {
  const states: ChartState[] = [];
  const transitions: ChartTransition[] = [];
  const eventLabels = kind.labels.events as Readonly<Record<string, Bilingual>>;
  const visit = (node: AnyStateNode, parent: AnyStateNode | null) => {
    const initialTargets = parent?.type === 'compound' ? (parent.initial?.target ?? []) : [];
    states.push({
      id: node.id,
      key: node.key,
      parent: parent?.id ?? null,
      type: node.type,
      initial: initialTargets.some((t) => t.id === node.id),
      label: labelOf(kind, node.path),
      wei: weiOf(kind, node.path),
    });
    const add = (t: { target?: readonly AnyStateNode[] | undefined; guard?: unknown }, event: string | null) => {
      const guard = guardName(t.guard);
      transitions.push({
        id: `${node.id}:${event ?? 'always'}:${transitions.length}`,
        source: node.id,
        targets: (t.target ?? []).map((target) => target.id),
        event,
        eventLabel: event === null ? null : (eventLabels[event] ?? null),
        guard,
        checks: guard === null ? [] : (kind.rules[guard] ?? []),
      });
    };
    for (const [event, list] of node.transitions) for (const t of list) add(t, event);
    for (const t of node.always ?? []) add(t, null);
    for (const child of Object.values(node.states)) visit(child, node);
  };
  visit(kind.machine.root, null);
  return {
    kind: kind.kind,
    machineId: kind.machine.id,
    label: kind.label,
    version: kind.version,
    states,
    transitions,
  };
}

/** Mermaid's name for a state id (letters, digits and _ only). */
const mermaidId = (id: string) => id.replace(/[^A-Za-z0-9_]/g, '_');

/**
 * The statechart as Mermaid `stateDiagram-v2`: composite states, parallel regions separated by
 * `--`, `[*]` for initial and final states, transitions labelled `EVENT [rule]` (an `always`
 * transition: `always [condition]`), a transition that stays drawn as a self-loop.
 */
export function toMermaid(chart: Statechart): string {
  const children = new Map<string | null, ChartState[]>();
  for (const s of chart.states) children.set(s.parent, [...(children.get(s.parent) ?? []), s]);
  const lines = ['stateDiagram-v2'];
  const label = (s: ChartState) => (s.label ? `${s.label.zh} ${s.key}` : s.key);
  const transitionLines = (t: ChartTransition): string[] => {
    const name = t.event ?? 'always';
    const text = t.guard === null ? name : `${name} [${t.guard}]`;
    const targets = t.targets.length === 0 ? [t.source] : t.targets;
    return targets.map((target) => `${mermaidId(t.source)} --> ${mermaidId(target)} : ${text}`);
  };
  // A state's transitions are written in its parent's scope, after the state itself.
  const block = (state: ChartState, indent: string) => {
    const kids = children.get(state.id) ?? [];
    lines.push(`${indent}state "${label(state)}" as ${mermaidId(state.id)}`);
    if (kids.length > 0) {
      lines.push(`${indent}state ${mermaidId(state.id)} {`);
      scope(state, kids, `${indent}  `);
      lines.push(`${indent}}`);
    }
  };
  const scope = (parent: ChartState, kids: ChartState[], indent: string) => {
    kids.forEach((kid, i) => {
      if (parent.type === 'parallel' && i > 0) lines.push(`${indent}--`);
      block(kid, indent);
      if (kid.initial) lines.push(`${indent}[*] --> ${mermaidId(kid.id)}`);
      if (kid.type === 'final') lines.push(`${indent}${mermaidId(kid.id)} --> [*]`);
      for (const t of chart.transitions.filter((x) => x.source === kid.id))
        for (const line of transitionLines(t)) lines.push(`${indent}${line}`);
    });
  };
  // The machine itself is a composite state (parallel regions need one around their `--`).
  const root = chart.states[0]!;
  block(root, '  ');
  if (root.type !== 'parallel') lines.push(`  [*] --> ${mermaidId(root.id)}`);
  for (const t of chart.transitions.filter((x) => x.source === root.id))
    for (const line of transitionLines(t)) lines.push(`  ${line}`);
  return `${lines.join('\n')}\n`;
}
