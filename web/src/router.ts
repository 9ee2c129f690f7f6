import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router';
import { prefetchCampaigns } from './campaign.ts';
import { loadMe, me } from './session.ts';

/**
 * The addresses people bookmark and share (binding; the server serves the app at each of
 * them: server/web.ts WEB_PAGES). Pages load when first visited; the dashboard brings ECharts.
 */
export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', component: () => import('./pages/Login.tsx'), meta: { public: true } },
    { path: '/', component: () => import('./pages/Dashboard.tsx') },
    { path: '/projects', component: () => import('./pages/Projects.tsx') },
    { path: '/projects/:id', component: () => import('./pages/Project.tsx'), props: true },
    { path: '/problems', component: () => import('./pages/Problems.tsx') },
    { path: '/filings', component: () => import('./pages/Filings.tsx') },
    { path: '/programmes', component: () => import('./pages/Programmes.tsx') },
    { path: '/programmes/:id', component: () => import('./pages/Programmes.tsx'), props: true },
    { path: '/units/:id', component: () => import('./pages/Unit.tsx'), props: true },
    { path: '/reports', component: () => import('./pages/Reports.tsx') },
    { path: '/staff', component: () => import('./pages/Staff.tsx') },
    { path: '/system', component: () => import('./pages/System.tsx') },
    { path: '/account', component: () => import('./pages/Account.tsx') },
    { path: '/inspect', component: () => import('./pages/Inspect.tsx') },
    { path: '/inspect/:machine', component: () => import('./pages/Inspect.tsx'), props: true },
    { path: '/:rest(.*)*', component: () => import('./pages/NotFound.tsx') },
  ],
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
});

/** Where sign-in returns to: the page asked for, if it is one of ours. */
export function returnTo(route: RouteLocationNormalized): string {
  const next = route.query.next;
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

router.beforeEach(async (to) => {
  if (me.value === undefined) {
    // The first page: fetch its code while asking who is signed in, not after.
    for (const record of to.matched) {
      const load = record.components?.default;
      if (typeof load === 'function' && !('setup' in load) && !('render' in load))
        void (load as () => Promise<unknown>)().catch(() => undefined);
    }
    if (to.path === '/') prefetchCampaigns();
    await loadMe().catch(() => (me.value = null));
  }
  if (to.meta.public === true) {
    if (to.path === '/login' && me.value) return returnTo(to);
    return true;
  }
  if (!me.value) return { path: '/login', query: to.fullPath === '/' ? {} : { next: to.fullPath } };
  if (me.value.mustChangePassword && to.path !== '/account') return { path: '/account', query: { next: to.fullPath } };
  return true;
});
