import { ElAlert, ElButton, ElForm, ElFormItem, ElInput, ElMessage } from 'element-plus';
import { defineComponent, reactive, ref } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { api, ApiError } from '../api.ts';
import { t, submitted } from '../i18n.ts';
import { returnTo } from '../router.ts';
import { loadMe, me, type Me } from '../session.ts';

/** 修改密码: required after a first sign-in or a reset, possible at any time. */
export default defineComponent({
  name: 'AccountPage',
  setup() {
    const route = useRoute();
    const router = useRouter();
    const form = reactive({ current: '', next: '', again: '' });
    const error = ref<string | null>(null);
    const busy = ref(false);
    const submit = async () => {
      error.value = null;
      if (form.next !== form.again) {
        error.value = t('两次输入的新密码不一致', 'The two new passwords differ');
        return;
      }
      busy.value = true;
      try {
        me.value = (
          await api<Me>('/api/session/password', { method: 'POST', body: { current: form.current, next: form.next } })
        ).data;
        await loadMe();
        ElMessage.success(t('密码已修改', 'Password changed'));
        await router.replace(returnTo(route));
      } catch (err) {
        error.value = err instanceof ApiError ? err.text : String(err);
      } finally {
        busy.value = false;
      }
    };
    const field = (key: 'current' | 'next' | 'again', label: string, autocomplete: string) => (
      <ElFormItem label={label}>
        <ElInput
          modelValue={form[key]}
          onUpdate:modelValue={(v: string) => (form[key] = v)}
          type="password"
          showPassword
          autocomplete={autocomplete}
          data-testid={`password-${key}`}
        />
      </ElFormItem>
    );
    return () => (
      <div class="gj-login gj-card">
        <h1>{t('修改密码', 'Change password')}</h1>
        {me.value?.mustChangePassword ? (
          <ElAlert
            type="warning"
            closable={false}
            title={t(
              '首次登录或密码被重置:请先设置自己的密码',
              'First sign-in or a reset: set your own password first',
            )}
          />
        ) : null}
        <ElForm labelPosition="top" {...submitted(submit)}>
          {field('current', t('当前密码(一次性密码)', 'Current (one-time) password'), 'current-password')}
          {field('next', t('新密码(至少 10 个字符)', 'New password (10 characters or more)'), 'new-password')}
          {field('again', t('再次输入新密码', 'New password again'), 'new-password')}
          {error.value !== null ? <ElAlert type="error" closable={false} title={error.value} /> : null}
          <ElButton
            type="primary"
            nativeType="submit"
            loading={busy.value}
            style="width:100%;margin-top:12px"
            data-testid="change-password"
          >
            {t('保存新密码', 'Save the new password')}
          </ElButton>
        </ElForm>
      </div>
    );
  },
});
