import vueJsx from '@vitejs/plugin-vue-jsx';
import { defineConfig } from 'vite';

/**
 * The web app: Vue 3 components written in TSX (type-checked by tsc with the rest of the
 * project), Element Plus, ECharts loaded with the dashboard only. Built into web/dist, which
 * the server serves; everything the pages load comes from the same server (offline networks).
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [vueJsx()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: false,
  },
  server: {
    // `npx vite web` while `npm start` runs on 3000: the API through the dev server.
    proxy: { '/api': 'http://localhost:3000', '/healthz': 'http://localhost:3000' },
  },
});
