import {
  ElAlert,
  ElButton,
  ElDialog,
  ElInput,
  ElOption,
  ElSelect,
  ElSwitch,
  ElTable,
  ElTableColumn,
  ElTag,
} from 'element-plus';
import { defineComponent, onMounted, ref, shallowRef, watch } from 'vue';
import { RouterLink, useRoute, useRouter } from 'vue-router';
import { api, ApiError, newIdempotencyKey } from '../api.ts';
import { todayInChina, unitNames } from '../campaign.ts';
import { L, t } from '../i18n.ts';
import { onLive } from '../live.ts';
import { me, vocab } from '../session.ts';

type Bilingual = { zh: string; en: string };
interface Filing {
  id: string;
  version: number;
  state: string;
  stateLabel: Bilingual;
  projectId: string;
  projectName: string;
  unitId: string;
  event: Record<string, unknown> & { type: string; at: string };
  submittedOn: string;
  resubmittedOn: string | null;
  due: string;
  overdue: boolean;
  filedBy: string;
  reviewers: string[];
  reviewerLabels: Bilingual[];
  attachments: { hash: string; name: string; type: string; size: number }[];
  returns: { at: string; reason: string }[];
}

const REVIEWER_ROLES = ['hq', 'housing', 'naturalResources', 'stats', 'finance'];
const PENDING = new Set(['submitted', 'resubmitted']);

/**
 * 填报审核: the reviewer's queue, oldest first — each filing with its project, the event as
 * filed, its evidence (photos open in place), its deadline and whether it is overdue — and the
 * review itself: approve (the event then counts, dated as filed) or return with a reason. Units
 * see their own filings and withdraw or resubmit a returned one. Filters live in the address.
 */
export default defineComponent({
  name: 'FilingsPage',
  setup() {
    const route = useRoute();
    const router = useRouter();
    const filings = shallowRef<Filing[]>([]);
    const names = shallowRef(new Map<string, string>());
    const error = ref<string | null>(null);
    const notice = ref<{ type: 'success' | 'error'; text: string } | null>(null);
    const returning = shallowRef<Filing | null>(null);
    const reason = ref('');
    const busy = ref(false);

    const role = () => me.value?.staff.role ?? '';
    const q = (key: string) => (typeof route.query[key] === 'string' ? (route.query[key] as string) : '');
    /** A reviewer's queue by default: what their role reviews, still pending. */
    const reviewer = () =>
      q('reviewer') || (route.query.reviewer === undefined && REVIEWER_ROLES.includes(role()) ? role() : '');
    const state = () => (route.query.state === undefined ? 'pending' : q('state'));

    const load = async () => {
      try {
        const params = new URLSearchParams();
        if (reviewer() !== '') params.set('reviewer', reviewer());
        if (state() !== '' && state() !== 'pending') params.set('state', state());
        if (q('unit')) params.set('unit', q('unit'));
        if (q('project')) params.set('project', q('project'));
        if (q('overdue') === '1') params.set('overdue', '1');
        const all = (await api<{ filings: Filing[] }>(`/api/filings?${params}`)).data.filings;
        filings.value = state() === 'pending' ? all.filter((f) => PENDING.has(f.state)) : all;
        error.value = null;
      } catch (err) {
        error.value = err instanceof ApiError ? err.text : String(err);
      }
    };
    onMounted(async () => {
      names.value = await unitNames().catch(() => new Map());
      await load();
    });
    watch(() => route.fullPath, load);
    onLive(
      () => void load(),
      (n) => n.entity === 'filing',
      300,
    );
    const setQuery = (key: string, value: string | undefined) =>
      void router.replace({ query: { ...route.query, [key]: value } });

    const send = async (f: Filing, event: Record<string, unknown>, done: string) => {
      busy.value = true;
      try {
        await api(`/api/filings/${encodeURIComponent(f.id)}/events`, {
          method: 'POST',
          body: { at: todayInChina(), ...event },
          headers: { 'If-Match': `"${f.version}"`, 'Idempotency-Key': newIdempotencyKey() },
        });
        notice.value = { type: 'success', text: done };
        await load();
        return true;
      } catch (err) {
        notice.value = { type: 'error', text: err instanceof ApiError ? err.text : String(err) };
        await load();
        return false;
      } finally {
        busy.value = false;
      }
    };
    const what = (f: Filing) => {
      const v = vocab.value;
      const details = Object.entries(f.event)
        .filter(([k]) => k !== 'type' && k !== 'at')
        .map(([k, value]) => {
          const label = v?.fields[k];
          const shown = k === 'permit' ? L(v?.permits[value as 'landTitle'], String(value)) : String(value);
          return `${label ? L(label) : k} ${shown}${label?.unit ? ` ${L(label.unit)}` : ''}`;
        })
        .join(',');
      return `${L(v?.events[f.event.type as 'SIGN'], f.event.type)}${details ? `:${details}` : ''}`;
    };
    const mayReview = (f: Filing) => PENDING.has(f.state) && f.reviewers.includes(role());
    const isFiler = (f: Filing) => role() === 'hq' || (role() === 'unit' && me.value?.staff.unitId === f.unitId);

    return () => {
      const v = vocab.value;
      return (
        <div data-testid="filings">
          <div class="gj-title">
            <h1>{t('填报审核', 'Filings and review')}</h1>
            <span class="gj-sub">
              {t(
                '须审核的事项经审核通过后才计入完成数;超过审核时限的标红',
                'Reviewed events count only once approved; those past their deadline are marked',
              )}
            </span>
          </div>
          <div class="gj-filters">
            <ElSelect
              modelValue={reviewer()}
              onUpdate:modelValue={(x: string) => setQuery('reviewer', x)}
              placeholder={t('审核部门', 'Reviewer')}
              style="width:180px"
              data-testid="filter-reviewer"
            >
              <ElOption value="" label={t('全部审核部门', 'Every reviewer')} />
              {REVIEWER_ROLES.map((r) => (
                <ElOption value={r} label={L(v?.roles[r as 'hq'], r)} key={r} />
              ))}
            </ElSelect>
            <ElSelect
              modelValue={state()}
              onUpdate:modelValue={(x: string) => setQuery('state', x)}
              style="width:160px"
              data-testid="filter-state"
            >
              <ElOption value="pending" label={t('待审核', 'Awaiting review')} />
              <ElOption value="" label={t('全部', 'All')} />
              {Object.entries(v?.filingStates ?? {}).map(([key, label]) => (
                <ElOption value={key} label={L(label)} key={key} />
              ))}
            </ElSelect>
            <span>
              <ElSwitch
                modelValue={q('overdue') === '1'}
                onUpdate:modelValue={(x: string | number | boolean) => setQuery('overdue', x ? '1' : undefined)}
                data-testid="filter-overdue"
              />{' '}
              {t('只看超时', 'Overdue only')}
            </span>
          </div>
          {error.value !== null ? <ElAlert type="error" closable={false} title={error.value} /> : null}
          {notice.value !== null ? (
            <ElAlert
              type={notice.value.type}
              title={notice.value.text}
              onClose={() => (notice.value = null)}
              style="margin-bottom:10px"
              data-testid="filings-notice"
            />
          ) : null}
          <ElTable data={filings.value} rowKey="id" data-testid="filings-table" emptyText={t('没有填报', 'No filings')}>
            <ElTableColumn label={t('项目', 'Project')} minWidth="180">
              {{
                default: ({ row }: { row: Filing }) => (
                  <div>
                    <RouterLink to={`/projects/${encodeURIComponent(row.projectId)}`}>{row.projectName}</RouterLink>
                    <div class="gj-muted">{names.value.get(row.unitId) ?? row.unitId}</div>
                  </div>
                ),
              }}
            </ElTableColumn>
            <ElTableColumn label={t('填报事项', 'Filed')} minWidth="220">
              {{
                default: ({ row }: { row: Filing }) => (
                  <div data-testid={`filing-${row.id}`}>
                    <div>
                      {what(row)}({row.event.at})
                    </div>
                    <div class="gj-tags">
                      {row.attachments.map((a) => (
                        <a
                          href={`/api/filings/${encodeURIComponent(row.id)}/attachments/${a.hash}`}
                          target="_blank"
                          rel="noopener"
                          key={a.hash}
                          data-testid={`attachment-${a.hash.slice(0, 8)}`}
                        >
                          {a.type.startsWith('image/') ? (
                            <img
                              src={`/api/filings/${encodeURIComponent(row.id)}/attachments/${a.hash}`}
                              alt={a.name}
                              class="gj-thumb"
                            />
                          ) : (
                            a.name
                          )}
                        </a>
                      ))}
                    </div>
                    {row.returns.length > 0 ? (
                      <div class={row.state === 'returned' ? 'gj-bad' : 'gj-muted'}>
                        {t('退回', 'Returned')} {row.returns.at(-1)!.at}:{row.returns.at(-1)!.reason}
                      </div>
                    ) : null}
                  </div>
                ),
              }}
            </ElTableColumn>
            <ElTableColumn label={t('报送 / 时限', 'Filed / due')} width="150">
              {{
                default: ({ row }: { row: Filing }) => (
                  <div>
                    <div>{row.resubmittedOn ?? row.submittedOn}</div>
                    <div class={row.overdue ? 'gj-bad' : 'gj-muted'}>
                      {t('时限', 'due')} {row.due}
                      {row.overdue ? (
                        <ElTag type="danger" size="small" style="margin-left:4px" data-testid="overdue">
                          {t('超时', 'overdue')}
                        </ElTag>
                      ) : null}
                    </div>
                  </div>
                ),
              }}
            </ElTableColumn>
            <ElTableColumn label={t('状态', 'State')} width="150">
              {{
                default: ({ row }: { row: Filing }) => (
                  <div>
                    <ElTag type={row.state === 'approved' ? 'success' : row.state === 'returned' ? 'warning' : 'info'}>
                      {L(row.stateLabel)}
                    </ElTag>
                    <div class="gj-muted">
                      {t('审核', 'by')} {row.reviewerLabels.map((r) => L(r)).join(t('或', ' or '))}
                    </div>
                  </div>
                ),
              }}
            </ElTableColumn>
            <ElTableColumn label={t('办理', 'Action')} width="190">
              {{
                default: ({ row }: { row: Filing }) => (
                  <div class="gj-actions">
                    {mayReview(row) ? (
                      <>
                        <ElButton
                          size="small"
                          type="primary"
                          loading={busy.value}
                          data-testid={`approve-${row.id}`}
                          onClick={() =>
                            void send(row, { type: 'APPROVE' }, t('已审核通过,已计入', 'Approved: it counts now'))
                          }
                        >
                          {t('通过', 'Approve')}
                        </ElButton>
                        <ElButton
                          size="small"
                          data-testid={`return-${row.id}`}
                          onClick={() => {
                            reason.value = '';
                            returning.value = row;
                          }}
                        >
                          {t('退回', 'Return')}
                        </ElButton>
                      </>
                    ) : null}
                    {row.state === 'returned' && isFiler(row) ? (
                      <ElButton
                        size="small"
                        type="primary"
                        data-testid={`resubmit-${row.id}`}
                        onClick={() => {
                          const { type, at, ...fields } = row.event;
                          void send(
                            row,
                            { type: 'RESUBMIT', event: { type, at, ...fields } },
                            t('已重新报送', 'Resubmitted'),
                          );
                        }}
                      >
                        {t('重新报送', 'Resubmit')}
                      </ElButton>
                    ) : null}
                    {(PENDING.has(row.state) || row.state === 'returned') && isFiler(row) ? (
                      <ElButton
                        size="small"
                        data-testid={`withdraw-${row.id}`}
                        onClick={() => void send(row, { type: 'WITHDRAW' }, t('已撤回', 'Withdrawn'))}
                      >
                        {t('撤回', 'Withdraw')}
                      </ElButton>
                    ) : null}
                  </div>
                ),
              }}
            </ElTableColumn>
          </ElTable>
          <ElDialog
            modelValue={returning.value !== null}
            onUpdate:modelValue={(open: boolean) => {
              if (!open) returning.value = null;
            }}
            title={t('退回填报', 'Return the filing')}
            width="min(480px, 96vw)"
            data-testid="return-dialog"
          >
            <p>{returning.value === null ? '' : `${returning.value.projectName}:${what(returning.value)}`}</p>
            <ElInput
              modelValue={reason.value}
              onUpdate:modelValue={(x: string) => (reason.value = x)}
              type="textarea"
              maxlength={1000}
              placeholder={t('退回原因(必填,如:缺开工照片)', 'Why (required, e.g. the site photo is missing)')}
              data-testid="return-reason"
            />
            <div style="margin-top:10px;text-align:right">
              <ElButton
                type="primary"
                disabled={reason.value.trim() === ''}
                loading={busy.value}
                data-testid="return-submit"
                onClick={async () => {
                  const f = returning.value!;
                  if (await send(f, { type: 'RETURN', reason: reason.value.trim() }, t('已退回', 'Returned')))
                    returning.value = null;
                }}
              >
                {t('退回', 'Return')}
              </ElButton>
            </div>
          </ElDialog>
        </div>
      );
    };
  },
});
