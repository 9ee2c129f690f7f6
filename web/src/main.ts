import 'element-plus/dist/index.css';
import './style.css';
import { createApp } from 'vue';
import App from './App.tsx';
import { lang } from './i18n.ts';
import { router } from './router.ts';

document.documentElement.lang = lang.value === 'en' ? 'en' : 'zh-CN';
createApp(App).use(router).mount('#app');
