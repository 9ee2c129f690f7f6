import {
  ElAlert,
  ElButton,
  ElInput,
  ElOption,
  ElPagination,
  ElSelect,
  ElSwitch,
  ElTable,
  ElTableColumn,
  ElTag,
} from 'element-plus';
import { computed, defineComponent, onMounted, ref, shallowRef, watch } from 'vue';
import { RouterLink, useRoute, useRouter, type LocationQuery } from 'vue-router';
import type { WeiKey } from '../../../machines/index.ts';
import { api, ApiError } from '../api.ts';
import { unitNames } from '../campaign.ts';
import { L, num, t } from '../i18n.ts';
import { onLive } from '../live.ts';
import { vocab } from '../session.ts';

interface Row {
  id: string;
  name: string;
  unitId: string;
  stage: string;
  wei: string[];
  plannedInvestment: number;
  programmeId: string | null;
  version: number;
  /** A programme folded into one row: its sub-project count. */
  subProjects?: number;
}
interface Page {
  projects: Row[];
  total: number;
  page: number;
  pageSize: number;
  counts: { wei: Record<string, number>; stage: Record<string, number> };
}

const FILTERS = [
  'unit',
  'stage',
  'wei',
  'q',
  'sort',
  'campaign',
  'total',
  'task',
  'month',
  'programme',
  'enterprise',
  'minInvestment',
  'fold',
] as const;
const SORT_COLUMNS: Record<string, string> = {
  id: 'id',
  name: 'name',
  unitId: 'unit',
  stage: 'stage',
  plannedInvestment: 'investment',
};

/** The query of the address, as the API takes it (filters, sort, page): the page is its address. */
function apiQuery(query: LocationQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of [...FILTERS, 'page', 'pageSize'])
    if (typeof query[key] === 'string' && query[key] !== '') params.set(key, query[key]);
  return params;
}

/**
 * 项目台账: every project this person may see, filtered by unit, stage, 八未 and text, sorted,
 * 50 to a page from the server — the filters live in the address (bookmark, share) — and the
 * exact filtered rows exported to Excel.
 */
export default defineComponent({
  name: 'ProjectsPage',
  setup() {
    const route = useRoute();
    const router = useRouter();
    const page = shallowRef<Page | null>(null);
    const names = shallowRef(new Map<string, string>());
    const programmes = shallowRef(new Map<string, string>());
    const error = ref<string | null>(null);
    const loading = ref(false);
    const text = ref(typeof route.query.q === 'string' ? route.query.q : '');

    const load = async () => {
      loading.value = true;
      try {
        page.value = (await api<Page>(`/api/projects?${apiQuery(route.query)}`)).data;
        error.value = null;
      } catch (err) {
        error.value = err instanceof ApiError ? err.text : String(err);
      } finally {
        loading.value = false;
      }
    };
    onMounted(async () => {
      names.value = await unitNames().catch(() => new Map());
      await load();
      const list = await api<{ programmes: { id: string; name: string }[] }>('/api/programmes').catch(() => null);
      programmes.value = new Map((list?.data.programmes ?? []).map((g) => [g.id, g.name]));
    });
    watch(
      () => route.fullPath,
      () => void (route.path === '/projects' && load()),
    );
    onLive(
      () => void load(),
      (n) => n.entity === 'project',
    );

    const setQuery = (change: Record<string, string | undefined>) => {
      const next: Record<string, string> = {};
      for (const [k, v] of Object.entries({ ...route.query, ...change }))
        if (typeof v === 'string' && v !== '') next[k] = v;
      if (!('page' in change)) delete next.page;
      void router.push({ path: '/projects', query: next });
    };
    const q = (key: string) => (typeof route.query[key] === 'string' ? (route.query[key] as string) : '');
    const exportHref = computed(() => {
      const params = apiQuery(route.query);
      params.delete('page');
      params.delete('pageSize');
      params.set('format', 'xlsx');
      return `/api/projects?${params}`;
    });
    const stageLabel = (stage: string) => L(vocab.value?.states.lifecycle[stage as 'signed'], stage);

    return () => {
      const v = vocab.value;
      const p = page.value;
      return (
        <div>
          <div class="gj-title">
            <h1>{t('项目台账', 'Projects')}</h1>
            {p ? (
              <span class="gj-sub" data-testid="projects-total">
                {t(`共 ${num(p.total)} 个项目`, `${num(p.total)} projects`)}
              </span>
            ) : null}
          </div>
          {q('task') && v ? (
            <div class="gj-filters">
              <ElTag
                closable
                type="warning"
                onClose={() => setQuery({ campaign: undefined, task: undefined, month: undefined })}
                data-testid="filter-task"
              >
                {t(`${q('month')} 督查:`, `${q('month')} supervision: `)}
                {L(v.tasks[q('task') as 'signed'], q('task'))}
              </ElTag>
            </div>
          ) : null}
          {q('total') && v ? (
            <div class="gj-filters">
              <ElTag
                closable
                type="warning"
                onClose={() => setQuery({ campaign: undefined, total: undefined })}
                data-testid="filter-total"
              >
                {t('攻坚成效:', 'Campaign total: ')}
                {L(v.totals[q('total') as keyof typeof v.totals], q('total'))}
              </ElTag>
            </div>
          ) : null}
          <div class="gj-filters">
            <ElInput
              modelValue={text.value}
              onUpdate:modelValue={(s: string) => (text.value = s)}
              placeholder={t('搜索项目名称或编号', 'Search name or id')}
              clearable
              onChange={() => setQuery({ q: text.value.trim() })}
              onClear={() => setQuery({ q: undefined })}
              data-testid="search"
            />
            <ElSelect
              modelValue={q('unit')}
              onUpdate:modelValue={(u: string) => setQuery({ unit: u })}
              placeholder={t('责任单位', 'Unit')}
              clearable
              filterable
              data-testid="filter-unit"
            >
              {[...names.value].map(([id, name]) => (
                <ElOption value={id} label={name} key={id} />
              ))}
            </ElSelect>
            <ElSelect
              modelValue={q('stage')}
              onUpdate:modelValue={(s: string) => setQuery({ stage: s })}
              placeholder={t('项目阶段', 'Stage')}
              clearable
              data-testid="filter-stage"
            >
              {(v?.stages ?? []).map((s) => (
                <ElOption value={s} label={`${stageLabel(s)} (${p?.counts.stage[s] ?? 0})`} key={s} />
              ))}
            </ElSelect>
            <ElSelect
              modelValue={q('wei')}
              onUpdate:modelValue={(w: string) => setQuery({ wei: w })}
              placeholder={t('“八未”', '八未')}
              clearable
              data-testid="filter-wei"
            >
              {(v?.weiKeys ?? []).map((w) => (
                <ElOption value={w} label={L(v!.wei[w])} key={w} />
              ))}
            </ElSelect>
            {programmes.value.size > 0 ? (
              <ElSelect
                modelValue={q('programme')}
                onUpdate:modelValue={(g: string) => setQuery({ programme: g })}
                placeholder={t('项目群', 'Programme')}
                clearable
                data-testid="filter-programme"
              >
                {[...programmes.value].map(([id, name]) => (
                  <ElOption value={id} label={name} key={id} />
                ))}
              </ElSelect>
            ) : null}
            {programmes.value.size > 0 ? (
              <span>
                <ElSwitch
                  modelValue={q('fold') === 'programmes'}
                  onUpdate:modelValue={(on: string | number | boolean) =>
                    setQuery({ fold: on ? 'programmes' : undefined })
                  }
                  data-testid="filter-fold"
                />{' '}
                {t('按项目群折叠', 'Fold programmes')}
              </span>
            ) : null}
            <span>
              <ElSwitch
                modelValue={q('minInvestment') === '10000'}
                onUpdate:modelValue={(on: string | number | boolean) =>
                  setQuery({ minInvestment: on ? '10000' : undefined })
                }
                data-testid="filter-major"
              />{' '}
              {t('亿元以上', '≥ 100m yuan')}
            </span>
            <a href={exportHref.value} download class="gj-noprint" data-testid="export-xlsx">
              <ElButton>{t('导出 Excel', 'Export to Excel')}</ElButton>
            </a>
          </div>
          {error.value !== null ? <ElAlert type="error" closable={false} title={error.value} /> : null}
          <div class="gj-table-wrap">
            <ElTable
              data={p?.projects ?? []}
              stripe
              style="width:100%"
              data-testid="projects-table"
              defaultSort={
                q('sort')
                  ? {
                      prop:
                        Object.entries(SORT_COLUMNS).find(([, key]) => key === q('sort').replace(/^-/, ''))?.[0] ??
                        'id',
                      order: q('sort').startsWith('-') ? 'descending' : 'ascending',
                    }
                  : undefined
              }
              onSort-change={({ prop, order }: { prop: string | null; order: string | null }) =>
                setQuery({
                  sort:
                    order === null || prop === null
                      ? undefined
                      : `${order === 'descending' ? '-' : ''}${SORT_COLUMNS[prop] ?? 'id'}`,
                })
              }
            >
              <ElTableColumn prop="name" label={t('项目名称', 'Project')} minWidth={200} sortable="custom">
                {{
                  default: ({ row }: { row: Row }) => (
                    <span>
                      {row.subProjects !== undefined ? (
                        <RouterLink to={`/programmes/${encodeURIComponent(row.id)}`} data-testid="programme-link">
                          {row.name}
                          <span class="gj-sub">
                            {' '}
                            {t(`(项目群,${row.subProjects} 个子项目)`, `(programme, ${row.subProjects} sub-projects)`)}
                          </span>
                        </RouterLink>
                      ) : (
                        <RouterLink to={`/projects/${encodeURIComponent(row.id)}`} data-testid="project-link">
                          {row.name}
                        </RouterLink>
                      )}
                      {row.programmeId !== null && row.subProjects === undefined ? (
                        <RouterLink to={`/programmes/${encodeURIComponent(row.programmeId)}`} class="gj-sub">
                          {' '}
                          · {programmes.value.get(row.programmeId) ?? row.programmeId}
                        </RouterLink>
                      ) : null}
                    </span>
                  ),
                }}
              </ElTableColumn>
              <ElTableColumn prop="id" label={t('编号', 'Id')} width={140} sortable="custom" />
              <ElTableColumn prop="unitId" label={t('责任单位', 'Unit')} width={150} sortable="custom">
                {{
                  default: ({ row }: { row: Row }) =>
                    row.unitId === '' ? (
                      t('多个单位', 'several units')
                    ) : (
                      <RouterLink to={`/units/${encodeURIComponent(row.unitId)}`}>
                        {names.value.get(row.unitId) ?? row.unitId}
                      </RouterLink>
                    ),
                }}
              </ElTableColumn>
              <ElTableColumn prop="stage" label={t('阶段', 'Stage')} width={110} sortable="custom">
                {{ default: ({ row }: { row: Row }) => stageLabel(row.stage) }}
              </ElTableColumn>
              <ElTableColumn label={t('“八未”', '八未')} minWidth={180}>
                {{
                  default: ({ row }: { row: Row }) => (
                    <span class="gj-tags">
                      {row.wei.map((w) => (
                        <ElTag type="warning" size="small" key={w}>
                          {L(v?.wei[w as WeiKey], w)}
                        </ElTag>
                      ))}
                    </span>
                  ),
                }}
              </ElTableColumn>
              <ElTableColumn
                prop="plannedInvestment"
                label={t('计划投资(万元)', 'Investment (10k yuan)')}
                width={150}
                align="right"
                sortable="custom"
              >
                {{ default: ({ row }: { row: Row }) => num(row.plannedInvestment) }}
              </ElTableColumn>
            </ElTable>
          </div>
          {p ? (
            <ElPagination
              style="margin-top:12px;flex-wrap:wrap"
              layout="total, sizes, prev, pager, next"
              total={p.total}
              pageSize={p.pageSize}
              pageSizes={[20, 50, 100, 200]}
              currentPage={p.page}
              pagerCount={5}
              onUpdate:current-page={(n: number) => setQuery({ page: String(n) })}
              onUpdate:page-size={(n: number) => setQuery({ pageSize: String(n), page: undefined })}
              data-testid="pagination"
            />
          ) : null}
        </div>
      );
    };
  },
});
