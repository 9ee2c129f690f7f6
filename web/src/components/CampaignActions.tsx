import { ElAlert, ElButton, ElTag } from 'element-plus';
import { computed, defineComponent, onMounted, ref, shallowRef, watch } from 'vue';
import { api, ApiError } from '../api.ts';
import { L, t } from '../i18n.ts';
import { onLive } from '../live.ts';
import { eventSchema, type ObjectSchema } from '../schema.ts';
import { vocab } from '../session.ts';
import SchemaForm, { type Submitted } from './SchemaForm.tsx';

type Bilingual = { zh: string; en: string };
interface CampaignView {
  id: string;
  name: string;
  state: string;
  version: number;
  units: { id: string; name: string }[];
  supervisions: { month: string }[];
  months: string[];
  events: { type: string; allowed: boolean; reason: (Bilingual & { rule: string }) | null }[];
}

const RECORD_LABEL = { zh: '问责', en: 'hold to account' };

/**
 * 攻坚行动 for the campaign office: where the campaign stands and the events it takes now —
 * 启动, 月度督查 (month by month), 考核, 结束, 问责 by hand — as forms from the same schemas as
 * the API, sent with If-Match and an Idempotency-Key; a refusal shows its rule and numbers.
 */
export default defineComponent({
  name: 'GjCampaignActions',
  props: { campaignId: { type: String, required: true } },
  emits: ['changed'],
  setup(props, { emit }) {
    const campaign = shallowRef<CampaignView | null>(null);
    const schemas = shallowRef<Record<string, ObjectSchema>>({});
    const error = ref<string | null>(null);
    const unfolded = ref(false);
    const folded = computed(() => !unfolded.value && !['draft', 'active'].includes(campaign.value?.state ?? ''));
    const load = async () => {
      try {
        const c = (await api<CampaignView>(`/api/campaigns/${encodeURIComponent(props.campaignId)}`)).data;
        campaign.value = c;
        const wanted = c.events.filter((e) => e.allowed || (e.reason !== null && e.reason.rule !== 'role'));
        const found = await Promise.all(wanted.map((e) => eventSchema('CampaignRouteEvent', e.type)));
        schemas.value = Object.fromEntries(
          wanted.flatMap((e, i) => (found[i] === undefined ? [] : [[e.type, found[i]!]])),
        );
        error.value = null;
      } catch (err) {
        error.value = err instanceof ApiError ? err.text : String(err);
      }
    };
    onMounted(load);
    watch(() => props.campaignId, load);
    onLive(
      () => void load(),
      (n) => n.entity === 'campaign' && n.id === props.campaignId,
    );
    const send = async (type: string, body: Record<string, unknown>, key: string): Promise<Submitted> => {
      const c = campaign.value!;
      try {
        await api(`/api/campaigns/${encodeURIComponent(c.id)}/events`, {
          method: 'POST',
          body: { type, ...body },
          // 问责 changes the unit's ladder, not the campaign: the campaign's version is not its precondition.
          headers: {
            ...(type === 'RECORD_ACCOUNTABILITY' ? {} : { 'If-Match': `"${c.version}"` }),
            'Idempotency-Key': key,
          },
        });
        await load();
        emit('changed');
        return { ok: true, message: t('已办理', 'Done') };
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        if (err.status === 409 || err.status === 412) void load();
        return { ok: false, error: err };
      }
    };
    const label = (type: string) =>
      type === 'RECORD_ACCOUNTABILITY' ? L(RECORD_LABEL) : L(vocab.value?.campaignEvents[type as 'START'], type);

    return () => {
      const c = campaign.value;
      if (error.value !== null) return <ElAlert type="error" closable={false} title={error.value} />;
      if (c === null) return null;
      const held = new Set(c.supervisions.map((s) => s.month));
      const months = c.months.filter((m) => !held.has(m)).map((m) => ({ value: m, label: m }));
      const units = c.units.map((u) => ({ value: u.id, label: u.name }));
      const open = c.events.filter((e) => schemas.value[e.type] !== undefined);
      return (
        <section class="gj-card gj-noprint" data-testid="campaign-actions">
          <h2>
            {t('攻坚行动', 'The campaign')} ·{' '}
            <ElTag disableTransitions data-testid="campaign-state">
              {L(vocab.value?.campaignStates[c.state], c.state)}
            </ElTag>{' '}
            <span class="gj-muted">
              {t('版本', 'version')} {c.version} · {t('已督查', 'supervised')}{' '}
              {c.supervisions.map((s) => s.month).join(', ') || '—'}
            </span>
          </h2>
          {open.length === 0 ? (
            <p class="gj-muted">{t('现在没有可办理的事项', 'Nothing to do on the campaign now')}</p>
          ) : null}
          {open.length > 0 && folded.value ? (
            // A campaign that no longer runs keeps only 问责 by hand: folded, under the bulletin's title.
            <ElButton onClick={() => (unfolded.value = true)} data-testid="campaign-unfold">
              {t(`办理事项(${open.length})`, `Actions (${open.length})`)}
            </ElButton>
          ) : null}
          <div class="gj-forms" style={folded.value ? 'display:none' : ''}>
            {open.map((e) => (
              <div class="gj-form" key={`${e.type}-${c.version}`} data-testid={`campaign-${e.type}`}>
                <h3>{label(e.type)}</h3>
                {e.reason !== null ? (
                  <ElAlert type="warning" closable={false} title={`${e.reason.rule}:${L(e.reason)}`} />
                ) : null}
                <SchemaForm
                  schema={schemas.value[e.type]!}
                  choices={{ month: months, unit: units, unitId: units }}
                  initial={months[0] ? { month: months[0].value } : {}}
                  submitLabel={t('提交', 'Submit')}
                  testid={`campaign-form-${e.type}`}
                  submit={(body, key) => send(e.type, body, key)}
                />
              </div>
            ))}
          </div>
        </section>
      );
    };
  },
});
