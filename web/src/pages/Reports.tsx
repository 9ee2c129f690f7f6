import { ElAlert, ElButton, ElOption, ElSelect, ElSkeleton } from 'element-plus';
import { computed, defineComponent, onMounted, ref, shallowRef, watch } from 'vue';
import { RouterLink, useRoute, useRouter } from 'vue-router';
import type { CampaignReport, Task } from '../../../machines/index.ts';
import { api, ApiError } from '../api.ts';
import { currentCampaign, loadCampaigns, type CampaignSummary } from '../campaign.ts';
import { L, lang, num, pct, t } from '../i18n.ts';
import CampaignActions from '../components/CampaignActions.tsx';
import { isRole, vocab } from '../session.ts';

/**
 * 督查通报: the monthly supervision bulletin of a campaign as a page (print it: the header and
 * controls drop away), and the whole report as the printable HTML page and the Excel workbook,
 * downloaded with the signed-in session. The campaign office (hq) runs the campaign from here:
 * start it, hold each month's supervision, assess, close, 问责.
 */
export default defineComponent({
  name: 'ReportsPage',
  setup() {
    const route = useRoute();
    const router = useRouter();
    const campaigns = shallowRef<CampaignSummary[]>([]);
    const report = shallowRef<CampaignReport | null>(null);
    const error = ref<string | null>(null);
    const campaignId = computed(() => currentCampaign(campaigns.value, route.query.campaign)?.id);
    const month = computed(() => {
      const months = report.value?.supervisions.map((s) => s.month) ?? [];
      const wanted = route.query.month;
      return typeof wanted === 'string' && months.includes(wanted) ? wanted : (months.at(-1) ?? '');
    });
    const load = async () => {
      try {
        campaigns.value = await loadCampaigns(true);
        report.value =
          campaignId.value === undefined
            ? null
            : (await api<CampaignReport>(`/api/campaigns/${encodeURIComponent(campaignId.value)}/report`)).data;
        error.value = null;
      } catch (err) {
        error.value = err instanceof ApiError ? err.text : String(err);
      }
    };
    onMounted(load);
    watch(() => route.query.campaign, load);
    const go = (change: Record<string, string>) =>
      void router.push({ path: '/reports', query: { ...route.query, ...change } });

    return () => {
      const r = report.value;
      const v = vocab.value;
      if (error.value !== null) return <ElAlert type="error" closable={false} title={error.value} />;
      if (v === null || (campaigns.value.length > 0 && r === null)) return <ElSkeleton rows={8} animated />;
      if (r === null) return <p class="gj-muted">{t('尚无攻坚行动', 'No campaign yet')}</p>;
      const s = r.supervisions.find((x) => x.month === month.value);
      const id = encodeURIComponent(r.campaign.id);
      const taskName = (k: string) => L(v.tasks[k as Task], k);
      const sep = lang.value === 'en' ? ', ' : '、';
      return (
        <div data-testid="reports">
          <div class="gj-title">
            <h1>{t('督查通报', 'Supervision bulletins')}</h1>
            <span class="gj-sub">{r.campaign.name}</span>
          </div>
          <div class="gj-filters gj-noprint">
            {campaigns.value.length > 1 ? (
              <ElSelect modelValue={r.campaign.id} onUpdate:modelValue={(c: string) => go({ campaign: c })}>
                {campaigns.value.map((c) => (
                  <ElOption value={c.id} label={c.name} key={c.id} />
                ))}
              </ElSelect>
            ) : null}
            <ElSelect
              modelValue={month.value}
              onUpdate:modelValue={(m: string) => go({ month: m })}
              data-testid="report-month"
            >
              {r.supervisions.map((x) => (
                <ElOption value={x.month} label={x.month} key={x.month} />
              ))}
            </ElSelect>
            <ElButton onClick={() => window.print()}>{t('打印本月通报', 'Print this bulletin')}</ElButton>
            {month.value ? (
              <>
                <a
                  href={`/api/campaigns/${id}/supervisions/${month.value}?format=html`}
                  target="_blank"
                  rel="noopener"
                  data-testid="bulletin-html"
                >
                  <ElButton>{t('通报公文(可打印)', 'Bulletin document (printable)')}</ElButton>
                </a>
                <a
                  href={`/api/campaigns/${id}/supervisions/${month.value}?format=docx`}
                  download
                  data-testid="bulletin-docx"
                >
                  <ElButton type="primary">{t('下载通报 Word', 'Download bulletin (Word)')}</ElButton>
                </a>
              </>
            ) : null}
            <a
              href={`/api/campaigns/${id}/report?format=html`}
              target="_blank"
              rel="noopener"
              data-testid="report-html"
            >
              <ElButton>{t('完整报告(可打印网页)', 'Full report (printable page)')}</ElButton>
            </a>
            <a href={`/api/campaigns/${id}/report?format=xlsx`} download data-testid="report-xlsx">
              <ElButton>{t('下载 Excel', 'Download Excel')}</ElButton>
            </a>
          </div>
          {isRole('hq') ? <CampaignActions campaignId={r.campaign.id} onChanged={() => void load()} /> : null}
          {s === undefined ? (
            <p class="gj-muted">{t('尚未开展月度督查', 'No monthly supervision yet')}</p>
          ) : (
            <article class="gj-card" data-testid="bulletin">
              <h2 style="text-align:center;font-size:20px">
                {r.campaign.name} · {s.month} {t('督查通报', 'supervision bulletin')}
              </h2>
              <p class="gj-muted" style="text-align:center">
                {s.from} — {s.to} · {t('序时进度', 'time elapsed')} {pct(s.elapsed)}
              </p>
              {Object.entries(v.groups).map(([group, label]) => {
                const units = s.units.filter((u) => u.group === group);
                if (units.length === 0) return null;
                return (
                  <section key={group} style="margin-bottom:16px">
                    <h3>{L(label)}</h3>
                    <div class="gj-table-wrap">
                      <table class="gj-matrix" style="width:100%">
                        <thead>
                          <tr>
                            <th class="unit">{t('单位', 'Unit')}</th>
                            <th>{t('任务完成', 'Tasks')}</th>
                            <th>{t('未完成', 'Missed')}</th>
                            <th>{t('排名靠后', 'Bottom')}</th>
                            <th>{t('处理', 'Consequence')}</th>
                          </tr>
                        </thead>
                        <tbody>
                          {units.map((u) => (
                            <tr key={u.unitId}>
                              <th class="unit">
                                <RouterLink to={`/units/${encodeURIComponent(u.unitId)}`}>{u.name}</RouterLink>
                              </th>
                              <td style="text-align:left;white-space:normal">
                                {u.tasks
                                  .filter((x) => x.rate !== null)
                                  .map((x) => `${taskName(x.task)} ${num(x.actual)}/${num(x.target)}(${pct(x.rate)})`)
                                  .join(sep)}
                              </td>
                              <td class={u.missedTasks.length > 0 ? 'red' : 'green'} style="white-space:normal">
                                {u.missedTasks.map(taskName).join(sep) || '—'}
                              </td>
                              <td style="white-space:normal">{u.bottomTasks.map(taskName).join(sep) || '—'}</td>
                              <td style="white-space:normal">
                                {u.step === 'good' ? (
                                  '—'
                                ) : (
                                  <span class={u.step === 'missed' ? '' : 'gj-bad'}>
                                    {L(v.ladderByLocality[r.campaign.locality].steps[u.step], u.step)}
                                  </span>
                                )}
                              </td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </div>
                  </section>
                );
              })}
            </article>
          )}
        </div>
      );
    };
  },
});
