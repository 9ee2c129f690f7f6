import {
  ElAlert,
  ElButton,
  ElDialog,
  ElDrawer,
  ElOption,
  ElSelect,
  ElSwitch,
  ElTable,
  ElTableColumn,
  ElTag,
} from 'element-plus';
import { computed, defineComponent, onMounted, ref, shallowRef, watch } from 'vue';
import { RouterLink, useRoute, useRouter } from 'vue-router';
import { api, ApiError } from '../api.ts';
import { todayInChina, unitNames } from '../campaign.ts';
import SchemaForm, { type Submitted } from '../components/SchemaForm.tsx';
import { L, t } from '../i18n.ts';
import { onLive } from '../live.ts';
import { eventSchema, objectSchema, type ObjectSchema } from '../schema.ts';
import { isRole, vocab } from '../session.ts';

type Bilingual = { zh: string; en: string };
interface Problem {
  id: string;
  projectId: string;
  title: string;
  source: string;
  raisedOn: string;
  raisedBy?: string | null;
  unitId: string | null;
  due: string | null;
  state: string;
  version: number;
  overdue: boolean;
  resolvedOn?: string | null;
  verifiedOn?: string | null;
  events?: { type: string; allowed: boolean; reason: (Bilingual & { rule: string }) | null }[];
}

/**
 * 问题清单: problems raised at supervisions and meetings — raise, assign (交办) with a due date,
 * resolve (销号), verify, reopen; overdue ones highlighted; filtered by unit, state, open or
 * overdue (in the address).
 */
export default defineComponent({
  name: 'ProblemsPage',
  setup() {
    const route = useRoute();
    const router = useRouter();
    const problems = shallowRef<Problem[]>([]);
    const names = shallowRef(new Map<string, string>());
    const error = ref<string | null>(null);
    const selected = shallowRef<Problem | null>(null);
    const schemas = shallowRef<Record<string, ObjectSchema>>({});
    const raiseSchema = shallowRef<ObjectSchema | null>(null);
    const raising = ref(false);

    const q = (key: string) => (typeof route.query[key] === 'string' ? (route.query[key] as string) : '');
    const load = async () => {
      try {
        const params = new URLSearchParams();
        if (q('unit')) params.set('unit', q('unit'));
        if (q('state')) params.set('state', q('state'));
        problems.value = (await api<{ problems: Problem[] }>(`/api/problems?${params}`)).data.problems;
        error.value = null;
        if (selected.value) await open(selected.value.id);
      } catch (err) {
        error.value = err instanceof ApiError ? err.text : String(err);
      }
    };
    const open = async (id: string) => {
      const p = (await api<Problem>(`/api/problems/${encodeURIComponent(id)}`)).data;
      const types = (p.events ?? []).filter((e) => e.allowed).map((e) => e.type);
      const found = await Promise.all(types.map((type) => eventSchema('ProblemEvent', type)));
      schemas.value = Object.fromEntries(types.flatMap((type, i) => (found[i] ? [[type, found[i]!]] : [])));
      selected.value = p;
    };
    onMounted(async () => {
      names.value = await unitNames().catch(() => new Map());
      raiseSchema.value = (await objectSchema('ProblemInput')) ?? null;
      await load();
      if (q('raise')) raising.value = true;
    });
    watch(() => [route.query.unit, route.query.state], load);
    onLive(
      () => void load(),
      (n) => n.entity === 'problem',
    );

    const shown = computed(() =>
      problems.value.filter(
        (p) => (q('open') !== '1' || p.state !== 'verified') && (q('overdue') !== '1' || p.overdue),
      ),
    );
    const setQuery = (change: Record<string, string | undefined>) => {
      const next: Record<string, string> = {};
      for (const [k, v] of Object.entries({ ...route.query, ...change }))
        if (typeof v === 'string' && v !== '') next[k] = v;
      void router.push({ path: '/problems', query: next });
    };
    const unitChoices = computed(() => [...names.value].map(([value, label]) => ({ value, label })));
    const sourceChoices = computed(() =>
      Object.entries(vocab.value?.problemSources ?? {}).map(([value, label]) => ({ value, label: L(label) })),
    );

    const send = async (p: Problem, type: string, body: Record<string, unknown>, key: string): Promise<Submitted> => {
      try {
        await api(`/api/problems/${encodeURIComponent(p.id)}/events`, {
          method: 'POST',
          body: { type, ...body },
          headers: { 'If-Match': `"${p.version}"`, 'Idempotency-Key': key },
        });
        await load();
        return { ok: true };
      } catch (err) {
        if (err instanceof ApiError) return { ok: false, error: err };
        throw err;
      }
    };
    const raise = async (body: Record<string, unknown>, key: string): Promise<Submitted> => {
      try {
        const id = `q-${todayInChina().replaceAll('-', '')}-${key.slice(-6)}`;
        await api('/api/problems', { method: 'POST', body: { id, ...body }, headers: { 'Idempotency-Key': key } });
        await load();
        raising.value = false;
        return { ok: true };
      } catch (err) {
        if (err instanceof ApiError) return { ok: false, error: err };
        throw err;
      }
    };

    return () => {
      const v = vocab.value;
      return (
        <div>
          <div class="gj-title">
            <h1>{t('问题清单', 'Problems')}</h1>
            <span class="gj-sub">{t(`${shown.value.length} 个问题`, `${shown.value.length} problems`)}</span>
            {isRole('hq', 'leader') ? (
              <ElButton type="primary" onClick={() => (raising.value = true)} data-testid="raise">
                {t('提出问题', 'Raise a problem')}
              </ElButton>
            ) : null}
          </div>
          <div class="gj-filters">
            <ElSelect
              modelValue={q('unit')}
              onUpdate:modelValue={(u: string) => setQuery({ unit: u })}
              placeholder={t('责任单位', 'Unit')}
              clearable
              filterable
            >
              {unitChoices.value.map((u) => (
                <ElOption value={u.value} label={u.label} key={u.value} />
              ))}
            </ElSelect>
            <ElSelect
              modelValue={q('state')}
              onUpdate:modelValue={(s: string) => setQuery({ state: s })}
              placeholder={t('状态', 'State')}
              clearable
            >
              {Object.entries(v?.problemStates ?? {}).map(([s, label]) => (
                <ElOption value={s} label={L(label)} key={s} />
              ))}
            </ElSelect>
            <span>
              <ElSwitch
                modelValue={q('overdue') === '1'}
                onUpdate:modelValue={(on: string | number | boolean) =>
                  setQuery({ overdue: on === true ? '1' : undefined })
                }
              />{' '}
              {t('只看超期', 'overdue only')}
            </span>
          </div>
          {error.value !== null ? <ElAlert type="error" closable={false} title={error.value} /> : null}
          <div class="gj-table-wrap">
            <ElTable
              data={shown.value}
              stripe
              style="width:100%"
              data-testid="problems-table"
              onRow-click={(row: Problem) => void open(row.id)}
            >
              <ElTableColumn prop="title" label={t('问题', 'Problem')} minWidth={220} />
              <ElTableColumn label={t('项目', 'Project')} width={150}>
                {{
                  default: ({ row }: { row: Problem }) => (
                    <RouterLink
                      to={`/projects/${encodeURIComponent(row.projectId)}`}
                      onClick={(e: MouseEvent) => e.stopPropagation()}
                    >
                      {row.projectId}
                    </RouterLink>
                  ),
                }}
              </ElTableColumn>
              <ElTableColumn label={t('状态', 'State')} width={100}>
                {{ default: ({ row }: { row: Problem }) => L(v?.problemStates[row.state], row.state) }}
              </ElTableColumn>
              <ElTableColumn label={t('责任单位', 'Unit')} width={140}>
                {{
                  default: ({ row }: { row: Problem }) =>
                    row.unitId ? (names.value.get(row.unitId) ?? row.unitId) : '—',
                }}
              </ElTableColumn>
              <ElTableColumn label={t('时限', 'Due')} width={130}>
                {{
                  default: ({ row }: { row: Problem }) => (
                    <span class={row.overdue ? 'gj-overdue' : ''} data-overdue={row.overdue ? '1' : '0'}>
                      {row.due ?? '—'}{' '}
                      {row.overdue ? (
                        <ElTag type="danger" size="small">
                          {t('超期', 'overdue')}
                        </ElTag>
                      ) : null}
                    </span>
                  ),
                }}
              </ElTableColumn>
              <ElTableColumn label={t('来源', 'Source')} width={120}>
                {{
                  default: ({ row }: { row: Problem }) => L(v?.problemSources[row.source as 'supervision'], row.source),
                }}
              </ElTableColumn>
              <ElTableColumn prop="raisedOn" label={t('提出', 'Raised')} width={110} />
            </ElTable>
          </div>
          <ElDrawer
            modelValue={selected.value !== null}
            onUpdate:modelValue={(open: boolean) => {
              if (!open) selected.value = null;
            }}
            size="min(520px, 100%)"
            title={selected.value?.title ?? ''}
          >
            {selected.value ? (
              <div data-testid="problem-detail">
                <dl class="gj-kv">
                  <dt>{t('项目', 'Project')}</dt>
                  <dd>{selected.value.projectId}</dd>
                  <dt>{t('状态', 'State')}</dt>
                  <dd data-testid="problem-state">{L(v?.problemStates[selected.value.state], selected.value.state)}</dd>
                  <dt>{t('责任单位', 'Unit')}</dt>
                  <dd>
                    {selected.value.unitId ? (names.value.get(selected.value.unitId) ?? selected.value.unitId) : '—'}
                  </dd>
                  <dt>{t('时限', 'Due')}</dt>
                  <dd class={selected.value.overdue ? 'gj-overdue' : ''}>{selected.value.due ?? '—'}</dd>
                </dl>
                {Object.keys(schemas.value).map((type) => (
                  <div class="gj-form" key={`${type}-${selected.value!.version}`}>
                    <h3>{L(v?.problemEvents[type as 'ASSIGN'], type)}</h3>
                    <SchemaForm
                      schema={schemas.value[type]!}
                      choices={{ unitId: unitChoices.value }}
                      submitLabel={t('提交', 'Submit')}
                      testid={`problem-${type}`}
                      submit={(body, key) => send(selected.value!, type, body, key)}
                    />
                  </div>
                ))}
                {Object.keys(schemas.value).length === 0 ? (
                  <p class="gj-muted">{t('您现在没有可办理的事项', 'Nothing for you to do on this problem now')}</p>
                ) : null}
              </div>
            ) : null}
          </ElDrawer>
          <ElDialog
            modelValue={raising.value}
            onUpdate:modelValue={(open: boolean) => (raising.value = open)}
            title={t('提出问题', 'Raise a problem')}
            width="min(520px, 96vw)"
          >
            {raiseSchema.value ? (
              <SchemaForm
                schema={raiseSchema.value}
                hidden={['id', 'raisedBy']}
                initial={{ projectId: q('raise') || undefined }}
                choices={{ source: sourceChoices.value }}
                submitLabel={t('提出', 'Raise')}
                testid="raise-form"
                submit={raise}
              />
            ) : null}
          </ElDialog>
        </div>
      );
    };
  },
});
