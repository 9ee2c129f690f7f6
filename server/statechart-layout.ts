import { createRequire } from 'node:module';
import type { ELK as Elk, ELKConstructorArguments, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import type { Statechart, StatechartLayout } from '../engine/index.ts';

/** Width of text as the web app draws it (12 px sans: CJK ≈ 12.5 px, Latin ≈ 6.8 px a character). */
export function textWidth(text: string, px = 12): number {
  let width = 0;
  for (const ch of text) width += /[\u2E80-\uFFFF]/.test(ch) ? px * 1.05 : px * 0.58;
  return Math.ceil(width);
}

/** The label the web app writes on a transition (and the Mermaid output): `EVENT [rule]`. */
export function transitionText(t: Statechart['transitions'][number]): string {
  const name = t.event ?? 'always';
  return t.guard === null ? name : `${name} [${t.guard}]`;
}

// ELK's bundle is CommonJS (its types declare an ES default export it does not have at run time).
const ELK = createRequire(import.meta.url)('elkjs/lib/elk.bundled.js') as new (args?: ELKConstructorArguments) => Elk;

const LEAF_HEIGHT = 44;
const HEADER = 30;

/**
 * Lays a statechart out with ELK (the layered algorithm Stately's visualiser uses), on the
 * server: the layout depends only on the machine definition, so it is computed once per
 * machine version and cached, and the browser never loads ELK's 1.6 MB. Compound states
 * contain their children; parallel regions sit side by side; transitions are routed across
 * each container with its own (parallel regions packed in rows); every coordinate is absolute.
 */
export async function layoutStatechart(chart: Statechart): Promise<StatechartLayout> {
  const elk = new ELK();
  const kids = new Map<string, Statechart['states']>();
  for (const s of chart.states) if (s.parent !== null) kids.set(s.parent, [...(kids.get(s.parent) ?? []), s]);
  const parentOf = new Map(chart.states.map((st) => [st.id, st.parent]));
  const typeOf = new Map(chart.states.map((st) => [st.id, st.type]));
  const ancestors = (id: string): string[] => {
    const out: string[] = [];
    for (let p = parentOf.get(id) ?? null; p !== null; p = parentOf.get(p) ?? null) out.push(p);
    return out;
  };
  /**
   * The container an edge is laid out in: the lowest common ancestor of its ends — or, for an
   * edge from a state into its own descendant (a machine's root-level `on`), the state's parent.
   */
  const containerOf = (source: string, target: string) => {
    const up = ancestors(target);
    if (source === target || up.includes(source)) return parentOf.get(source) ?? '__root';
    const mine = new Set(up);
    return ancestors(source).find((a) => mine.has(a)) ?? '__root';
  };
  const edgesIn = new Map<string, ElkExtendedEdge[]>();
  for (const t of chart.transitions)
    (t.targets.length === 0 ? [t.source] : t.targets).forEach((target, i) => {
      const text = transitionText(t);
      const container = containerOf(t.source, target);
      edgesIn.set(container, [
        ...(edgesIn.get(container) ?? []),
        {
          id: `${t.id}#${i}`,
          sources: [t.source],
          targets: [target],
          labels: [{ text, width: textWidth(text, 11) + 8, height: 16 }],
        },
      ]);
    });
  const nodeOf = (state: Statechart['states'][number]): ElkNode => {
    const children = kids.get(state.id) ?? [];
    const wei = state.wei.map((w) => w.label.zh).join(' ');
    const label = Math.max(textWidth(state.label?.zh ?? state.key, 13), textWidth(state.key, 11), textWidth(wei, 11));
    if (children.length === 0)
      return { id: state.id, width: Math.max(label + 28, 90), height: wei === '' ? LEAF_HEIGHT : LEAF_HEIGHT + 14 };
    const parallel = typeOf.get(state.id) === 'parallel';
    return {
      id: state.id,
      layoutOptions: {
        'elk.padding': `[top=${HEADER + 10},left=14,bottom=14,right=14]`,
        'elk.nodeSize.constraints': 'MINIMUM_SIZE',
        'elk.nodeSize.minimum': `(${label + 40}, 60)`,
        // Parallel regions packed in rows (no transition crosses them); a compound state's flow top to bottom.
        ...(parallel
          ? {
              'elk.algorithm': 'rectpacking',
              'elk.hierarchyHandling': 'SEPARATE_CHILDREN',
              'elk.aspectRatio': '1.9',
              'elk.spacing.nodeNode': '24',
            }
          : {
              'elk.algorithm': 'layered',
              'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
              'elk.direction': 'DOWN',
              'elk.layered.spacing.nodeNodeBetweenLayers': '36',
              'elk.spacing.nodeNode': '28',
              'elk.spacing.edgeLabel': '4',
            }),
      },
      children: children.map(nodeOf),
      edges: edgesIn.get(state.id) ?? [],
    };
  };
  const root = chart.states[0]!;
  const graph: ElkNode = {
    id: '__root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.direction': 'DOWN',
      'elk.layered.spacing.nodeNodeBetweenLayers': '36',
      'elk.spacing.nodeNode': '28',
      'elk.json.shapeCoords': 'ROOT',
      'elk.json.edgeCoords': 'ROOT',
      'elk.edgeLabels.inline': 'false',
    },
    children: [nodeOf(root)],
    edges: edgesIn.get('__root') ?? [],
  };
  const laid = await elk.layout(graph);
  const nodes: StatechartLayout['nodes'] = {};
  const collect = (n: ElkNode) => {
    if (n.id !== '__root') nodes[n.id] = { x: n.x ?? 0, y: n.y ?? 0, width: n.width ?? 0, height: n.height ?? 0 };
    for (const c of n.children ?? []) collect(c);
  };
  collect(laid);
  const out: StatechartLayout['edges'] = {};
  const centre = (id: string): [number, number] => {
    const n = nodes[id]!;
    return [n.x + n.width / 2, n.y + n.height / 2];
  };
  const collectEdges = (n: ElkNode) => {
    for (const e of (n.edges ?? []) as ElkExtendedEdge[]) {
      const transitionId = e.id.slice(0, e.id.lastIndexOf('#'));
      const section = e.sections?.[0];
      // A container that does not route edges (packed regions): a straight line between the states.
      const points: [number, number][] = section
        ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map((p) => [p.x, p.y])
        : [centre(e.sources[0]!), centre(e.targets[0]!)];
      const l = e.labels?.[0];
      const label =
        l === undefined || l.x === undefined
          ? null
          : { x: l.x, y: l.y ?? 0, width: l.width ?? 0, height: l.height ?? 0 };
      out[transitionId] = [...(out[transitionId] ?? []), { points, label }];
    }
    for (const c of n.children ?? []) collectEdges(c);
  };
  collectEdges(laid);
  return { width: laid.width ?? 0, height: laid.height ?? 0, nodes, edges: out };
}
