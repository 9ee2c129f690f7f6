import { ElAlert, ElSkeleton, ElTable, ElTableColumn, ElTag } from 'element-plus';
import { defineComponent, onMounted, ref, shallowRef, watch } from 'vue';
import { RouterLink } from 'vue-router';
import type { LadderStep, Task, WeiKey } from '../../../machines/index.ts';
import { api, ApiError } from '../api.ts';
import { loadCampaigns, unitNames } from '../campaign.ts';
import { L, lang, num, t } from '../i18n.ts';
import { onLive } from '../live.ts';
import { vocab } from '../session.ts';

interface UnitView {
  id: string;
  wei: Record<string, number>;
  ladders: {
    campaignId: string;
    state: string;
    label: { zh: string; en: string } | undefined;
    assessments: { month: string; missedTasks: string[]; bottomTasks: string[]; step: LadderStep; at: string }[];
    accountability: { at: string; reason: string }[];
  }[];
  projects: { id: string; name: string; state: { lifecycle: string }; wei: string[]; version: number }[];
}

/** 单位: a unit's projects and 八未, its monthly results and where it stands on the ladder. */
export default defineComponent({
  name: 'UnitPage',
  props: { id: { type: String, required: true } },
  setup(props) {
    const unit = shallowRef<UnitView | null>(null);
    const name = ref('');
    const error = ref<string | null>(null);
    const localities = shallowRef(new Map<string, 'county' | 'city' | 'district'>());
    const titles = (campaignId: string) => vocab.value!.ladderByLocality[localities.value.get(campaignId) ?? 'county'];
    const load = async () => {
      try {
        unit.value = (await api<UnitView>(`/api/units/${encodeURIComponent(props.id)}`)).data;
        name.value = (await unitNames()).get(props.id) ?? props.id;
        // Each campaign's locality titles its ladder (常务副县长 / 副市长 / 副区长).
        localities.value = new Map((await loadCampaigns()).map((c) => [c.id, c.locality ?? 'county']));
        error.value = null;
      } catch (err) {
        error.value = err instanceof ApiError ? err.text : String(err);
      }
    };
    onMounted(load);
    watch(() => props.id, load);
    onLive(
      () => void load(),
      (n) => n.unitId === props.id,
    );
    const sep = () => (lang.value === 'en' ? ', ' : '、');

    return () => {
      const u = unit.value;
      const v = vocab.value;
      if (error.value !== null) return <ElAlert type="error" closable={false} title={error.value} />;
      if (u === null || v === null) return <ElSkeleton rows={8} animated />;
      return (
        <div data-testid="unit">
          <div class="gj-title">
            <h1>{name.value}</h1>
            <span class="gj-sub">
              {u.id} · {t(`${u.projects.length} 个项目`, `${u.projects.length} projects`)}
            </span>
          </div>
          <section class="gj-card" style="margin-bottom:16px">
            <h2>{t('“八未”项目', 'Stalled projects (八未)')}</h2>
            <div class="gj-stats">
              {v.weiKeys.map((key) => (
                <RouterLink class="gj-stat" to={{ path: '/projects', query: { unit: u.id, wei: key } }} key={key}>
                  <div class="v">{num(u.wei[key] ?? 0)}</div>
                  <div class="l">{L(v.wei[key as WeiKey])}</div>
                </RouterLink>
              ))}
            </div>
          </section>
          {u.ladders.map((l) => (
            <section class="gj-card" style="margin-bottom:16px" key={l.campaignId}>
              <h2>
                {t('月度考核与约谈问责', 'Monthly results and the ladder')} · {l.campaignId}{' '}
                <ElTag type={l.state === 'goodStanding' ? 'success' : 'danger'} data-testid="ladder-state">
                  {L(titles(l.campaignId).states[l.state], l.state)}
                </ElTag>
              </h2>
              <div class="gj-table-wrap">
                <ElTable data={l.assessments} style="width:100%">
                  <ElTableColumn prop="month" label={t('月份', 'Month')} width={100} />
                  <ElTableColumn label={t('结果', 'Result')} minWidth={220}>
                    {{
                      default: ({ row }: { row: UnitView['ladders'][number]['assessments'][number] }) => (
                        <span class={row.step === 'good' ? '' : 'gj-bad'}>
                          {L(titles(l.campaignId).steps[row.step], row.step)}
                        </span>
                      ),
                    }}
                  </ElTableColumn>
                  <ElTableColumn label={t('未完成任务', 'Missed tasks')} minWidth={200}>
                    {{
                      default: ({ row }: { row: { missedTasks: string[] } }) =>
                        row.missedTasks.map((k) => L(v.tasks[k as Task], k)).join(sep()) || '—',
                    }}
                  </ElTableColumn>
                  <ElTableColumn label={t('排名靠后', 'Bottom of group')} minWidth={160}>
                    {{
                      default: ({ row }: { row: { bottomTasks: string[] } }) =>
                        row.bottomTasks.map((k) => L(v.tasks[k as Task], k)).join(sep()) || '—',
                    }}
                  </ElTableColumn>
                </ElTable>
              </div>
              {l.accountability.length > 0 ? (
                <ul>
                  {l.accountability.map((a) => (
                    <li key={a.at + a.reason}>
                      {a.at} {t('问责', 'accountability')}:{a.reason}
                    </li>
                  ))}
                </ul>
              ) : null}
            </section>
          ))}
          <section class="gj-card">
            <h2>{t('项目', 'Projects')}</h2>
            <div class="gj-table-wrap">
              <ElTable data={u.projects} stripe style="width:100%">
                <ElTableColumn label={t('项目名称', 'Project')} minWidth={200}>
                  {{
                    default: ({ row }: { row: UnitView['projects'][number] }) => (
                      <RouterLink to={`/projects/${encodeURIComponent(row.id)}`}>{row.name}</RouterLink>
                    ),
                  }}
                </ElTableColumn>
                <ElTableColumn label={t('阶段', 'Stage')} width={110}>
                  {{
                    default: ({ row }: { row: UnitView['projects'][number] }) =>
                      L(v.states.lifecycle[row.state.lifecycle as 'signed'], row.state.lifecycle),
                  }}
                </ElTableColumn>
                <ElTableColumn label={t('“八未”', '八未')} minWidth={180}>
                  {{
                    default: ({ row }: { row: UnitView['projects'][number] }) => (
                      <span class="gj-tags">
                        {row.wei.map((w) => (
                          <ElTag type="warning" size="small" key={w}>
                            {L(v.wei[w as WeiKey])}
                          </ElTag>
                        ))}
                      </span>
                    ),
                  }}
                </ElTableColumn>
              </ElTable>
            </div>
          </section>
        </div>
      );
    };
  },
});
