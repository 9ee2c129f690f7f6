import { computed, defineComponent, onMounted, ref, watch, type PropType } from 'vue';
import type { Statechart, StatechartLayout } from '../../../engine/statechart.ts';
import { t } from '../i18n.ts';

export type Selection = { kind: 'state'; id: string } | { kind: 'transition'; id: string } | null;

/** The drawing's own styles, inside the SVG: an exported file looks as it does on the page. */
const SVG_STYLE = `
.sc-state rect.box { fill: #fff; stroke: #9ca3af; stroke-width: 1.2; }
.sc-state.compound > rect.box, .sc-state.parallel > rect.box { fill: #f8fafc; }
.sc-state.region > rect.box { stroke-dasharray: 6 4; fill: #fbfdff; }
.sc-state.root > rect.box { fill: #fff; stroke: #6b7280; }
.sc-state.final rect.inner { fill: none; stroke: #9ca3af; stroke-width: 1; }
.sc-state.active.leaf > rect.box { fill: #fff4d6; stroke: #c62828; stroke-width: 2.5; }
.sc-state.active:not(.leaf):not(.root) > rect.box { stroke: #c62828; }
.sc-state.whatif.leaf > rect.box { fill: #e8f5e9; stroke: #2e7d32; stroke-width: 2.5; stroke-dasharray: 5 3; }
.sc-state.selected > rect.box { stroke: #1d4ed8; stroke-width: 2.5; }
.sc-state text { font: 13px system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; fill: #111827; }
.sc-state text.key { font-size: 11px; fill: #6b7280; }
.sc-state text.head { font-weight: 600; }
.sc-state text.wei { font-size: 11px; fill: #c62828; }
.sc-init { fill: #111827; }
.sc-edge path { fill: none; stroke: #64748b; stroke-width: 1.3; }
.sc-edge.always path { stroke-dasharray: 5 4; stroke: #7c3aed; }
.sc-edge text { font: 11px ui-monospace, Menlo, Consolas, monospace; fill: #334155; }
.sc-edge.always text { fill: #6d28d9; }
.sc-edge rect.hit { fill: #fff; fill-opacity: 0.85; }
.sc-edge.possible path { stroke: #2563eb; stroke-width: 2; }
.sc-edge.selected path { stroke: #1d4ed8; stroke-width: 2.6; }
.sc-edge.flash path { stroke: #c62828; stroke-width: 3; }
.sc-edge.flash text { fill: #c62828; font-weight: 700; }
`;

/**
 * A statechart drawn from the machine's definition and ELK's layout (computed on the server):
 * compound states, parallel regions (dashed), initial markers, final states (double border),
 * transitions labelled `EVENT [rule]` — `always` ones dashed violet. Active states are lit;
 * wheel or buttons zoom, dragging pans; a click selects a state or a transition.
 */
export default defineComponent({
  name: 'GjStatechart',
  props: {
    chart: { type: Object as PropType<Statechart>, required: true },
    layout: { type: Object as PropType<StatechartLayout>, required: true },
    active: { type: Object as PropType<ReadonlySet<string>>, default: () => new Set() },
    whatIf: { type: Object as PropType<ReadonlySet<string>>, default: () => new Set() },
    possible: { type: Object as PropType<ReadonlySet<string>>, default: () => new Set() },
    flash: { type: Object as PropType<ReadonlySet<string>>, default: () => new Set() },
    selected: { type: Object as PropType<Selection>, default: null },
  },
  emits: { select: (_s: Selection) => true, drawn: (_ms: number) => true },
  setup(props, { emit, expose }) {
    const svg = ref<SVGSVGElement | null>(null);
    const pad = 16;
    const full = computed(() => ({
      x: -pad,
      y: -pad,
      w: props.layout.width + 2 * pad,
      h: props.layout.height + 2 * pad,
    }));
    const view = ref({ ...full.value });
    watch(full, (f) => (view.value = { ...f }));
    const fit = () => (view.value = { ...full.value });
    const zoom = (factor: number, cx = view.value.x + view.value.w / 2, cy = view.value.y + view.value.h / 2) => {
      const v = view.value;
      const w = Math.min(Math.max(v.w * factor, 80), full.value.w * 4);
      const h = (w / v.w) * v.h;
      view.value = { x: cx - ((cx - v.x) * w) / v.w, y: cy - ((cy - v.y) * h) / v.h, w, h };
    };
    const toChart = (e: { clientX: number; clientY: number }) => {
      const r = svg.value!.getBoundingClientRect();
      const v = view.value;
      // preserveAspectRatio xMidYMid meet: one scale, the drawing centred.
      const s = Math.min(r.width / v.w, r.height / v.h);
      return {
        x: v.x + (e.clientX - r.left - (r.width - v.w * s) / 2) / s,
        y: v.y + (e.clientY - r.top - (r.height - v.h * s) / 2) / s,
        s,
      };
    };
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const p = toChart(e);
      zoom(e.deltaY > 0 ? 1.15 : 1 / 1.15, p.x, p.y);
    };
    let drag: { x: number; y: number; vx: number; vy: number; s: number; moved: boolean } | null = null;
    const onDown = (e: PointerEvent) => {
      const p = toChart(e);
      drag = { x: e.clientX, y: e.clientY, vx: view.value.x, vy: view.value.y, s: p.s, moved: false };
    };
    const onMove = (e: PointerEvent) => {
      if (drag === null || (e.buttons & 1) === 0) return;
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
      if (drag.moved) view.value = { ...view.value, x: drag.vx - dx / drag.s, y: drag.vy - dy / drag.s };
    };
    const onUp = () => setTimeout(() => (drag = null), 0);
    const pick = (s: Selection) => {
      if (drag?.moved) return;
      emit('select', s);
    };

    /** The drawing as a standalone SVG file (its styles inside). */
    const exportSvg = (): string => {
      const clone = svg.value!.cloneNode(true) as SVGSVGElement;
      clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
      clone.setAttribute('viewBox', `${full.value.x} ${full.value.y} ${full.value.w} ${full.value.h}`);
      clone.setAttribute('width', String(full.value.w));
      clone.setAttribute('height', String(full.value.h));
      return new XMLSerializer().serializeToString(clone);
    };
    expose({ exportSvg, fit, zoom });

    const started = performance.now();
    onMounted(() => requestAnimationFrame(() => emit('drawn', performance.now() - started)));

    const depth = computed(() => {
      const parent = new Map(props.chart.states.map((s) => [s.id, s.parent]));
      const d = new Map<string, number>();
      for (const s of props.chart.states) {
        let n = 0;
        for (let p = s.parent; p !== null; p = parent.get(p) ?? null) n++;
        d.set(s.id, n);
      }
      return d;
    });
    const parents = computed(() => new Set(props.chart.states.map((s) => s.parent)));
    const byId = computed(() => new Map(props.chart.states.map((s) => [s.id, s])));

    return () => {
      const { chart, layout } = props;
      const v = view.value;
      // Outer states first, so inner ones are drawn on top of them.
      const states = [...chart.states].sort((a, b) => depth.value.get(a.id)! - depth.value.get(b.id)!);
      return (
        <div class="gj-sc">
          <div class="gj-sc-tools">
            <button type="button" onClick={() => zoom(1 / 1.25)} data-testid="zoom-in" title={t('放大', 'Zoom in')}>
              +
            </button>
            <button type="button" onClick={() => zoom(1.25)} data-testid="zoom-out" title={t('缩小', 'Zoom out')}>
              −
            </button>
            <button type="button" onClick={fit} data-testid="zoom-fit">
              {t('适应', 'Fit')}
            </button>
          </div>
          <svg
            ref={svg}
            class="gj-sc-svg"
            viewBox={`${v.x} ${v.y} ${v.w} ${v.h}`}
            preserveAspectRatio="xMidYMid meet"
            data-testid="statechart"
            data-machine={chart.kind}
            onWheel={onWheel}
            onPointerdown={onDown}
            onPointermove={onMove}
            onPointerup={onUp}
            role="img"
            aria-label={`${chart.label.zh} ${chart.machineId}`}
          >
            <style>{SVG_STYLE}</style>
            <defs>
              <marker
                id="sc-arrow"
                viewBox="0 0 10 10"
                refX="9"
                refY="5"
                markerWidth="7"
                markerHeight="7"
                orient="auto"
              >
                <path d="M0,0 L10,5 L0,10 z" fill="#64748b" />
              </marker>
            </defs>
            {states.map((s) => {
              const box = layout.nodes[s.id];
              if (box === undefined) return null;
              const leaf = !parents.value.has(s.id);
              const region = s.parent !== null && byId.value.get(s.parent)?.type === 'parallel';
              const cls = [
                'sc-state',
                s.type,
                leaf ? 'leaf' : '',
                region ? 'region' : '',
                s.parent === null ? 'root' : '',
                props.active.has(s.id) ? 'active' : '',
                props.whatIf.has(s.id) ? 'whatif' : '',
                props.selected?.kind === 'state' && props.selected.id === s.id ? 'selected' : '',
              ];
              const title = s.label?.zh ?? s.key;
              return (
                // biome-ignore lint/a11y/useSemanticElements: SVG has no <button>; a group with the role is the way
                <g
                  class={cls}
                  key={s.id}
                  data-state-id={s.id}
                  data-active={props.active.has(s.id) ? '1' : '0'}
                  role="button"
                  tabindex={0}
                  aria-label={`${title} ${s.key}`}
                  onClick={(e: MouseEvent) => {
                    e.stopPropagation();
                    pick({ kind: 'state', id: s.id });
                  }}
                  onKeydown={(e: KeyboardEvent) => e.key === 'Enter' && pick({ kind: 'state', id: s.id })}
                >
                  <rect class="box" x={box.x} y={box.y} width={box.width} height={box.height} rx={leaf ? 8 : 10} />
                  {s.type === 'final' ? (
                    <rect
                      class="inner"
                      x={box.x + 3}
                      y={box.y + 3}
                      width={box.width - 6}
                      height={box.height - 6}
                      rx={6}
                    />
                  ) : null}
                  {leaf ? (
                    <>
                      <text x={box.x + box.width / 2} y={box.y + 19} text-anchor="middle">
                        {title}
                      </text>
                      <text class="key" x={box.x + box.width / 2} y={box.y + 34} text-anchor="middle">
                        {s.key}
                      </text>
                    </>
                  ) : (
                    <text class="head" x={box.x + 10} y={box.y + 20}>
                      {title}
                      <tspan class="key" dx="6">
                        {s.parent === null ? chart.machineId : s.key}
                        {s.type === 'parallel' ? ` · ${t('并行', 'parallel')}` : ''}
                      </tspan>
                    </text>
                  )}
                  {s.wei.length > 0 && leaf ? (
                    <text class="wei" x={box.x + box.width / 2} y={box.y + 50} text-anchor="middle">
                      {s.wei.map((w) => w.label.zh).join(' ')}
                    </text>
                  ) : null}
                  {s.initial ? (
                    <g class="sc-init-marker" data-initial="1">
                      <circle class="sc-init" cx={box.x - 9} cy={box.y - 9} r={4} />
                      <path
                        d={`M${box.x - 6},${box.y - 6} L${box.x + 2},${box.y + 2}`}
                        stroke="#111827"
                        marker-end="url(#sc-arrow)"
                      />
                    </g>
                  ) : null}
                </g>
              );
            })}
            {chart.transitions.map((tr) => {
              const routes = layout.edges[tr.id] ?? [];
              const cls = [
                'sc-edge',
                tr.event === null ? 'always' : '',
                props.possible.has(tr.id) ? 'possible' : '',
                props.flash.has(tr.id) ? 'flash' : '',
                props.selected?.kind === 'transition' && props.selected.id === tr.id ? 'selected' : '',
              ];
              const text = tr.guard === null ? (tr.event ?? 'always') : `${tr.event ?? 'always'} [${tr.guard}]`;
              return (
                // biome-ignore lint/a11y/useSemanticElements: SVG has no <button>; a group with the role is the way
                <g
                  class={cls}
                  key={tr.id}
                  data-transition-id={tr.id}
                  data-event={tr.event ?? ''}
                  role="button"
                  tabindex={0}
                  aria-label={text}
                  onClick={(e: MouseEvent) => {
                    e.stopPropagation();
                    pick({ kind: 'transition', id: tr.id });
                  }}
                  onKeydown={(e: KeyboardEvent) => e.key === 'Enter' && pick({ kind: 'transition', id: tr.id })}
                >
                  {routes.map((r, i) => (
                    <g key={i}>
                      <path
                        d={r.points.map(([x, y], j) => `${j === 0 ? 'M' : 'L'}${x},${y}`).join(' ')}
                        marker-end="url(#sc-arrow)"
                      />
                      {r.label ? (
                        <>
                          <rect
                            class="hit"
                            x={r.label.x}
                            y={r.label.y}
                            width={r.label.width}
                            height={r.label.height}
                            rx={3}
                          />
                          <text x={r.label.x + 4} y={r.label.y + 12}>
                            {text}
                          </text>
                        </>
                      ) : null}
                    </g>
                  ))}
                </g>
              );
            })}
          </svg>
        </div>
      );
    };
  },
});
