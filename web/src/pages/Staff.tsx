import {
  ElAlert,
  ElButton,
  ElDialog,
  ElForm,
  ElFormItem,
  ElInput,
  ElMessageBox,
  ElOption,
  ElSelect,
  ElTable,
  ElTableColumn,
  ElTag,
} from 'element-plus';
import { defineComponent, onMounted, reactive, ref, shallowRef } from 'vue';
import type { StaffAccount, StaffAuditEntry } from '../../../engine/index.ts';
import type { Role } from '../../../machines/index.ts';
import { api, ApiError } from '../api.ts';
import { unitNames } from '../campaign.ts';
import { L, t, submitted } from '../i18n.ts';
import { isRole, me, vocab } from '../session.ts';

/**
 * 人员管理 (hq): who may sign in — add (a one-time password, shown once), change role and unit,
 * disable and enable, reset a password — and the audit journal of every change.
 */
export default defineComponent({
  name: 'StaffPage',
  setup() {
    const staff = shallowRef<StaffAccount[]>([]);
    const audit = shallowRef<StaffAuditEntry[]>([]);
    const names = shallowRef(new Map<string, string>());
    const error = ref<string | null>(null);
    const editing = ref<'new' | StaffAccount | null>(null);
    const form = reactive({ login: '', name: '', role: 'unit' as Role, unitId: '' });
    const formError = ref<string | null>(null);
    const secret = ref<{ login: string; password: string } | null>(null);

    const load = async () => {
      try {
        staff.value = (await api<{ staff: StaffAccount[] }>('/api/staff')).data.staff;
        audit.value = (await api<{ entries: StaffAuditEntry[] }>('/api/staff/audit')).data.entries.slice(0, 200);
        error.value = null;
      } catch (err) {
        error.value = err instanceof ApiError ? err.text : String(err);
      }
    };
    onMounted(async () => {
      names.value = await unitNames().catch(() => new Map());
      await load();
    });
    const edit = (who: 'new' | StaffAccount) => {
      editing.value = who;
      formError.value = null;
      Object.assign(
        form,
        who === 'new'
          ? { login: '', name: '', role: 'unit', unitId: '' }
          : { login: who.id, name: who.name, role: who.role, unitId: who.unitId ?? '' },
      );
    };
    const save = async () => {
      formError.value = null;
      try {
        if (editing.value === 'new') {
          const created = await api<{ staff: StaffAccount; password: string }>('/api/staff', {
            method: 'POST',
            body: {
              login: form.login.trim(),
              name: form.name.trim(),
              role: form.role,
              ...(form.role === 'unit' ? { unitId: form.unitId } : {}),
            },
          });
          secret.value = { login: created.data.staff.id, password: created.data.password };
        } else if (editing.value !== null) {
          await api(`/api/staff/${encodeURIComponent(editing.value.id)}`, {
            method: 'PATCH',
            body: { name: form.name.trim(), role: form.role, unitId: form.role === 'unit' ? form.unitId : null },
          });
        }
        editing.value = null;
        await load();
      } catch (err) {
        formError.value = err instanceof ApiError ? err.text : String(err);
      }
    };
    const act = async (who: StaffAccount, what: 'disable' | 'enable' | 'reset') => {
      try {
        if (what === 'reset') {
          await ElMessageBox.confirm(
            t(
              `重置 ${who.name} 的密码?其已登录的会话将立即失效。`,
              `Reset ${who.name}'s password? Their sessions end at once.`,
            ),
            { type: 'warning' },
          );
          const r = await api<{ password: string }>(`/api/staff/${encodeURIComponent(who.id)}/password`, {
            method: 'POST',
          });
          secret.value = { login: who.id, password: r.data.password };
        } else {
          await api(`/api/staff/${encodeURIComponent(who.id)}`, {
            method: 'PATCH',
            body: { disabled: what === 'disable' },
          });
        }
        await load();
      } catch (err) {
        if (err instanceof ApiError) error.value = err.text;
      }
    };

    return () => {
      const v = vocab.value;
      if (!isRole('hq'))
        return (
          <ElAlert
            type="warning"
            closable={false}
            title={t('只有三高办可以管理人员', 'Only the campaign office manages staff')}
          />
        );
      return (
        <div data-testid="staff">
          <div class="gj-title">
            <h1>{t('人员管理', 'Staff')}</h1>
            <ElButton type="primary" onClick={() => edit('new')} data-testid="add-staff">
              {t('添加人员', 'Add a member')}
            </ElButton>
          </div>
          {error.value !== null ? (
            <ElAlert type="error" closable={false} title={error.value} style="margin-bottom:12px" />
          ) : null}
          {secret.value !== null ? (
            <ElAlert
              type="success"
              closable
              onClose={() => (secret.value = null)}
              style="margin-bottom:12px"
              data-testid="one-time-password"
            >
              {t(
                '一次性密码(只显示这一次,请当面或电话告知本人;首次登录须修改)',
                'One-time password (shown once; tell the person directly; they change it at first sign-in)',
              )}
              :
              <b>
                {' '}
                {secret.value.login} / <code>{secret.value.password}</code>
              </b>
            </ElAlert>
          ) : null}
          <div class="gj-table-wrap">
            <ElTable data={staff.value} stripe style="width:100%">
              <ElTableColumn prop="id" label={t('用户名', 'Login')} width={130} />
              <ElTableColumn prop="name" label={t('姓名', 'Name')} width={140} />
              <ElTableColumn label={t('角色', 'Role')} width={120}>
                {{ default: ({ row }: { row: StaffAccount }) => L(v?.roles[row.role], row.role) }}
              </ElTableColumn>
              <ElTableColumn label={t('单位', 'Unit')} width={140}>
                {{
                  default: ({ row }: { row: StaffAccount }) =>
                    row.unitId ? (names.value.get(row.unitId) ?? row.unitId) : '—',
                }}
              </ElTableColumn>
              <ElTableColumn label={t('状态', 'Status')} width={150}>
                {{
                  default: ({ row }: { row: StaffAccount }) =>
                    row.disabledAt !== null ? (
                      <ElTag type="info">{t('已停用', 'disabled')}</ElTag>
                    ) : !row.hasPassword ? (
                      <ElTag type="info">{t('仅令牌', 'token only')}</ElTag>
                    ) : row.mustChangePassword ? (
                      <ElTag type="warning">{t('待改密码', 'must change password')}</ElTag>
                    ) : (
                      <ElTag type="success">{t('启用', 'enabled')}</ElTag>
                    ),
                }}
              </ElTableColumn>
              <ElTableColumn label={t('操作', 'Actions')} minWidth={260}>
                {{
                  default: ({ row }: { row: StaffAccount }) => (
                    <span>
                      <ElButton size="small" onClick={() => edit(row)}>
                        {t('编辑', 'Edit')}
                      </ElButton>
                      <ElButton size="small" onClick={() => void act(row, 'reset')}>
                        {t('重置密码', 'Reset password')}
                      </ElButton>
                      {row.id === me.value?.staff.id ? null : row.disabledAt === null ? (
                        <ElButton size="small" type="danger" plain onClick={() => void act(row, 'disable')}>
                          {t('停用', 'Disable')}
                        </ElButton>
                      ) : (
                        <ElButton size="small" onClick={() => void act(row, 'enable')}>
                          {t('启用', 'Enable')}
                        </ElButton>
                      )}
                    </span>
                  ),
                }}
              </ElTableColumn>
            </ElTable>
          </div>
          <section class="gj-card" style="margin-top:16px">
            <h2>{t('变更记录', 'Audit journal')}</h2>
            <ul class="gj-timeline">
              {audit.value.map((e) => (
                <li key={e.seq}>
                  <div class="when">
                    {e.at.slice(0, 16).replace('T', ' ')} · {e.actor}
                  </div>
                  <div>
                    {e.action} {e.target}
                    {e.changes
                      ? ` (${Object.entries(e.changes)
                          .map(([k, c]) => `${k}: ${String(c.from)} → ${String(c.to)}`)
                          .join('; ')})`
                      : ''}
                    {e.note ? ` · ${e.note}` : ''}
                  </div>
                </li>
              ))}
            </ul>
          </section>
          <ElDialog
            modelValue={editing.value !== null}
            onUpdate:modelValue={(open: boolean) => {
              if (!open) editing.value = null;
            }}
            title={editing.value === 'new' ? t('添加人员', 'Add a member') : t('编辑人员', 'Edit a member')}
            width="min(480px, 96vw)"
          >
            <ElForm labelPosition="top" {...submitted(save)}>
              <ElFormItem label={t('用户名(字母、数字、-、_)', 'Login (letters, digits, - and _)')}>
                <ElInput
                  modelValue={form.login}
                  onUpdate:modelValue={(s: string) => (form.login = s)}
                  disabled={editing.value !== 'new'}
                  data-testid="staff-login"
                />
              </ElFormItem>
              <ElFormItem label={t('姓名', 'Name')}>
                <ElInput
                  modelValue={form.name}
                  onUpdate:modelValue={(s: string) => (form.name = s)}
                  data-testid="staff-name"
                />
              </ElFormItem>
              <ElFormItem label={t('角色', 'Role')}>
                <ElSelect
                  modelValue={form.role}
                  onUpdate:modelValue={(r: Role) => (form.role = r)}
                  data-testid="staff-role"
                >
                  {Object.entries(v?.roles ?? {}).map(([r, label]) => (
                    <ElOption value={r} label={L(label)} key={r} />
                  ))}
                </ElSelect>
              </ElFormItem>
              {form.role === 'unit' ? (
                <ElFormItem label={t('单位', 'Unit')}>
                  <ElSelect
                    modelValue={form.unitId}
                    onUpdate:modelValue={(u: string) => (form.unitId = u)}
                    filterable
                    data-testid="staff-unit"
                  >
                    {[...names.value].map(([id, name]) => (
                      <ElOption value={id} label={name} key={id} />
                    ))}
                  </ElSelect>
                </ElFormItem>
              ) : null}
              {formError.value !== null ? <ElAlert type="error" closable={false} title={formError.value} /> : null}
              <ElButton type="primary" nativeType="submit" style="margin-top:12px" data-testid="staff-save">
                {t('保存', 'Save')}
              </ElButton>
            </ElForm>
          </ElDialog>
        </div>
      );
    };
  },
});
