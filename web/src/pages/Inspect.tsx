import {
  ElAlert,
  ElButton,
  ElOption,
  ElRadioButton,
  ElRadioGroup,
  ElSelect,
  ElSkeleton,
  ElSlider,
  ElTag,
} from 'element-plus';
import { computed, defineComponent, onBeforeUnmount, onMounted, ref, shallowRef, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import type { Statechart, StatechartLayout } from '../../../engine/statechart.ts';
import { api, ApiError } from '../api.ts';
import SchemaForm, { type Submitted } from '../components/SchemaForm.tsx';
import GjStatechart, { type Selection } from '../components/Statechart.tsx';
import { L, t } from '../i18n.ts';
import { onLive, type Notice } from '../live.ts';
import { eventSchema, type ObjectSchema } from '../schema.ts';

type Bilingual = { zh: string; en: string };
type Rejection = Bilingual & { rule: string };
interface MachineInfo {
  id: string;
  machineId: string;
  label: Bilingual;
  version: number;
}
interface Step {
  seq: number;
  kind: 'create' | 'event' | 'refusal';
  at: string | null;
  actor: string;
  recordedAt: string;
  event: ({ type: string } & Record<string, unknown>) | null;
  rejection: Rejection | null;
  version: number;
  value: unknown;
  context: Record<string, unknown>;
  wei: string[];
}
interface Instance {
  id: string;
  version: number;
  state: unknown;
  context: Record<string, unknown>;
  wei: (Bilingual & { key: string })[];
  events: { type: string; label: Bilingual; allowed: boolean; reason: Rejection | null }[];
}

/** The ids of the states a value makes active: `{ lifecycle: 'signed' }` → project.lifecycle and its `.signed`. */
export function activeStates(machineId: string, value: unknown): Set<string> {
  const out = new Set<string>([machineId]);
  const walk = (prefix: string, v: unknown) => {
    if (typeof v === 'string') out.add(`${prefix}.${v}`);
    else if (typeof v === 'object' && v !== null)
      for (const [k, sub] of Object.entries(v)) {
        out.add(`${prefix}.${k}`);
        walk(`${prefix}.${k}`, sub);
      }
  };
  walk(machineId, value);
  return out;
}

/** What changed between two contexts, key by key (nested keys with dots). */
function diff(before: unknown, after: unknown, path = ''): { path: string; from: unknown; to: unknown }[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (isObj(before) && isObj(after))
    return [...new Set([...Object.keys(before), ...Object.keys(after)])].flatMap((k) =>
      diff(before[k], after[k], path === '' ? k : `${path}.${k}`),
    );
  return [{ path, from: before, to: after }];
}

const CLICK_HINT = () => t('点击状态或迁移查看规则。', 'Click a state or a transition to see its rule.');

/** When, by whom, at which version: one line of a step. */
const stepLine = (s: { at: string | null; actor: string; version: number }) =>
  [s.at ?? '—', `${t('操作人', 'by')} ${s.actor}`, `${t('版本', 'version')} ${s.version}`].join(' · ');

const show = (x: unknown) => (x === undefined ? '—' : JSON.stringify(x));

/**
 * 状态机 inspector: every machine of the registry drawn from its definition (laid out by ELK
 * on the server); a live project lit up on its chart, updating from /api/stream, a refusal
 * flashing on the transition it tried; its journal replayed with a slider (← →); and a dry run
 * that tries an event on a copy. Addresses: /inspect, /inspect/:machine,
 * /inspect/project?instance=<id>.
 */
export default defineComponent({
  name: 'InspectPage',
  props: { machine: { type: String, default: '' } },
  setup(props) {
    const route = useRoute();
    const router = useRouter();
    const machines = shallowRef<MachineInfo[] | null>(null);
    const diagram = shallowRef<{ chart: Statechart; layout: StatechartLayout } | null>(null);
    const error = ref<string | null>(null);
    const selected = ref<Selection>(null);
    const instance = shallowRef<Instance | null>(null);
    const steps = shallowRef<Step[]>([]);
    const step = ref(0);
    const following = ref(true);
    const flash = shallowRef<{ transitions: Set<string>; rejection: Rejection; type: string } | null>(null);
    const found = shallowRef<{ id: string; name: string }[]>([]);
    const dryType = ref('');
    const drySchema = shallowRef<ObjectSchema | null>(null);
    const whatIf = shallowRef<{ to: unknown } | null>(null);
    const drawnMs = ref<number | null>(null);
    const chartRef = ref<{ exportSvg(): string } | null>(null);

    const kind = computed(() => props.machine || 'project');
    const instanceId = computed(() => (typeof route.query.instance === 'string' ? route.query.instance : ''));

    const loadDiagram = async () => {
      diagram.value = null;
      selected.value = null;
      drawnMs.value = null;
      try {
        diagram.value = (
          await api<{ chart: Statechart; layout: StatechartLayout }>(
            `/api/machines/${encodeURIComponent(kind.value)}/diagram`,
          )
        ).data;
        error.value = null;
      } catch (err) {
        error.value = err instanceof ApiError ? err.text : String(err);
      }
    };
    const loadInstance = async () => {
      whatIf.value = null;
      if (kind.value !== 'project' || instanceId.value === '') {
        instance.value = null;
        steps.value = [];
        return;
      }
      try {
        const id = encodeURIComponent(instanceId.value);
        const [p, r] = await Promise.all([
          api<Instance>(`/api/projects/${id}`),
          api<{ steps: Step[] }>(`/api/projects/${id}/replay`),
        ]);
        instance.value = p.data;
        steps.value = r.data.steps;
        if (following.value || step.value >= r.data.steps.length) step.value = r.data.steps.length - 1;
        error.value = null;
      } catch (err) {
        error.value = err instanceof ApiError ? err.text : String(err);
      }
    };
    onMounted(async () => {
      try {
        machines.value = (await api<{ machines: MachineInfo[] }>('/api/machines')).data.machines;
      } catch (err) {
        error.value = err instanceof ApiError ? err.text : String(err);
      }
    });
    watch(kind, () => void loadDiagram(), { immediate: true });
    watch(
      [kind, instanceId],
      () => {
        following.value = true;
        void loadInstance();
      },
      { immediate: true },
    );

    // Live: someone sent an event (or had one refused) — reload; a refusal flashes where it tried.
    const onNotice = async (n: Notice) => {
      const before = instance.value?.state;
      await loadInstance();
      if (n.kind !== 'refusal' || diagram.value === null) return;
      const last = steps.value.at(-1);
      if (last?.kind !== 'refusal' || last.rejection === null || last.event === null) return;
      const active = activeStates(diagram.value.chart.machineId, before);
      const tried = diagram.value.chart.transitions.filter(
        (tr) => tr.event === last.event!.type && active.has(tr.source),
      );
      flash.value = {
        transitions: new Set(tried.map((tr) => tr.id)),
        rejection: last.rejection,
        type: last.event.type,
      };
    };
    onLive(
      (n) => void onNotice(n),
      (n) => n.entity === 'project' && n.id === instanceId.value,
      100,
    );

    const shown = computed(() => steps.value[step.value] ?? null);
    const active = computed(() => {
      const d = diagram.value;
      if (d === null) return new Set<string>();
      const value = shown.value?.value ?? instance.value?.state;
      return value === undefined ? new Set<string>() : activeStates(d.chart.machineId, value);
    });
    /** The states a dry run would enter (those it would leave stay lit as they are). */
    const whatIfStates = computed(() => {
      const d = diagram.value;
      const p = instance.value;
      if (whatIf.value === null || d === null || p === null) return new Set<string>();
      const now = activeStates(d.chart.machineId, p.state);
      return new Set([...activeStates(d.chart.machineId, whatIf.value.to)].filter((id) => !now.has(id)));
    });
    /** The transitions the live project could take now (its state allows them; the payload is checked on sending). */
    const possible = computed(() => {
      const d = diagram.value;
      const p = instance.value;
      if (d === null || p === null || step.value !== steps.value.length - 1) return new Set<string>();
      const now = activeStates(d.chart.machineId, p.state);
      const open = new Set(p.events.filter((e) => e.reason === null || !isRuleReason(e.reason)).map((e) => e.type));
      return new Set(
        d.chart.transitions
          .filter((tr) => tr.event !== null && open.has(tr.event) && now.has(tr.source))
          .map((tr) => tr.id),
      );
    });

    const keys = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      // Typing in a field, or the slider's own keys: not ours.
      if (steps.value.length === 0 || target?.closest?.('input, textarea, select, .el-slider') != null) return;
      if (e.key === 'ArrowLeft') setStep(step.value - 1);
      if (e.key === 'ArrowRight') setStep(step.value + 1);
    };
    const setStep = (n: number) => {
      step.value = Math.max(0, Math.min(steps.value.length - 1, n));
      following.value = step.value === steps.value.length - 1;
    };
    onMounted(() => window.addEventListener('keydown', keys));
    onBeforeUnmount(() => window.removeEventListener('keydown', keys));

    let searchSeq = 0;
    const search = async (q: string) => {
      const mine = ++searchSeq;
      const params = new URLSearchParams({ pageSize: '20', ...(q.trim() ? { q: q.trim() } : {}) });
      const res = await api<{ projects: { id: string; name: string }[] }>(`/api/projects?${params}`).catch(() => null);
      if (res !== null && mine === searchSeq) found.value = res.data.projects;
    };
    onMounted(() => void search(''));

    watch(dryType, async (type) => {
      whatIf.value = null;
      drySchema.value = type === '' ? null : ((await eventSchema('ProjectEvent', type)) ?? null);
    });
    const dryRun = async (body: Record<string, unknown>): Promise<Submitted> => {
      const p = instance.value!;
      try {
        const res = await api<{ to: unknown }>(`/api/projects/${encodeURIComponent(p.id)}/events?dryRun=1`, {
          method: 'POST',
          body: { type: dryType.value, ...body },
          headers: { 'If-Match': `"${p.version}"` },
        });
        whatIf.value = { to: res.data.to };
        const message = t('可以办理(试算,未记录)', 'Would be accepted (dry run, nothing recorded)');
        return { ok: true, message };
      } catch (err) {
        whatIf.value = null;
        if (!(err instanceof ApiError)) throw err;
        return { ok: false, error: err };
      }
    };

    const download = () => {
      const text = chartRef.value?.exportSvg();
      if (text === undefined) return;
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
      a.download = `${kind.value}-statechart.svg`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    };

    const detail = () => {
      const d = diagram.value;
      const s = selected.value;
      if (d === null || s === null) return <p class="gj-muted">{CLICK_HINT()}</p>;
      if (s.kind === 'state') {
        const st = d.chart.states.find((x) => x.id === s.id);
        if (st === undefined) return null;
        return (
          <div data-testid="detail-state">
            <h3>
              {L(st.label ?? undefined, st.key)} <code>{st.id}</code>
            </h3>
            <p>
              {t('类型', 'Type')}:{st.type}
              {st.initial ? ` · ${t('初始状态', 'initial')}` : ''}
            </p>
            {st.wei.length > 0 ? (
              <p data-testid="detail-wei">
                {t('“八未”', '八未')}:
                {st.wei.map((w) => (
                  <ElTag type="danger" key={w.key} style="margin-right:4px">
                    {L(w.label)}
                    {Object.keys(w.with).length > 0
                      ? `(${t('且', 'with')} ${Object.entries(w.with)
                          .map(([r, v]) => `${r}=${v}`)
                          .join(', ')})`
                      : ''}
                  </ElTag>
                ))}
              </p>
            ) : (
              <p class="gj-muted">{t('此状态不计入“八未”。', 'Not one of the 八未.')}</p>
            )}
          </div>
        );
      }
      const tr = d.chart.transitions.find((x) => x.id === s.id);
      if (tr === undefined) return null;
      const option = instance.value?.events.find((e) => e.type === tr.event);
      return (
        <div data-testid="detail-transition">
          <h3>
            <code>{tr.event ?? 'always'}</code> {tr.eventLabel ? L(tr.eventLabel) : t('(自动迁移)', '(eventless)')}
          </h3>
          <p>
            {t('从', 'From')} <code>{tr.source}</code> {t('到', 'to')}{' '}
            {tr.targets.length === 0
              ? t('(原状态,只更新数据)', '(stays; updates the data)')
              : tr.targets.map((x) => <code key={x}>{x} </code>)}
          </p>
          <p data-testid="detail-rule">
            {t('规则', 'Rule')}:<code>{tr.guard ?? t('无', 'none')}</code>
            {tr.checks.length > 0 ? ` — ${t('依次检查', 'checks')} ${tr.checks.join(' → ')}` : ''}
          </p>
          {option?.reason ? (
            <ElAlert
              type="warning"
              closable={false}
              data-testid="detail-reason"
              title={`${option.reason.rule}:${option.reason.zh}`}
              description={option.reason.en}
            />
          ) : option ? (
            <ElAlert
              type="success"
              closable={false}
              title={t('当前项目可以办理此事项', 'The project could take this now')}
            />
          ) : null}
        </div>
      );
    };

    const timeline = () => {
      const list = steps.value;
      if (list.length === 0) return null;
      const cur = shown.value!;
      const prev = list[step.value - 1];
      const changes = prev === undefined ? [] : diff(prev.context, cur.context);
      return (
        <section class="gj-card" data-testid="timeline">
          <h2>
            {t('时间回溯', 'Time travel')} · {step.value + 1} / {list.length}
            {following.value ? (
              <ElTag size="small" style="margin-left:8px">
                {t('最新', 'latest')}
              </ElTag>
            ) : null}
          </h2>
          <ElSlider
            modelValue={step.value}
            min={0}
            max={list.length - 1}
            step={1}
            showStops={list.length <= 60}
            onUpdate:modelValue={(n: number | number[]) => setStep(Array.isArray(n) ? n[0]! : n)}
            formatTooltip={(n: number) => `#${list[n]?.seq ?? ''}`}
            data-testid="time-slider"
          />
          <div class="gj-step" data-testid="step" data-kind={cur.kind} data-seq={cur.seq}>
            <p>
              <strong>
                {cur.kind === 'create'
                  ? t('登记', 'Created')
                  : cur.kind === 'refusal'
                    ? t('被拒绝', 'Refused')
                    : t('已受理', 'Accepted')}
              </strong>{' '}
              {cur.event ? <code>{cur.event.type}</code> : null} · {stepLine(cur)}
            </p>
            {cur.rejection ? (
              <ElAlert
                type="error"
                closable={false}
                data-testid="step-rejection"
                title={`${cur.rejection.rule}:${cur.rejection.zh}`}
                description={cur.rejection.en}
              />
            ) : null}
            {changes.length > 0 ? (
              <table class="gj-diff" data-testid="step-diff">
                <tbody>
                  {changes.map((c) => (
                    <tr key={c.path}>
                      <td>
                        <code>{c.path}</code>
                      </td>
                      <td class="from">{show(c.from)}</td>
                      <td>→</td>
                      <td class="to">{show(c.to)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : cur.kind === 'event' ? (
              <p class="gj-muted">{t('数据无变化', 'No change to the data')}</p>
            ) : null}
          </div>
          <p class="gj-muted">{t('← → 键逐步查看', '← → step through')}</p>
        </section>
      );
    };

    return () => {
      if (machines.value === null && error.value === null) return <ElSkeleton rows={6} />;
      const d = diagram.value;
      const p = instance.value;
      return (
        <div data-testid="inspect">
          <div class="gj-title">
            <h1>{t('状态机', 'Machines')}</h1>
            <span class="gj-sub">{t('业务规则所在之处', 'where the rules live')}</span>
          </div>
          <div class="gj-filters">
            <ElRadioGroup
              modelValue={kind.value}
              onUpdate:modelValue={(k: string | number | boolean | undefined) =>
                void router.push(`/inspect/${String(k)}`)
              }
              data-testid="machine-pick"
            >
              {(machines.value ?? []).map((m) => (
                <ElRadioButton value={m.id} key={m.id} data-testid={`machine-${m.id}`}>
                  {L(m.label)}
                </ElRadioButton>
              ))}
            </ElRadioGroup>
            {kind.value === 'project' ? (
              <ElSelect
                modelValue={instanceId.value}
                filterable
                remote
                clearable
                remoteMethod={(q: string) => void search(q)}
                placeholder={t('选择项目(编号或名称)', 'Pick a project (id or name)')}
                onUpdate:modelValue={(id: string) =>
                  void router.push({ path: '/inspect/project', query: id ? { instance: id } : {} })
                }
                data-testid="instance-pick"
                style="min-width:260px"
              >
                {found.value.map((f) => (
                  <ElOption value={f.id} label={`${f.name}(${f.id})`} key={f.id} />
                ))}
              </ElSelect>
            ) : null}
            <ElButton onClick={download} data-testid="export-svg">
              {t('导出 SVG', 'Export SVG')}
            </ElButton>
          </div>
          {error.value !== null ? <ElAlert type="error" closable={false} title={error.value} /> : null}
          {flash.value !== null ? (
            <ElAlert
              type="error"
              closable
              onClose={() => (flash.value = null)}
              data-testid="flash"
              title={`${t('刚被拒绝', 'Just refused')} ${flash.value.type} · ${flash.value.rejection.rule}:${L(
                flash.value.rejection,
              )}`}
            />
          ) : null}
          <div class="gj-inspect">
            <section class="gj-card gj-inspect-chart">
              {d === null ? (
                <ElSkeleton rows={8} />
              ) : (
                <GjStatechart
                  ref={chartRef}
                  chart={d.chart}
                  layout={d.layout}
                  active={active.value}
                  whatIf={whatIfStates.value}
                  possible={possible.value}
                  flash={flash.value?.transitions ?? new Set()}
                  selected={selected.value}
                  onSelect={(s: Selection) => (selected.value = s)}
                  onDrawn={(ms: number) => (drawnMs.value = ms)}
                />
              )}
              <p class="gj-muted gj-legend">
                <span class="lg active" /> {t('当前状态', 'active')} <span class="lg possible" />{' '}
                {t('现在可办理', 'possible now')} <span class="lg always" />{' '}
                {t('自动迁移(always)', 'eventless (always)')} <span class="lg whatif" />{' '}
                {t('试算结果', 'dry-run result')}
                {drawnMs.value !== null ? (
                  <span data-testid="drawn-ms" data-ms={Math.round(drawnMs.value)}>
                    {' '}
                    · {t('绘制', 'drawn in')} {Math.round(drawnMs.value)} ms
                  </span>
                ) : null}
              </p>
            </section>
            <aside class="gj-inspect-side">
              <section class="gj-card" data-testid="detail">
                <h2>{t('规则', 'Rule')}</h2>
                {detail()}
              </section>
              {p !== null ? (
                <section class="gj-card" data-testid="instance">
                  <h2>
                    {p.id} · {t('版本', 'version')} <span data-testid="instance-version">{p.version}</span>
                  </h2>
                  <p>
                    {p.wei.length === 0
                      ? t('不在“八未”中', 'in none of the 八未')
                      : p.wei.map((w) => (
                          <ElTag type="danger" key={w.key} style="margin-right:4px">
                            {L(w)}
                          </ElTag>
                        ))}
                  </p>
                  <pre class="gj-context" data-testid="instance-context">
                    {JSON.stringify(shown.value?.context ?? p.context, null, 1)}
                  </pre>
                </section>
              ) : null}
              {p !== null ? (
                <section class="gj-card" data-testid="dry-run">
                  <h2>{t('试算(不记录)', 'Dry run (nothing recorded)')}</h2>
                  <ElSelect
                    modelValue={dryType.value}
                    onUpdate:modelValue={(v: string) => (dryType.value = v)}
                    placeholder={t('选择事项', 'Pick an event')}
                    data-testid="dry-type"
                  >
                    {p.events.map((e) => (
                      <ElOption value={e.type} label={`${L(e.label)} ${e.type}`} key={e.type} />
                    ))}
                  </ElSelect>
                  {whatIf.value !== null ? (
                    <p data-testid="dry-outcome-states">
                      {whatIfStates.value.size === 0
                        ? t('状态不变(只更新数据)', 'No state change (only the data)')
                        : `${t('将进入', 'Would enter')} ${[...whatIfStates.value]
                            .filter((id) =>
                              diagram.value?.chart.states.some((x) => x.id === id && x.type !== 'parallel'),
                            )
                            .join(', ')}`}
                    </p>
                  ) : null}
                  {drySchema.value !== null ? (
                    <SchemaForm
                      key={dryType.value}
                      schema={drySchema.value}
                      submitLabel={t('试算', 'Try it')}
                      testid="dry-form"
                      submit={(body) => dryRun(body)}
                    />
                  ) : null}
                </section>
              ) : null}
            </aside>
          </div>
          {timeline()}
        </div>
      );
    };
  },
});

/** A reason that names a rule of the machine (not the person's role or unit). */
function isRuleReason(reason: { rule: string }): boolean {
  return !['role', 'unit', 'otherUnit', 'forbidden'].includes(reason.rule);
}
