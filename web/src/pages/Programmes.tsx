import { ElAlert, ElOption, ElSelect, ElSkeleton, ElTable, ElTableColumn, ElTag } from 'element-plus';
import { computed, defineComponent, onMounted, ref, shallowRef, watch } from 'vue';
import { RouterLink } from 'vue-router';
import type { ProgrammeRollup, WeiKey } from '../../../machines/index.ts';
import { api, ApiError } from '../api.ts';
import { unitNames } from '../campaign.ts';
import SchemaForm, { type Submitted } from '../components/SchemaForm.tsx';
import { L, num, t } from '../i18n.ts';
import { onLive } from '../live.ts';
import { eventSchema, type ObjectSchema } from '../schema.ts';
import { vocab } from '../session.ts';

interface SubProject {
  id: string;
  name: string;
  unitId: string;
  stage: string;
  wei: string[];
  plannedInvestment: number;
  capacity: { value: number; unit: string } | null;
  landMu: number;
}
interface Programme {
  id: string;
  name: string;
  enterprise?: string;
  plannedInvestment: number;
  version: number;
  rollup: ProgrammeRollup;
  subProjects?: SubProject[];
  subProjectIds?: string[];
}
interface BatchAnswer {
  accepted: number;
  filed: number;
  rejected: number;
  forbidden: number;
  results: { projectId: string; status: string; rule?: string; zh?: string; en?: string }[];
}

/** Events a groundbreaking day (or a completion day) sends to many plants at once. */
const BATCH_TYPES = ['START_CONSTRUCTION', 'COMPLETE', 'START_PRODUCTION', 'REPORT_CLEARANCE', 'SIGN'];

/**
 * 项目群: programmes as one line each — declared totals against what their sub-projects add up
 * to (stages, 八未, land, money, capacity) — that open into their sub-projects; a programme's page
 * sends one event to the chosen sub-projects at once, each answered on its own line.
 */
export default defineComponent({
  name: 'ProgrammesPage',
  props: { id: { type: String, default: '' } },
  setup(props) {
    const list = shallowRef<Programme[] | null>(null);
    const one = shallowRef<Programme | null>(null);
    const names = shallowRef(new Map<string, string>());
    const error = ref<string | null>(null);
    const chosen = ref<string[]>([]);
    const batchType = ref('START_CONSTRUCTION');
    const batchSchema = shallowRef<ObjectSchema | null>(null);
    const answer = shallowRef<BatchAnswer | null>(null);

    const load = async () => {
      try {
        if (props.id === '') {
          list.value = (await api<{ programmes: Programme[] }>('/api/programmes')).data.programmes;
          one.value = null;
        } else one.value = (await api<Programme>(`/api/programmes/${encodeURIComponent(props.id)}`)).data;
        error.value = null;
      } catch (err) {
        error.value = err instanceof ApiError ? err.text : String(err);
      }
    };
    const loadSchema = async () => {
      batchSchema.value = (await eventSchema('ProjectEvent', batchType.value)) ?? null;
    };
    onMounted(async () => {
      names.value = await unitNames().catch(() => new Map());
      await Promise.all([load(), loadSchema()]);
    });
    watch(() => props.id, load);
    watch(batchType, loadSchema);
    onLive(
      () => void load(),
      (n) => n.entity === 'project' || n.entity === 'programme',
      500,
    );

    const stageLabel = (s: string) =>
      L((vocab.value?.states.lifecycle as Record<string, { zh: string; en: string }> | undefined)?.[s], s);
    const money = (wan: number) =>
      wan >= 10000 ? `${num(wan / 10000)} ${t('亿元', '×100m yuan')}` : `${num(wan)} ${t('万元', '×10k yuan')}`;

    const sendBatch = async (body: Record<string, unknown>, key: string): Promise<Submitted> => {
      try {
        const res = await api<BatchAnswer>(`/api/programmes/${encodeURIComponent(props.id)}/batch`, {
          method: 'POST',
          body: {
            event: { type: batchType.value, ...body },
            ...(chosen.value.length > 0 ? { projects: chosen.value } : {}),
          },
          headers: { 'Idempotency-Key': key },
        });
        answer.value = res.data;
        await load();
        return {
          ok: true,
          message: t(
            `已办理 ${res.data.accepted} 个,提交审核 ${res.data.filed} 个,未通过 ${res.data.rejected} 个,无权 ${res.data.forbidden} 个`,
            `${res.data.accepted} done, ${res.data.filed} filed for review, ${res.data.rejected} refused, ` +
              `${res.data.forbidden} forbidden`,
          ),
        };
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        return { ok: false, error: err };
      }
    };

    const rollupFigures = (r: ProgrammeRollup) => [
      [t('子项目', 'Sub-projects'), `${r.subProjects}`],
      [
        t('计划投资(子项目合计 / 申报)', 'Planned (sub-projects / declared)'),
        `${money(r.investment.planned)} / ${money(r.investment.declared)}`,
      ],
      [
        t('已签约 · 已开工 · 已竣工', 'Signed · started · completed'),
        `${money(r.investment.signed)} · ${money(r.investment.started)} · ${money(r.investment.completed)}`,
      ],
      [t('完成投资', 'Invested'), money(r.investment.invested)],
      [
        t('征拆(已清 / 需征)', 'Land (cleared / required)'),
        `${num(r.land.clearedMu)} / ${num(r.land.requiredMu)} ${t('亩', 'mu')}`,
      ],
      ...(r.capacity === null
        ? []
        : [
            [
              t('规模(开工 / 投产 / 合计)', 'Capacity (started / in production / total)'),
              [r.capacity.started, r.capacity.inProduction, r.capacity.total].map((x) => num(x)).join(' / ') +
                ` ${r.capacity.unit}`,
            ],
          ]),
    ];
    const stages = (r: ProgrammeRollup) =>
      Object.entries(r.byStage)
        .map(([s, n]) => `${stageLabel(s)} ${n}`)
        .join(t('、', ', '));
    const chosenSet = computed(() => new Set(chosen.value));
    const reasonOf = (x: BatchAnswer['results'][number]) => (x.zh === undefined ? '' : L({ zh: x.zh, en: x.en ?? '' }));

    return () => {
      const v = vocab.value;
      if (error.value !== null) return <ElAlert type="error" closable={false} title={error.value} />;
      if (props.id === '') {
        if (list.value === null) return <ElSkeleton rows={6} animated />;
        return (
          <div data-testid="programmes">
            <div class="gj-title">
              <h1>{t('项目群', 'Programmes')}</h1>
              <span class="gj-sub">
                {t('打捆项目按子项目汇总,一行一个项目群', 'Programmes of sub-projects, one line each, rolled up')}
              </span>
            </div>
            <ElTable
              data={list.value}
              rowKey="id"
              data-testid="programmes-table"
              emptyText={t('没有项目群', 'No programmes')}
            >
              <ElTableColumn label={t('项目群', 'Programme')} minWidth="220">
                {{
                  default: ({ row }: { row: Programme }) => (
                    <div>
                      <RouterLink to={`/programmes/${encodeURIComponent(row.id)}`} data-testid={`programme-${row.id}`}>
                        {row.name}
                      </RouterLink>
                      <div class="gj-muted">{row.enterprise ?? ''}</div>
                    </div>
                  ),
                }}
              </ElTableColumn>
              <ElTableColumn label={t('子项目', 'Sub-projects')} width="110" align="right">
                {{ default: ({ row }: { row: Programme }) => row.rollup.subProjects }}
              </ElTableColumn>
              <ElTableColumn label={t('阶段', 'Stages')} minWidth="200">
                {{ default: ({ row }: { row: Programme }) => stages(row.rollup) }}
              </ElTableColumn>
              <ElTableColumn label={t('计划投资', 'Planned')} width="140" align="right">
                {{ default: ({ row }: { row: Programme }) => money(row.rollup.investment.declared) }}
              </ElTableColumn>
              <ElTableColumn label={t('征拆', 'Land')} width="150" align="right">
                {{
                  default: ({ row }: { row: Programme }) =>
                    `${num(row.rollup.land.clearedMu)} / ${num(row.rollup.land.requiredMu)} ${t('亩', 'mu')}`,
                }}
              </ElTableColumn>
              <ElTableColumn label={t('核对', 'Check')} width="120">
                {{
                  default: ({ row }: { row: Programme }) =>
                    row.rollup.discrepancies.length === 0 ? (
                      <ElTag type="success" size="small">
                        {t('一致', 'adds up')}
                      </ElTag>
                    ) : (
                      <ElTag type="warning" size="small">
                        {t(`${row.rollup.discrepancies.length} 处不一致`, `${row.rollup.discrepancies.length} differ`)}
                      </ElTag>
                    ),
                }}
              </ElTableColumn>
            </ElTable>
          </div>
        );
      }
      const g = one.value;
      if (g === null || v === null) return <ElSkeleton rows={8} animated />;
      const r = g.rollup;
      return (
        <div data-testid="programme">
          <div class="gj-title">
            <h1 data-testid="programme-name">{g.name}</h1>
            <span class="gj-sub">
              {g.id} · {g.enterprise ?? ''} ·{' '}
              <RouterLink to={{ path: '/projects', query: { programme: g.id } }}>
                {t('在项目台账中查看', 'in the project list')}
              </RouterLink>
            </span>
          </div>
          <div class="gj-grid">
            <section class="gj-card">
              <h2>{t('汇总(由子项目计算)', 'Roll-up (computed from the sub-projects)')}</h2>
              <dl class="gj-kv" data-testid="rollup">
                {rollupFigures(r).map(([k, value]) => (
                  <>
                    <dt>{k}</dt>
                    <dd>{value}</dd>
                  </>
                ))}
                <dt>{t('阶段', 'Stages')}</dt>
                <dd>{stages(r)}</dd>
                <dt>{t('“八未”', '八未')}</dt>
                <dd class="gj-tags">
                  {(v.weiKeys as readonly WeiKey[])
                    .filter((k) => r.wei[k] > 0)
                    .map((k) => (
                      <ElTag type="warning" size="small" key={k}>
                        {L(v.wei[k])} {r.wei[k]}
                      </ElTag>
                    ))}
                </dd>
              </dl>
              {r.discrepancies.map((d) => (
                <ElAlert
                  type="warning"
                  closable={false}
                  title={L(d)}
                  key={d.field}
                  style="margin-top:6px"
                  data-testid="discrepancy"
                />
              ))}
            </section>
            <section class="gj-card" data-testid="batch">
              <h2>{t('批量办理', 'One event for many sub-projects')}</h2>
              <p class="gj-muted">
                {chosen.value.length === 0
                  ? t('未勾选子项目:发给全部子项目', 'No sub-project ticked: sent to all of them')
                  : t(`已勾选 ${chosen.value.length} 个子项目`, `${chosen.value.length} sub-projects ticked`)}
                {t(';每个子项目各自校验,逐个答复', '; each is checked on its own and answered on its own line')}
              </p>
              <ElSelect
                modelValue={batchType.value}
                onUpdate:modelValue={(x: string) => (batchType.value = x)}
                style="width:100%;margin-bottom:8px"
                data-testid="batch-type"
              >
                {BATCH_TYPES.map((type) => (
                  <ElOption value={type} label={L(v.events[type as 'SIGN'], type)} key={type} />
                ))}
              </ElSelect>
              {batchSchema.value !== null ? (
                <SchemaForm
                  key={batchType.value}
                  schema={batchSchema.value}
                  submitLabel={t('批量办理', 'Send to the sub-projects')}
                  testid="batch-form"
                  submit={sendBatch}
                />
              ) : null}
            </section>
          </div>
          {answer.value !== null ? (
            <section class="gj-card" style="margin-top:16px" data-testid="batch-results">
              <h2>{t('办理结果', 'Outcome, sub-project by sub-project')}</h2>
              <ul>
                {answer.value.results.map((x) => (
                  <li key={x.projectId} data-status={x.status} class={x.status === 'accepted' ? '' : 'gj-bad'}>
                    {g.subProjects?.find((s) => s.id === x.projectId)?.name ?? x.projectId}:
                    {x.status === 'accepted'
                      ? t('已办理', 'done')
                      : x.status === 'filed'
                        ? t('已提交审核', 'filed for review')
                        : `${x.status === 'forbidden' ? t('无权', 'forbidden') : t('未通过', 'refused')} — ${reasonOf(x)}`}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <section class="gj-card" style="margin-top:16px">
            <h2>
              {t('子项目', 'Sub-projects')}({g.subProjects?.length ?? 0})
            </h2>
            <ElTable
              data={g.subProjects ?? []}
              rowKey="id"
              data-testid="sub-projects"
              onSelection-change={(rows: SubProject[]) => (chosen.value = rows.map((x) => x.id))}
            >
              <ElTableColumn type="selection" width="44" />
              <ElTableColumn label={t('子项目', 'Sub-project')} minWidth="200">
                {{
                  default: ({ row }: { row: SubProject }) => (
                    <RouterLink
                      to={`/projects/${encodeURIComponent(row.id)}`}
                      class={chosenSet.value.has(row.id) ? 'gj-strong' : ''}
                    >
                      {row.name}
                    </RouterLink>
                  ),
                }}
              </ElTableColumn>
              <ElTableColumn label={t('责任单位', 'Unit')} width="130">
                {{ default: ({ row }: { row: SubProject }) => names.value.get(row.unitId) ?? row.unitId }}
              </ElTableColumn>
              <ElTableColumn label={t('阶段', 'Stage')} width="110">
                {{ default: ({ row }: { row: SubProject }) => stageLabel(row.stage) }}
              </ElTableColumn>
              <ElTableColumn label={t('规模', 'Capacity')} width="100" align="right">
                {{
                  default: ({ row }: { row: SubProject }) =>
                    row.capacity === null ? '—' : `${num(row.capacity.value)} ${row.capacity.unit}`,
                }}
              </ElTableColumn>
              <ElTableColumn label={t('计划投资(万元)', 'Planned (10k yuan)')} width="140" align="right">
                {{ default: ({ row }: { row: SubProject }) => num(row.plannedInvestment) }}
              </ElTableColumn>
              <ElTableColumn label={t('“八未”', '八未')} minWidth="160">
                {{
                  default: ({ row }: { row: SubProject }) => (
                    <span class="gj-tags">
                      {row.wei.map((w) => (
                        <ElTag type="warning" size="small" key={w}>
                          {L(v.wei[w as WeiKey], w)}
                        </ElTag>
                      ))}
                    </span>
                  ),
                }}
              </ElTableColumn>
            </ElTable>
          </section>
        </div>
      );
    };
  },
});
