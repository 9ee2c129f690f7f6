import { ElAlert, ElDescriptions, ElDescriptionsItem, ElTag } from 'element-plus';
import { defineComponent, onBeforeUnmount, onMounted, ref, shallowRef } from 'vue';
import { api, ApiError } from '../api.ts';
import { num, t } from '../i18n.ts';
import { me } from '../session.ts';

interface SystemStatus {
  node: { pid: number; startedAt: string; uptimeSeconds: number; version: string; nodeVersion: string };
  store: {
    kind: 'memory' | 'file' | 'postgres';
    location: string;
    health: { status: 'ok' } | { status: 'degraded'; journal: { code: string; message: string; since: string } };
    position: number;
    commits: number;
    syncs: number;
    journalBytes: number;
    segments: number;
    checkpointSeq: number;
    checkpointAt: string | null;
  };
  staff: { location: string; sessions: 'shared' | 'node' };
}

/** A span of seconds as people say it: 3 天 4 小时, 12 分钟… */
function duration(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return t(`${d} 天 ${h} 小时`, `${d} d ${h} h`);
  if (h > 0) return t(`${h} 小时 ${m} 分钟`, `${h} h ${m} min`);
  return m > 0 ? t(`${m} 分钟`, `${m} min`) : t(`${seconds} 秒`, `${seconds} s`);
}

const time = (iso: string) => new Date(iso).toLocaleString('zh-CN', { hour12: false });

/**
 * 系统状态 (hq): the node answering and the store it serves from — embedded files or
 * PostgreSQL, where, whether it takes writes now (and since when not), how far the journal has
 * come. Refreshed every five seconds: a database that went away and came back shows both.
 */
export default defineComponent({
  name: 'SystemPage',
  setup() {
    const status = shallowRef<SystemStatus | null>(null);
    const error = ref<string | null>(null);
    const load = async () => {
      try {
        status.value = (await api<SystemStatus>('/api/system')).data;
        error.value = null;
      } catch (err) {
        error.value = err instanceof ApiError ? err.text : String(err);
      }
    };
    let timer: ReturnType<typeof setInterval> | null = null;
    // On a phone, one column: a label beside its value, not broken over lines.
    const phone = window.matchMedia('(max-width: 640px)');
    const narrow = ref(phone.matches);
    const resized = () => (narrow.value = phone.matches);
    onMounted(() => {
      void load();
      timer = setInterval(() => void load(), 5_000);
      phone.addEventListener('change', resized);
    });
    onBeforeUnmount(() => {
      if (timer !== null) clearInterval(timer);
      phone.removeEventListener('change', resized);
    });
    const kind = (k: SystemStatus['store']['kind']) =>
      k === 'postgres'
        ? t('PostgreSQL 数据库', 'PostgreSQL')
        : k === 'file'
          ? t('内置存储(数据目录)', 'Embedded (data directory)')
          : t('内存(不保存)', 'Memory (not saved)');
    return () => {
      if (me.value?.staff.role !== 'hq')
        return (
          <ElAlert
            type="warning"
            closable={false}
            title={t('只有三高办可以查看系统状态', 'Only the campaign office sees the system status')}
          />
        );
      const s = status.value;
      const health = s?.store.health;
      return (
        <div data-testid="system" class="gj-system">
          <div class="gj-title">
            <h1>{t('系统状态', 'System')}</h1>
          </div>
          {error.value !== null ? (
            <ElAlert type="error" closable={false} title={error.value} style="margin-bottom:12px" />
          ) : null}
          {health?.status === 'degraded' ? (
            <ElAlert
              type="error"
              closable={false}
              style="margin-bottom:12px"
              data-testid="system-degraded"
              title={t(
                '存储暂时无法写入:新的填报和操作会被拒绝(503),恢复后自动继续',
                'The store cannot be written now: changes are refused (503) and resume by themselves',
              )}
              description={`${health.journal.message}(${t('自', 'since')} ${time(health.journal.since)})`}
            />
          ) : null}
          {s === null ? null : (
            <>
              <ElDescriptions
                title={t('存储', 'Store')}
                column={narrow.value ? 1 : 2}
                border
                data-testid="system-store"
              >
                <ElDescriptionsItem label={t('类型', 'Kind')}>{kind(s.store.kind)}</ElDescriptionsItem>
                <ElDescriptionsItem label={t('状态', 'Health')}>
                  {health?.status === 'ok' ? (
                    <ElTag type="success" disableTransitions data-testid="system-health">
                      {t('正常', 'OK')}
                    </ElTag>
                  ) : (
                    <ElTag type="danger" disableTransitions data-testid="system-health">
                      {t('无法写入', 'Degraded')}
                    </ElTag>
                  )}
                </ElDescriptionsItem>
                <ElDescriptionsItem label={t('位置', 'Where')} span={narrow.value ? 1 : 2}>
                  <code data-testid="system-location">{s.store.location}</code>
                </ElDescriptionsItem>
                <ElDescriptionsItem label={t('日志条数', 'Journal entries')}>
                  {num(s.store.position, 0)}
                </ElDescriptionsItem>
                <ElDescriptionsItem label={t('本节点提交', 'Commits by this node')}>
                  {t(
                    `${num(s.store.commits, 0)} 条,${num(s.store.syncs, 0)} 次落盘`,
                    `${num(s.store.commits, 0)} in ${num(s.store.syncs, 0)} durable writes`,
                  )}
                </ElDescriptionsItem>
                {s.store.kind === 'file' ? (
                  <>
                    <ElDescriptionsItem label={t('日志占用', 'Journal on disk')}>
                      {num(s.store.journalBytes / 2 ** 20, 1)} MiB
                    </ElDescriptionsItem>
                    <ElDescriptionsItem label={t('封存分段', 'Sealed segments')}>{s.store.segments}</ElDescriptionsItem>
                    <ElDescriptionsItem label={t('检查点', 'Checkpoint')} span={narrow.value ? 1 : 2}>
                      {t(`第 ${num(s.store.checkpointSeq, 0)} 条`, `entry ${num(s.store.checkpointSeq, 0)}`)}
                      {s.store.checkpointAt === null ? '' : `(${time(s.store.checkpointAt)})`}
                    </ElDescriptionsItem>
                  </>
                ) : null}
                <ElDescriptionsItem label={t('人员与令牌', 'Staff and tokens')} span={narrow.value ? 1 : 2}>
                  <code data-testid="system-staff">{s.staff.location}</code>
                </ElDescriptionsItem>
                <ElDescriptionsItem label={t('登录会话', 'Sign-in sessions')} span={narrow.value ? 1 : 2}>
                  <span data-testid="system-sessions">
                    {s.staff.sessions === 'shared'
                      ? t('存于数据库,各节点通用', 'in the database, good on every node')
                      : t('存于本节点内存,重启后须重新登录', 'in this node’s memory; a restart signs everyone out')}
                  </span>
                </ElDescriptionsItem>
              </ElDescriptions>
              <ElDescriptions
                title={t('本节点', 'This node')}
                column={narrow.value ? 1 : 2}
                border
                style="margin-top:20px"
                data-testid="system-node"
              >
                <ElDescriptionsItem label={t('版本', 'Release')}>{s.node.version}</ElDescriptionsItem>
                <ElDescriptionsItem label="Node.js">{s.node.nodeVersion}</ElDescriptionsItem>
                <ElDescriptionsItem label={t('进程号', 'Process')}>{s.node.pid}</ElDescriptionsItem>
                <ElDescriptionsItem label={t('已运行', 'Up')}>
                  {duration(s.node.uptimeSeconds)}({t('启动于', 'since')} {time(s.node.startedAt)})
                </ElDescriptionsItem>
              </ElDescriptions>
            </>
          )}
        </div>
      );
    };
  },
});
