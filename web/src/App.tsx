import { ElConfigProvider, ElDropdown, ElDropdownItem, ElDropdownMenu, ElMenu, ElMenuItem } from 'element-plus';
import en from 'element-plus/es/locale/lang/en.mjs';
import zhCn from 'element-plus/es/locale/lang/zh-cn.mjs';
import { computed, defineComponent, watch } from 'vue';
import { RouterView, useRoute, useRouter } from 'vue-router';
import { whenSignedOut } from './api.ts';
import { lang, setLang, t } from './i18n.ts';
import { connected, startLive, stopLive } from './live.ts';
import { me, signOut } from './session.ts';

/** The frame of every page: the header (sections, live status, language, who) and the page. */
export default defineComponent({
  name: 'GongjianApp',
  setup() {
    const route = useRoute();
    const router = useRouter();
    whenSignedOut(() => {
      me.value = null;
      stopLive();
      if (route.path !== '/login')
        void router.replace({ path: '/login', query: { next: route.fullPath, expired: '1' } });
    });
    watch(
      () => me.value && !me.value.mustChangePassword,
      (signedIn) => (signedIn ? startLive() : stopLive()),
      { immediate: true },
    );
    const sections = computed(() => [
      { path: '/', label: t('总览', 'Overview') },
      { path: '/projects', label: t('项目台账', 'Projects') },
      { path: '/programmes', label: t('项目群', 'Programmes') },
      { path: '/problems', label: t('问题清单', 'Problems') },
      { path: '/filings', label: t('填报审核', 'Review') },
      { path: '/reports', label: t('督查通报', 'Reports') },
      ...(me.value?.staff.role === 'hq'
        ? [
            { path: '/staff', label: t('人员管理', 'Staff') },
            { path: '/system', label: t('系统状态', 'System') },
          ]
        : []),
      { path: '/inspect', label: t('状态机', 'Machines') },
    ]);
    const active = computed(() => {
      const hit = [...sections.value]
        .reverse()
        .find((s) => (s.path === '/' ? route.path === '/' : route.path.startsWith(s.path)));
      return hit?.path ?? '';
    });
    const out = async () => {
      // The live connection first: it frees its connection for the sign-out request.
      stopLive();
      await signOut();
      await router.push('/login');
    };
    return () => (
      <ElConfigProvider locale={lang.value === 'en' ? en : zhCn}>
        {me.value && route.path !== '/login' ? (
          <header class="gj-header">
            <a
              class="gj-brand"
              href="/"
              onClick={(e: MouseEvent) => {
                e.preventDefault();
                void router.push('/');
              }}
            >
              <span class="gj-logo">攻坚</span>
              <span class="gj-brand-text">{t('项目建设百日攻坚', 'Project campaign')}</span>
            </a>
            <ElMenu
              class="gj-menu"
              mode="horizontal"
              router
              defaultActive={active.value}
              ellipsis
              key={`${lang.value}-${sections.value.length}`}
            >
              {sections.value.map((s) => (
                <ElMenuItem index={s.path} key={s.path}>
                  {s.label}
                </ElMenuItem>
              ))}
            </ElMenu>
            <span
              class={['gj-live', connected.value ? 'on' : 'off']}
              data-testid="live"
              data-connected={connected.value ? '1' : '0'}
              title={connected.value ? t('实时更新已连接', 'live updates on') : t('实时更新未连接', 'live updates off')}
            />
            <button
              type="button"
              class="gj-lang"
              data-testid="lang-switch"
              onClick={() => setLang(lang.value === 'en' ? 'zh' : 'en')}
            >
              {lang.value === 'en' ? '中文' : 'EN'}
            </button>
            <ElDropdown trigger="click">
              {{
                default: () => (
                  <button type="button" class="gj-user" data-testid="user-menu">
                    {me.value?.staff.name}
                  </button>
                ),
                dropdown: () => (
                  <ElDropdownMenu>
                    <ElDropdownItem disabled>
                      {me.value?.staff.id} · {me.value?.staff.roleLabel[lang.value]}
                      {me.value?.staff.unitId ? ` · ${me.value.staff.unitId}` : ''}
                    </ElDropdownItem>
                    <ElDropdownItem onClick={() => void router.push('/account')}>
                      {t('修改密码', 'Change password')}
                    </ElDropdownItem>
                    <ElDropdownItem divided onClick={() => void out()} data-testid="sign-out">
                      {t('退出登录', 'Sign out')}
                    </ElDropdownItem>
                  </ElDropdownMenu>
                ),
              }}
            </ElDropdown>
          </header>
        ) : null}
        <main class="gj-main">
          <RouterView />
        </main>
      </ElConfigProvider>
    );
  },
});
