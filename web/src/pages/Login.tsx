import { ElAlert, ElButton, ElForm, ElFormItem, ElInput } from 'element-plus';
import { defineComponent, reactive, ref } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { ApiError } from '../api.ts';
import { lang, setLang, t, submitted } from '../i18n.ts';
import { returnTo } from '../router.ts';
import { signIn } from '../session.ts';

/** 登录: user name and password; back to the page asked for. */
export default defineComponent({
  name: 'LoginPage',
  setup() {
    const route = useRoute();
    const router = useRouter();
    const form = reactive({ login: '', password: '' });
    const error = ref<string | null>(null);
    const busy = ref(false);
    const submit = async () => {
      if (form.login.trim() === '' || form.password === '') {
        error.value = t('请输入用户名和密码', 'Enter your user name and password');
        return;
      }
      busy.value = true;
      error.value = null;
      try {
        const who = await signIn(form.login.trim(), form.password);
        await router.replace(
          who.mustChangePassword ? { path: '/account', query: { next: returnTo(route) } } : returnTo(route),
        );
      } catch (err) {
        error.value = err instanceof ApiError ? err.text : String(err);
        form.password = '';
      } finally {
        busy.value = false;
      }
    };
    return () => (
      <div class="gj-login gj-card">
        <h1>
          <span class="gj-logo">攻坚</span> {t('项目建设百日攻坚', 'Project campaign')}
        </h1>
        {route.query.expired === '1' ? (
          <ElAlert
            type="info"
            closable={false}
            title={t('登录已失效,请重新登录', 'Your session ended; sign in again')}
          />
        ) : null}
        <ElForm labelPosition="top" {...submitted(submit)}>
          <ElFormItem label={t('用户名', 'User name')}>
            <ElInput
              modelValue={form.login}
              onUpdate:modelValue={(v: string) => (form.login = v)}
              autocomplete="username"
              name="login"
              data-testid="login"
            />
          </ElFormItem>
          <ElFormItem label={t('密码', 'Password')}>
            <ElInput
              modelValue={form.password}
              onUpdate:modelValue={(v: string) => (form.password = v)}
              type="password"
              showPassword
              autocomplete="current-password"
              name="password"
              data-testid="password"
            />
          </ElFormItem>
          {error.value !== null ? (
            <ElAlert type="error" closable={false} title={error.value} data-testid="login-error" />
          ) : null}
          <ElButton
            type="primary"
            nativeType="submit"
            loading={busy.value}
            style="width:100%;margin-top:12px"
            data-testid="sign-in"
          >
            {t('登录', 'Sign in')}
          </ElButton>
        </ElForm>
        <p class="gj-muted" style="text-align:center;font-size:13px">
          <button type="button" class="gj-lang" onClick={() => setLang(lang.value === 'en' ? 'zh' : 'en')}>
            {lang.value === 'en' ? '中文' : 'English'}
          </button>
        </p>
      </div>
    );
  },
});
