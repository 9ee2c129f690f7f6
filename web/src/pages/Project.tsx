import { ElAlert, ElButton, ElCollapse, ElCollapseItem, ElProgress, ElSkeleton, ElTag } from 'element-plus';
import CorrectionDialog, { type CorrectedEntry } from '../components/CorrectionDialog.tsx';
import Evidence, { type EvidenceRef } from '../components/Evidence.tsx';
import { me } from '../session.ts';
import { computed, defineComponent, onMounted, ref, shallowRef, watch } from 'vue';
import { RouterLink } from 'vue-router';
import type { ProjectContext, ProjectStateValue, WeiKey } from '../../../machines/index.ts';
import { api, ApiError } from '../api.ts';
import { unitNames } from '../campaign.ts';
import SchemaForm, { type Submitted } from '../components/SchemaForm.tsx';
import { L, lang, num, t } from '../i18n.ts';
import { onLive } from '../live.ts';
import { eventSchema, type ObjectSchema } from '../schema.ts';
import { vocab } from '../session.ts';

type Bilingual = { zh: string; en: string };
interface ProjectView {
  id: string;
  version: number;
  machineVersion: number;
  state: ProjectStateValue;
  context: ProjectContext;
  wei: (Bilingual & { key: WeiKey })[];
  events: {
    type: string;
    label: Bilingual;
    allowed: boolean;
    reason: (Bilingual & { rule: string }) | null;
    /** Reviewed by a campaign: `filed` when this member files it for review (not one of its reviewers). */
    review: { reviewers: string[]; campaignId: string; filed: boolean } | null;
  }[];
}
interface FilingRow {
  id: string;
  state: string;
  stateLabel: Bilingual;
  event: { type: string; at: string };
  submittedOn: string;
  due: string;
  overdue: boolean;
  reviewerLabels: Bilingual[];
  returns: { at: string; reason: string }[];
}
interface Entry {
  seq: number;
  kind: 'create' | 'event' | 'refusal' | 'correction';
  supersedes?: number;
  void?: boolean;
  reason?: string;
  link?: { entity: string; id: string; at?: string };
  at: string | null;
  actor: string;
  event?: Record<string, unknown>;
  rejection?: Bilingual & { rule: string };
  version: number;
  recordedAt: string;
}

/** A blocked event: its reason names a rule of the project (not the role or the unit). */
const blockedByRule = (reason: { rule: string } | null) =>
  reason !== null && !['role', 'unit', 'otherUnit', 'forbidden'].includes(reason.rule);

/**
 * 项目详情: where the project stands (stage, 八未, permits, land, bond, output), its timeline
 * (accepted events and refusals, who and when), and — for the person signed in — exactly the
 * events they may send now, as forms. Sent with If-Match (the version shown) and an
 * Idempotency-Key; a refusal shows its reason inline; a stale version offers a refresh.
 */
export default defineComponent({
  name: 'ProjectPage',
  props: { id: { type: String, required: true } },
  setup(props) {
    const project = shallowRef<ProjectView | null>(null);
    const history = shallowRef<Entry[]>([]);
    const filings = shallowRef<FilingRow[]>([]);
    const evidence = ref<Record<string, EvidenceRef[]>>({});
    const correcting = shallowRef<CorrectedEntry | null>(null);
    const correctingSchema = shallowRef<ObjectSchema | null>(null);
    const schemas = shallowRef<Record<string, ObjectSchema>>({});
    const names = shallowRef(new Map<string, string>());
    const actors = shallowRef<Record<string, string>>({});
    const error = ref<string | null>(null);
    const changedElsewhere = ref(false);

    const load = async () => {
      try {
        const id = encodeURIComponent(props.id);
        const [p, h, f] = await Promise.all([
          api<ProjectView>(`/api/projects/${id}`),
          api<{ entries: Entry[]; actors: Record<string, string> }>(`/api/projects/${id}/history`),
          api<{ filings: FilingRow[] }>(`/api/filings?project=${id}`),
        ]);
        project.value = p.data;
        history.value = h.data.entries.slice().reverse();
        actors.value = h.data.actors;
        filings.value = f.data.filings.filter((x) => x.state !== 'approved' && x.state !== 'withdrawn');
        error.value = null;
        changedElsewhere.value = false;
        const wanted = p.data.events.filter((e) => e.allowed || blockedByRule(e.reason)).map((e) => e.type);
        const found = await Promise.all(wanted.map((type) => eventSchema('ProjectEvent', type)));
        schemas.value = Object.fromEntries(
          wanted.flatMap((type, i) => (found[i] === undefined ? [] : [[type, found[i]!]])),
        );
      } catch (err) {
        error.value = err instanceof ApiError ? err.text : String(err);
      }
    };
    onMounted(async () => {
      names.value = await unitNames().catch(() => new Map());
      await load();
    });
    watch(() => props.id, load);
    // Someone else changed it: reload (the forms keep what was typed; the version moves on).
    onLive(
      () => void load(),
      (n) => (n.entity === 'project' && n.id === props.id) || n.entity === 'filing',
      300,
    );

    const send = async (body: Record<string, unknown>, key: string, type: string): Promise<Submitted> => {
      const p = project.value!;
      // A type the campaign reviews is filed (with its evidence) and counts once approved.
      const filed = p.events.find((e) => e.type === type)?.review?.filed === true;
      const attachments = (evidence.value[type] ?? []).map(({ hash, name }) => ({ hash, name }));
      try {
        await api(`/api/projects/${encodeURIComponent(p.id)}/${filed ? 'filings' : 'events'}`, {
          method: 'POST',
          body: filed ? { type, ...body, attachments } : { type, ...body },
          headers: { 'If-Match': `"${p.version}"`, 'Idempotency-Key': key },
        });
        if (filed) evidence.value = { ...evidence.value, [type]: [] };
        await load();
        const what = L(vocab.value?.events[type as 'SIGN']);
        return {
          ok: true,
          message: filed
            ? t(`已提交审核:${what}(审核通过后计入)`, `Filed for review: ${what} (counts once approved)`)
            : t(`已办理:${what}`, `Done: ${what}`),
        };
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        if (err.status === 412) changedElsewhere.value = true;
        if (err.status === 409) void load();
        return { ok: false, error: err };
      }
    };
    const correct = async (e: Entry) => {
      const event = e.event as CorrectedEntry['event'];
      correctingSchema.value = (await eventSchema('ProjectEvent', event.type)) ?? null;
      correcting.value = { seq: e.seq, event };
    };
    /** Accepted events corrected (or voided) later, by seq → the correction. */
    const corrections = computed(
      () => new Map(history.value.filter((e) => e.kind === 'correction').map((e) => [e.supersedes!, e])),
    );

    const forms = computed(() =>
      (project.value?.events ?? []).filter(
        (e) => schemas.value[e.type] !== undefined && (e.allowed || blockedByRule(e.reason)),
      ),
    );
    const describe = (e: Entry): string => {
      const v = vocab.value;
      if (e.kind === 'create') return t('登记项目', 'registered');
      if (e.kind === 'correction' && e.void === true)
        return t(`作废第 ${e.supersedes} 条`, `voided entry ${e.supersedes}`);
      if (e.kind === 'correction')
        return `${t(`更正第 ${e.supersedes} 条为`, `corrected entry ${e.supersedes} to`)} ${describe({
          ...e,
          kind: 'event',
        })}`;
      const type = String(e.event?.type ?? '');
      const details = Object.entries(e.event ?? {})
        .filter(([k]) => k !== 'type' && k !== 'at')
        .map(([k, value]) => {
          const f = v?.fields[k];
          const shown = k === 'permit' ? L(v?.permits[value as 'landTitle'], String(value)) : String(value);
          return `${f ? L(f) : k} ${shown}${f?.unit ? ` ${L(f.unit)}` : ''}`;
        })
        .join(',');
      return `${L(v?.events[type as 'SIGN'], type)}${details ? `:${details}` : ''}`;
    };

    return () => {
      const p = project.value;
      const v = vocab.value;
      if (error.value !== null && p === null) return <ElAlert type="error" closable={false} title={error.value} />;
      if (p === null || v === null) return <ElSkeleton rows={10} animated />;
      const c = p.context;
      const regions = Object.keys(v.regions) as (keyof ProjectStateValue)[];
      return (
        <div data-testid="project">
          <div class="gj-title">
            <h1 data-testid="project-name">{c.name}</h1>
            <span class="gj-sub">
              {p.id} ·{' '}
              <RouterLink to={`/units/${encodeURIComponent(c.unitId)}`}>
                {names.value.get(c.unitId) ?? c.unitId}
              </RouterLink>{' '}
              · {t('版本', 'version')} <span data-testid="project-version">{p.version}</span> ·{' '}
              <RouterLink to={{ path: '/inspect/project', query: { instance: p.id } }}>
                {t('在状态机中查看', 'in the inspector')}
              </RouterLink>
            </span>
          </div>
          {changedElsewhere.value ? (
            <ElAlert
              type="warning"
              closable={false}
              title={t(
                '该项目刚被他人修改,请刷新后再提交',
                'Someone else just changed this project: refresh, then submit again',
              )}
              data-testid="stale"
              style="margin-bottom:12px"
            >
              <ElButton size="small" onClick={() => void load()} data-testid="refresh">
                {t('刷新', 'Refresh')}
              </ElButton>
            </ElAlert>
          ) : null}
          <div class="gj-grid">
            <section class="gj-card">
              <h2>{t('当前状态', 'Where it stands')}</h2>
              <div class="gj-tags" style="margin-bottom:10px" data-testid="project-wei">
                {p.wei.length === 0 ? (
                  <ElTag type="success">{t('不在“八未”', 'in no 八未')}</ElTag>
                ) : (
                  p.wei.map((w) => (
                    <ElTag type="warning" key={w.key}>
                      {L(w)}
                    </ElTag>
                  ))
                )}
              </div>
              <dl class="gj-kv">
                {regions.map((r) => (
                  <>
                    <dt>{L(v.regions[r])}</dt>
                    <dd data-testid={`state-${r}`}>
                      {L((v.states[r] as Record<string, Bilingual>)[p.state[r]], p.state[r])}
                    </dd>
                  </>
                ))}
                <dt>{t('计划投资', 'Planned investment')}</dt>
                <dd>
                  {num(c.plannedInvestment)} {t('万元', '×10k yuan')}
                </dd>
                {c.enterprise ? (
                  <>
                    <dt>{t('企业', 'Enterprise')}</dt>
                    <dd>{c.enterprise}</dd>
                  </>
                ) : null}
              </dl>
            </section>
            <section class="gj-card">
              <h2>{t('办证、征拆、专项债、产值', 'Permits, land, bond, output')}</h2>
              <dl class="gj-kv">
                <dt>{t('已办证件', 'Permits')}</dt>
                <dd data-testid="permits">
                  {c.permits.length === 0
                    ? t('无', 'none')
                    : c.permits.map((k) => L(v.permits[k])).join(lang.value === 'en' ? ', ' : '、')}{' '}
                  ({c.permits.length}/4)
                </dd>
                {c.land ? (
                  <>
                    <dt>{t('征拆', 'Land')}</dt>
                    <dd data-testid="land">
                      <span data-testid="land-text">
                        {t(
                          `${num(c.land.clearedMu)} / ${num(c.land.requiredMu)} 亩,${num(c.land.demolished, 0)} / ` +
                            `${num(c.land.houses, 0)} 栋`,
                          `${num(c.land.clearedMu)} / ${num(c.land.requiredMu)} mu, ${num(c.land.demolished, 0)} / ` +
                            `${num(c.land.houses, 0)} houses`,
                        )}
                      </span>
                      <ElProgress
                        percentage={
                          c.land.requiredMu > 0
                            ? Math.min(100, Math.round((c.land.clearedMu / c.land.requiredMu) * 100))
                            : 100
                        }
                      />
                    </dd>
                  </>
                ) : null}
                <dt>{t('完成投资', 'Invested')}</dt>
                <dd data-testid="invested">
                  {num((c.investments ?? []).reduce((a, r) => a + r.amount, 0))} / {num(c.plannedInvestment)}{' '}
                  {t('万元', '×10k yuan')}
                  {(c.investments ?? []).length > 0 ? `(${t('最近', 'latest')} ${c.investments!.at(-1)!.month})` : ''}
                  {(c.progress ?? []).length > 0
                    ? ` · ${t('形象进度', 'progress')} ${c.progress!.at(-1)!.percent}%(${c.progress!.at(-1)!.month})`
                    : ''}
                </dd>
                {c.programmeId !== undefined ? (
                  <>
                    <dt>{t('所属项目群', 'Programme')}</dt>
                    <dd>
                      <RouterLink to={`/programmes/${encodeURIComponent(c.programmeId)}`}>{c.programmeId}</RouterLink>
                      {c.capacity ? ` · ${num(c.capacity.value)} ${c.capacity.unit}` : ''}
                    </dd>
                  </>
                ) : null}
                <dt>{t('专项债', 'Bond')}</dt>
                <dd data-testid="bond">
                  {t('下达', 'allocated')} {num(c.bond.allocated)},{t('拨付', 'disbursed')} {num(c.bond.disbursed)}{' '}
                  {t('万元', '×10k yuan')}
                </dd>
                {c.outputTarget !== null ? (
                  <>
                    <dt>{t('产值', 'Output')}</dt>
                    <dd>
                      {t('达产目标', 'target')} {num(c.outputTarget)} {t('万元/月', '×10k yuan/month')}
                      {t(';', ';')}
                      {c.outputs.length > 0
                        ? ` ${t('最近', 'latest')} ${c.outputs.at(-1)!.month} ${num(c.outputs.at(-1)!.output)}`
                        : ` ${t('尚未报送', 'none reported')}`}
                    </dd>
                  </>
                ) : null}
              </dl>
            </section>
          </div>

          <section class="gj-card" style="margin-top:16px" data-testid="actions">
            <h2>{t('办理', 'File progress')}</h2>
            {forms.value.length === 0 ? (
              <p class="gj-muted" data-testid="no-actions">
                {t('您现在没有可办理的事项', 'There is nothing you can file on this project now')}
              </p>
            ) : (
              forms.value.map((e) => (
                <div class="gj-form" key={`${e.type}-${p.version}`} data-testid={`action-${e.type}`}>
                  <h3>{L(e.label)}</h3>
                  {!e.allowed && e.reason ? (
                    <ElAlert
                      type="info"
                      closable={false}
                      title={`${t('按当前情况将被拒绝', 'Would be refused as things stand')}:${L(e.reason)}`}
                      style="margin-bottom:8px"
                      data-testid={`blocked-${e.type}`}
                    />
                  ) : null}
                  {e.review?.filed ? (
                    <>
                      <p class="gj-muted" data-testid={`review-${e.type}`}>
                        {t(
                          `该事项须经${e.review.reviewers.map((r) => L(v.roles[r as 'hq'])).join('或')}审核后计入`,
                          `Reviewed by ${e.review.reviewers.map((r) => L(v.roles[r as 'hq'])).join(' or ')} ` +
                            'before it counts',
                        )}
                      </p>
                      <Evidence
                        modelValue={evidence.value[e.type] ?? []}
                        onUpdate:modelValue={(list: EvidenceRef[]) =>
                          (evidence.value = { ...evidence.value, [e.type]: list })
                        }
                        testid={`evidence-${e.type}`}
                      />
                    </>
                  ) : null}
                  <SchemaForm
                    schema={schemas.value[e.type]!}
                    submitLabel={e.review?.filed ? t('提交审核', 'File for review') : t('提交', 'Submit')}
                    testid={`form-${e.type}`}
                    submit={(body, key) => send(body, key, e.type)}
                  />
                </div>
              ))
            )}
            {p.events.filter((e) => !e.allowed && !blockedByRule(e.reason)).length > 0 ? (
              <ElCollapse>
                <ElCollapseItem title={t('其他事项(无权办理)', 'Other events (not yours to send)')}>
                  <ul>
                    {p.events
                      .filter((e) => !e.allowed && !blockedByRule(e.reason))
                      .map((e) => (
                        <li key={e.type}>
                          {L(e.label)}:{L(e.reason ?? undefined)}
                        </li>
                      ))}
                  </ul>
                </ElCollapseItem>
              </ElCollapse>
            ) : null}
          </section>

          {filings.value.length > 0 ? (
            <section class="gj-card" style="margin-top:16px" data-testid="project-filings">
              <h2>
                {t('审核中的填报', 'Filings under review')}{' '}
                <RouterLink to={{ path: '/filings', query: { project: p.id } }} class="gj-sub">
                  {t('审核队列', 'review queue')}
                </RouterLink>
              </h2>
              <ul>
                {filings.value.map((f) => (
                  <li key={f.id} data-testid={`filing-${f.id}`}>
                    {L(v.events[f.event.type as 'SIGN'], f.event.type)}({f.event.at}) · {L(f.stateLabel)} ·{' '}
                    {t('审核时限', 'due')} {f.due}
                    {f.overdue ? (
                      <ElTag type="danger" size="small" style="margin-left:6px">
                        {t('已超时', 'overdue')}
                      </ElTag>
                    ) : null}
                    {f.returns.length > 0 && f.state === 'returned' ? (
                      <div class="gj-bad">
                        {t('退回原因', 'Returned')}:{f.returns.at(-1)!.reason}
                      </div>
                    ) : null}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}

          <CorrectionDialog
            projectId={p.id}
            version={p.version}
            entry={correcting.value}
            schema={correctingSchema.value}
            onClose={() => (correcting.value = null)}
            onDone={() => {
              correcting.value = null;
              void load();
            }}
          />

          <section class="gj-card" style="margin-top:16px">
            <h2>{t('办理记录', 'Timeline')}</h2>
            <ul class="gj-timeline" data-testid="timeline">
              {history.value.map((e) => (
                <li class={e.kind} key={e.seq} data-kind={e.kind}>
                  <div class="when">
                    {e.at ?? '—'} · {actors.value[e.actor] ?? e.actor} · {t('记录于', 'recorded')}{' '}
                    {e.recordedAt.slice(0, 16).replace('T', ' ')}
                    {e.kind === 'refusal' ? ` · ${t('被拒绝', 'refused')}` : ` · v${e.version}`}
                  </div>
                  <div>
                    {describe(e)}
                    {e.link?.entity === 'filing' ? (
                      <span class="gj-muted">
                        {' '}
                        · {t('经审核', 'reviewed')} {e.link.at ?? ''}
                      </span>
                    ) : null}
                    {corrections.value.has(e.seq) ? (
                      <ElTag size="small" type="warning" style="margin-left:6px" data-testid={`corrected-${e.seq}`}>
                        {corrections.value.get(e.seq)!.void ? t('已作废', 'voided') : t('已更正', 'corrected')}
                      </ElTag>
                    ) : null}
                    {e.kind === 'event' &&
                    me.value?.staff.role === 'hq' &&
                    corrections.value.get(e.seq)?.void !== true ? (
                      <ElButton
                        link
                        type="primary"
                        size="small"
                        style="margin-left:6px"
                        onClick={() => void correct(e)}
                        data-testid={`correct-${e.seq}`}
                      >
                        {t('更正', 'Correct')}
                      </ElButton>
                    ) : null}
                  </div>
                  {e.kind === 'correction' ? (
                    <div class="gj-muted" data-testid={`correction-${e.seq}`}>
                      {t('更正原因', 'Reason')}:{e.reason}
                    </div>
                  ) : null}
                  {e.kind === 'refusal' && e.rejection ? (
                    <div class="gj-bad">
                      {L(e.rejection)}({e.rejection.rule})
                    </div>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
        </div>
      );
    };
  },
});
