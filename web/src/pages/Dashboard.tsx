import { ElAlert, ElOption, ElSelect, ElSkeleton, ElTag } from 'element-plus';
import { computed, defineAsyncComponent, defineComponent, ref, shallowRef, watch } from 'vue';
import { RouterLink, useRoute, useRouter } from 'vue-router';
import type { CampaignReport, Task, WeiKey } from '../../../machines/index.ts';
import { api, ApiError } from '../api.ts';
import { currentCampaign, loadCampaigns, type CampaignSummary } from '../campaign.ts';
import type { ChartOption } from '../components/Chart.tsx';
import { L, lang, num, pct, t } from '../i18n.ts';
import { onLive } from '../live.ts';
import { vocab } from '../session.ts';

// Fetched as soon as the dashboard is, alongside its data (not after it).
const chartModule = import('../components/Chart.tsx');
const Chart = defineAsyncComponent(() => chartModule);

interface Counts {
  total: number;
  counts: { wei: Record<string, number>; stage: Record<string, number> };
}

/**
 * 总览: one campaign at a glance — the 八未 now and at the start and their burn-down, the
 * campaign totals, the month's task completion per unit against 序时进度, rankings with the
 * bottom marked, the escalation ladder, open and overdue 问题, and the units × tasks lights.
 * Every number links to what is behind it.
 */
export default defineComponent({
  name: 'DashboardPage',
  setup() {
    const route = useRoute();
    const router = useRouter();
    const campaign = ref<CampaignSummary | undefined>();
    const report = shallowRef<CampaignReport | null>(null);
    const now = shallowRef<Counts | null>(null);
    const error = ref<string | null>(null);
    const month = ref<string>('');
    const task = ref<Task | ''>('');

    let loaded = false;
    const load = async () => {
      try {
        // The counts do not wait for the campaign; the first load uses the campaigns fetched at start.
        const counts = api<Counts>('/api/projects?pageSize=1').then((x) => x.data);
        const list = await loadCampaigns(loaded);
        loaded = true;
        campaign.value = currentCampaign(list, route.query.campaign);
        const [r, c] = await Promise.all([
          campaign.value === undefined
            ? Promise.resolve(null)
            : api<CampaignReport>(
                // What the dashboard draws, without the 台账 and the lists it does not show.
                `/api/campaigns/${encodeURIComponent(campaign.value.id)}/report?omit=projects,projectLights,refusals`,
              ).then((x) => x.data),
          counts,
        ]);
        report.value = r;
        now.value = c;
        error.value = null;
        const months = r?.supervisions.map((s) => s.month) ?? [];
        if (!months.includes(month.value)) month.value = months.at(-1) ?? '';
      } catch (err) {
        error.value = err instanceof ApiError ? err.text : String(err);
      }
    };
    void load();
    watch(() => route.query.campaign, load);
    onLive(
      () => void load(),
      (n) => n.entity === 'project' || n.entity === 'campaign' || n.entity === 'problem',
      1500,
    );

    const supervision = computed(() => report.value?.supervisions.find((s) => s.month === month.value));
    const tasksInMonth = computed(() =>
      (supervision.value?.units[0]?.tasks ?? [])
        .map((x) => x.task)
        .filter((k) => supervision.value!.units.some((u) => u.tasks.find((x) => x.task === k)?.rate != null)),
    );
    watch(tasksInMonth, (tasks) => {
      if (!tasks.includes(task.value as Task)) task.value = tasks[0] ?? '';
    });

    const weiLabel = (key: string) => L(vocab.value?.wei[key as WeiKey], key);
    const taskLabel = (key: string) => L(vocab.value?.tasks[key as Task], key);

    const burnDown = computed<ChartOption | null>(() => {
      const r = report.value;
      if (r === null || r.burnDown.length === 0 || vocab.value === null) return null;
      const keys = vocab.value.weiKeys;
      return {
        tooltip: { trigger: 'axis' },
        legend: { type: 'scroll', top: 0 },
        grid: { left: 40, right: 16, top: 40, bottom: 30 },
        xAxis: { type: 'category', data: r.burnDown.map((d) => d.date.slice(5)), boundaryGap: false },
        yAxis: { type: 'value', minInterval: 1 },
        series: keys.map((key) => ({
          name: weiLabel(key),
          type: 'line',
          showSymbol: false,
          data: r.burnDown.map((d) => d.counts[key]),
        })),
      };
    });

    const monthChart = computed<ChartOption | null>(() => {
      const s = supervision.value;
      if (s === undefined || task.value === '') return null;
      const rows = s.units
        .map((u) => ({ u, r: u.tasks.find((x) => x.task === task.value)! }))
        .filter((x) => x.r.rate !== null);
      return {
        tooltip: { trigger: 'axis' },
        grid: { left: 50, right: 70, top: 20, bottom: 70 },
        xAxis: { type: 'category', data: rows.map((x) => x.u.name), axisLabel: { rotate: 35, interval: 0 } },
        yAxis: { type: 'value', axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
        series: [
          {
            type: 'bar',
            name: t('完成率', 'completion'),
            data: rows.map((x) => ({
              value: x.r.rate!,
              itemStyle: { color: x.r.bottom ? '#c62828' : x.r.rate! >= 1 ? '#2e7d32' : '#1d4ed8' },
            })),
            markLine: {
              symbol: 'none',
              data: [{ yAxis: s.elapsed, name: t('序时进度', 'time elapsed') }],
              label: { formatter: `${t('序时', 'elapsed')} ${pct(s.elapsed)}` },
              lineStyle: { color: '#f9a825', type: 'dashed', width: 2 },
            },
          },
        ],
      };
    });

    const openProblems = computed(() => report.value?.problems.filter((p) => p.state !== 'verified') ?? []);
    const overdue = computed(() => openProblems.value.filter((p) => p.overdue));
    // Units on the ladder now, or interviewed or held accountable during the campaign.
    const ladder = computed(() =>
      (report.value?.ladders ?? []).filter(
        (l) =>
          l.state !== 'goodStanding' ||
          l.accountability.length > 0 ||
          l.months.some((m) => m.step === 'deputyInterview' || m.step === 'secretaryInterview'),
      ),
    );

    return () => {
      const r = report.value;
      const v = vocab.value;
      if (error.value !== null) return <ElAlert type="error" closable={false} title={error.value} />;
      if (now.value === null || v === null) return <ElSkeleton rows={8} animated />;
      return (
        <div data-testid="dashboard">
          <div class="gj-title">
            <h1>{r?.campaign.name ?? t('尚无攻坚行动', 'No campaign yet')}</h1>
            {r ? (
              <span class="gj-sub">
                {r.campaign.start} — {r.campaign.end} · {r.campaign.days} {t('天', 'days')} ·{' '}
                {L(v.campaignStates[r.campaign.state], r.campaign.state)}
              </span>
            ) : null}
            {r && (r.illustrative.campaign || r.illustrative.projects > 0) ? (
              <ElTag type="danger" effect="dark" data-testid="illustrative">
                {r.illustrative.campaign
                  ? t('示例数据', 'Illustrative data')
                  : t(
                      `示例数据:含 ${r.illustrative.projects} 个示例项目`,
                      `Illustrative: ${r.illustrative.projects} invented projects`,
                    )}
              </ElTag>
            ) : null}
          </div>

          <section class="gj-card" style="margin-bottom:16px">
            <h2>{t('“八未”项目', 'Stalled projects (八未)')}</h2>
            <div class="gj-stats" data-testid="wei-counts">
              {v.weiKeys.map((key) => (
                <RouterLink class="gj-stat" to={{ path: '/projects', query: { wei: key } }} data-wei={key} key={key}>
                  <div class="v" data-testid={`wei-now-${key}`}>
                    {num(now.value!.counts.wei[key] ?? 0)}
                  </div>
                  <div class="l">{weiLabel(key)}</div>
                  {r ? (
                    <div class="d" data-testid={`wei-start-${key}`}>
                      {t('启动时', 'at start')} {num(r.baseline.counts[key] ?? 0)}
                    </div>
                  ) : null}
                </RouterLink>
              ))}
              <RouterLink class="gj-stat" to={{ path: '/projects', query: { stage: 'dropped' } }} data-testid="dropped">
                <div class="v">{num(now.value!.counts.stage.dropped ?? 0)}</div>
                <div class="l">{t('终止(不计入八未)', 'dropped (in no 八未)')}</div>
              </RouterLink>
              <RouterLink class="gj-stat" to="/projects">
                <div class="v" data-testid="projects-total">
                  {num(now.value.total)}
                </div>
                <div class="l">{t('项目总数', 'projects')}</div>
              </RouterLink>
            </div>
          </section>

          {r ? (
            <div class="gj-grid">
              <section class="gj-card">
                <h2>{t('“八未”走势(按日)', '八未 day by day')}</h2>
                {burnDown.value ? <Chart option={burnDown.value} testid="burn-down" /> : null}
              </section>
              <section class="gj-card">
                <h2>{t('攻坚成效', 'Campaign totals')}</h2>
                <div class="gj-stats" data-testid="totals">
                  {r.totalsShown
                    .map((key) => [key, v.totals[key]] as const)
                    .map(([key, label]) => (
                      <RouterLink
                        class="gj-stat"
                        to={{ path: '/projects', query: { campaign: r.campaign.id, total: key } }}
                        key={key}
                        data-total={key}
                      >
                        <div class="v" data-testid={`total-${key}`}>
                          {num(r.totals[key as keyof typeof r.totals] as number)}
                        </div>
                        <div class="l">{t(`${label.zh}(${label.unit.zh})`, `${label.en} (${label.unit.en})`)}</div>
                      </RouterLink>
                    ))}
                  {r.totals.landTaskMu !== null ? (
                    <RouterLink
                      class="gj-stat"
                      to={{ path: '/projects', query: { campaign: r.campaign.id, total: 'landSuppliedMu' } }}
                    >
                      <div class="v">{pct(r.totals.landSuppliedMu / r.totals.landTaskMu)}</div>
                      <div class="l">
                        {t('征拆任务', 'land task')} {num(r.totals.landTaskMu)} {t('亩', 'mu')}
                      </div>
                      <div class="d">
                        {r.totals.landTaskMet
                          ? t(
                              `完成于 ${r.totals.landTaskMetOn}(第 ${r.totals.landTaskMetDay} 天)`,
                              `met on ${r.totals.landTaskMetOn} (day ${r.totals.landTaskMetDay})`,
                            )
                          : t('未完成', 'not met')}
                      </div>
                    </RouterLink>
                  ) : null}
                  {r.reviews !== undefined && (r.reviews.pending > 0 || r.reviews.corrections.length > 0) ? (
                    <RouterLink
                      class="gj-stat"
                      to={{
                        path: '/filings',
                        query: r.reviews.overdue > 0 ? { overdue: '1', reviewer: '' } : { reviewer: '' },
                      }}
                      data-testid="reviews"
                    >
                      <div class="v">{num(r.reviews.pending, 0)}</div>
                      <div class="l">{t('待审核填报(件)', 'filings awaiting review')}</div>
                      <div class={r.reviews.overdue > 0 ? 'd gj-bad' : 'd'} data-testid="reviews-overdue">
                        {t(`超时 ${r.reviews.overdue} 件`, `${r.reviews.overdue} overdue`)}
                        {r.reviews.corrections.length > 0
                          ? t(`;更正 ${r.reviews.corrections.length} 次`, `; ${r.reviews.corrections.length} corrected`)
                          : ''}
                      </div>
                    </RouterLink>
                  ) : null}
                </div>
              </section>
            </div>
          ) : null}

          {r && supervision.value ? (
            <div class="gj-grid" style="margin-top:16px">
              <section class="gj-card">
                <h2>{t('月度任务完成情况', 'Monthly task completion')}</h2>
                <div class="gj-filters">
                  <ElSelect
                    modelValue={month.value}
                    onUpdate:modelValue={(m: string) => (month.value = m)}
                    data-testid="month"
                  >
                    {r.supervisions.map((s) => (
                      <ElOption value={s.month} label={s.month} key={s.month} />
                    ))}
                  </ElSelect>
                  <ElSelect modelValue={task.value} onUpdate:modelValue={(k: Task) => (task.value = k)}>
                    {tasksInMonth.value.map((k) => (
                      <ElOption value={k} label={taskLabel(k)} key={k} />
                    ))}
                  </ElSelect>
                </div>
                {monthChart.value ? (
                  <Chart
                    option={monthChart.value}
                    testid="month-chart"
                    onPick={(p: { dataIndex: number }) => {
                      const rows = supervision.value!.units.filter(
                        (u) => u.tasks.find((x) => x.task === task.value)?.rate != null,
                      );
                      const unit = rows[p.dataIndex];
                      if (unit) void router.push(`/units/${encodeURIComponent(unit.unitId)}`);
                    }}
                  />
                ) : null}
              </section>
              <section class="gj-card">
                <h2>
                  {t('分组排名', 'Rankings by group')} · {taskLabel(task.value)}
                </h2>
                {Object.entries(v.groups).map(([group, label]) => {
                  const rows = supervision
                    .value!.units.filter((u) => u.group === group)
                    .map((u) => ({ u, r: u.tasks.find((x) => x.task === task.value)! }))
                    .filter((x) => x.r?.rank != null)
                    .sort((a, b) => a.r.rank! - b.r.rank!);
                  if (rows.length === 0) return null;
                  return (
                    <div key={group} style="margin-bottom:8px">
                      <div class="gj-muted">{L(label)}</div>
                      <ol style="margin:4px 0;padding-left:24px">
                        {rows.map(({ u, r: x }) => (
                          <li key={u.unitId} class={x.bottom ? 'gj-bad' : ''}>
                            <RouterLink to={`/units/${encodeURIComponent(u.unitId)}`}>{u.name}</RouterLink>{' '}
                            {pct(x.rate)}{' '}
                            {x.bottom ? (
                              <ElTag type="danger" size="small">
                                {t('排名靠后', 'bottom')}
                              </ElTag>
                            ) : null}
                          </li>
                        ))}
                      </ol>
                    </div>
                  );
                })}
              </section>
            </div>
          ) : null}

          {r ? (
            <div class="gj-grid" style="margin-top:16px">
              <section class="gj-card">
                <h2>{t('约谈问责', 'Escalation ladder')}</h2>
                {ladder.value.length === 0 ? (
                  <p class="gj-muted">{t('暂无单位被约谈或通报', 'No unit on the ladder')}</p>
                ) : (
                  <ul style="margin:0;padding-left:20px" data-testid="ladder">
                    {ladder.value.map((l) => (
                      <li key={l.unitId}>
                        <RouterLink to={`/units/${encodeURIComponent(l.unitId)}`}>{l.name}</RouterLink>{' '}
                        <ElTag type={l.state === 'goodStanding' ? 'success' : 'danger'} size="small">
                          {L(v.ladderByLocality[r.campaign.locality].states[l.state], l.state)}
                        </ElTag>
                        {l.months
                          .filter((m) => m.step === 'deputyInterview' || m.step === 'secretaryInterview')
                          .map(
                            (m) => ` · ${m.month} ${L(v.ladderByLocality[r.campaign.locality].steps[m.step], m.step)}`,
                          )
                          .join('')}
                        {l.accountability.length > 0
                          ? ` · ${t('问责', 'accountability')} ${l.accountability.length}`
                          : ''}
                      </li>
                    ))}
                  </ul>
                )}
              </section>
              <section class="gj-card">
                <h2>{t('问题清单', 'Problems')}</h2>
                <div class="gj-stats">
                  <RouterLink class="gj-stat" to={{ path: '/problems', query: { open: '1' } }}>
                    <div class="v" data-testid="problems-open">
                      {num(openProblems.value.length)}
                    </div>
                    <div class="l">{t('未销号', 'open')}</div>
                  </RouterLink>
                  <RouterLink class="gj-stat" to={{ path: '/problems', query: { overdue: '1' } }}>
                    <div class={['v', overdue.value.length > 0 ? 'gj-bad' : '']} data-testid="problems-overdue">
                      {num(overdue.value.length)}
                    </div>
                    <div class="l">{t('已超期', 'overdue')}</div>
                  </RouterLink>
                  <RouterLink class="gj-stat" to="/problems">
                    <div class="v">{num(r.problems.length)}</div>
                    <div class="l">{t('全部', 'all')}</div>
                  </RouterLink>
                </div>
              </section>
            </div>
          ) : null}

          {r && supervision.value ? (
            <section class="gj-card" style="margin-top:16px">
              <h2>
                {t('红黄绿灯', 'Traffic lights')} · {supervision.value.month}(
                {r.campaign.lightsBasis === 'plan'
                  ? t('累计完成对照累计计划', 'to date against the plan to date')
                  : `${t('序时进度', 'time elapsed')} ${pct(supervision.value.elapsed)}`}
                )
              </h2>
              <div class="gj-table-wrap">
                <table class="gj-matrix" data-testid="light-matrix">
                  <thead>
                    <tr>
                      <th class="unit">{t('单位', 'Unit')}</th>
                      {tasksInMonth.value.map((k) => (
                        <th key={k}>{taskLabel(k)}</th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {supervision.value.units.map((u) => (
                      <tr key={u.unitId}>
                        <th class="unit">
                          <RouterLink to={`/units/${encodeURIComponent(u.unitId)}`}>{u.name}</RouterLink>
                        </th>
                        {tasksInMonth.value.map((k) => {
                          const x = u.tasks.find((y) => y.task === k);
                          return (
                            <td key={k} class={x?.light ?? ''} title={x?.light ? L(v.lights[x.light]) : ''}>
                              {x?.rate != null ? (
                                <RouterLink
                                  to={{
                                    path: '/projects',
                                    query: {
                                      campaign: r.campaign.id,
                                      month: supervision.value!.month,
                                      task: k,
                                      unit: u.unitId,
                                    },
                                  }}
                                  data-cell={`${u.unitId}-${k}`}
                                >
                                  {pct(x.rate)}
                                </RouterLink>
                              ) : (
                                ''
                              )}
                            </td>
                          );
                        })}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          ) : null}
          <p class="gj-muted" style="font-size:12px">
            {lang.value === 'en' ? 'Figures update live.' : '数据实时更新。'}
          </p>
        </div>
      );
    };
  },
});
