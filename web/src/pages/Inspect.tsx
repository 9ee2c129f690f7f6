import { ElAlert, ElSkeleton, ElTable, ElTableColumn } from 'element-plus';
import { defineComponent, onMounted, ref, shallowRef } from 'vue';
import { RouterLink } from 'vue-router';
import { api, ApiError } from '../api.ts';
import { L, t } from '../i18n.ts';

interface MachineInfo {
  id: string;
  machineId: string;
  label: { zh: string; en: string };
  version: number;
  rules: string[];
  roles: Record<string, string[]>;
}

/**
 * 状态机: the machines the rules live in, from the registry (/api/machines). The drawn,
 * live inspector is the next issue's; this page lists each machine, its version, its named
 * rules and who may send each event.
 */
export default defineComponent({
  name: 'InspectPage',
  props: { machine: { type: String, default: '' } },
  setup(props) {
    const machines = shallowRef<MachineInfo[] | null>(null);
    const error = ref<string | null>(null);
    onMounted(async () => {
      try {
        machines.value = (await api<{ machines: MachineInfo[] }>('/api/machines')).data.machines;
      } catch (err) {
        error.value = err instanceof ApiError ? err.text : String(err);
      }
    });
    return () => {
      if (error.value !== null) return <ElAlert type="error" closable={false} title={error.value} />;
      if (machines.value === null) return <ElSkeleton rows={6} />;
      const shown = machines.value.filter((m) => props.machine === '' || m.id === props.machine);
      return (
        <div data-testid="inspect">
          <div class="gj-title">
            <h1>{t('状态机', 'Machines')}</h1>
            <span class="gj-sub">{t('业务规则所在之处', 'where the rules live')}</span>
          </div>
          <ElAlert
            type="info"
            closable={false}
            style="margin-bottom:12px"
            title={t(
              '状态图与实时实例查看器在下一版本提供;此处列出各状态机及其规则。',
              'The drawn statecharts and live instances come next; here are the machines and their rules.',
            )}
          />
          {shown.map((m) => (
            <section class="gj-card" style="margin-bottom:16px" key={m.id}>
              <h2>
                <RouterLink to={`/inspect/${m.id}`}>{L(m.label)}</RouterLink> · {m.machineId} · v{m.version}
              </h2>
              <p class="gj-muted">
                {t('规则', 'Rules')}:{m.rules.join(', ')}
              </p>
              <div class="gj-table-wrap">
                <ElTable
                  data={Object.entries(m.roles).map(([event, roles]) => ({ event, roles: roles.join(', ') }))}
                  size="small"
                >
                  <ElTableColumn prop="event" label={t('事件', 'Event')} width={220} />
                  <ElTableColumn prop="roles" label={t('可发送的角色', 'Roles that may send it')} />
                </ElTable>
              </div>
            </section>
          ))}
        </div>
      );
    };
  },
});
