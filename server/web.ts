import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import express, { Router } from 'express';
import { packageRoot } from './assets.ts';

/** Where `npm run build:web` (Vite) writes the web app. */
export const WEB_DIST = join(packageRoot(import.meta.dirname), 'web/dist');

/**
 * The web app's addresses (binding: people bookmark and share them). Each serves the app's
 * page; the app reads the address. `/login?next=…` brings a signed-out visitor back.
 */
export const WEB_PAGES = [
  '/',
  '/login',
  '/projects',
  '/projects/:id',
  '/problems',
  '/filings',
  '/programmes',
  '/programmes/:id',
  '/units/:id',
  '/reports',
  '/staff',
  '/system',
  '/account',
  '/inspect',
  '/inspect/:machine',
];

/**
 * The pages' security policy: everything from this server only (county networks are offline,
 * and nothing may leak to another host). Inline styles are allowed: Element Plus and ECharts
 * position elements with style attributes; scripts never inline.
 */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>攻坚 Gongjian</title>
<body style="font-family:sans-serif;max-width:40em;margin:4em auto">
<h1>网页尚未构建 / The web app is not built</h1>
<p>运行 <code>npm start</code>(会自动构建),或 <code>npm run build:web</code>。</p>
<p>Run <code>npm start</code> (it builds the app when needed), or <code>npm run build:web</code>.</p>
<p>API: <a href="/api/docs">/api/docs</a></p></body></html>`;

/** Serves the built web app: hashed assets cached for good, the pages never cached. */
export function webRoutes(root: string | null | undefined = WEB_DIST): Router {
  const router = Router();
  const dir = root ?? null;
  const built = () => dir !== null && existsSync(join(dir, 'index.html'));
  const page = (_req: express.Request, res: express.Response) => {
    res.set('Content-Security-Policy', APP_CSP).set('Cache-Control', 'no-cache');
    if (!built()) {
      res.status(503).type('html').send(NOT_BUILT);
      return;
    }
    res.sendFile(join(dir!, 'index.html'));
  };
  for (const path of WEB_PAGES) router.get(path, page);
  if (dir !== null) {
    // Built assets are compressed at build time: a browser that takes gzip gets the .gz as it is.
    router.get('/assets/:file', (req, res, next) => {
      const file = req.params.file;
      const gz = join(dir, 'assets', `${file}.gz`);
      if (!/^[\w.-]+$/.test(file) || !req.acceptsEncodings('gzip') || !existsSync(gz)) return next();
      res
        .set('Content-Encoding', 'gzip')
        .set('Vary', 'Accept-Encoding')
        .set('Cache-Control', 'public, max-age=31536000, immutable')
        .type(extname(file))
        .sendFile(gz, (err) => (err ? next(err) : undefined));
    });
    router.use(
      '/assets',
      express.static(join(dir, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: true }),
    );
  }
  if (dir !== null)
    router.get('/favicon.svg', (_req, res, next) => {
      if (!built()) return next();
      res.sendFile(join(dir, 'favicon.svg'), (err) => (err ? next() : undefined));
    });
  return router;
}
