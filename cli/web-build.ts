import { existsSync, readdirSync, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot } from '../server/assets.ts';

const ROOT = packageRoot(import.meta.dirname);
const WEB = join(ROOT, 'web');
const DIST = join(WEB, 'dist');
const INPUTS = ['src', 'public', 'index.html', 'vite.config.ts'];

/** The newest modification time among the web app's sources (and the lockfile: its dependencies). */
function newestInput(): number {
  let newest = statSync(join(ROOT, 'package-lock.json'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const visit = (path: string) => {
    const info = statSync(path, { throwIfNoEntry: false });
    if (info === undefined) return;
    if (info.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else newest = Math.max(newest, info.mtimeMs);
  };
  for (const input of INPUTS) visit(join(WEB, input));
  return newest;
}

/** Whether web/dist is missing or older than a source of the web app. */
export function webBuildStale(): boolean {
  if (!existsSync(join(WEB, 'src'))) return false; // shipped without sources: serve what is there
  const built = statSync(join(DIST, 'index.html'), { throwIfNoEntry: false });
  return built === undefined || built.mtimeMs < newestInput();
}

/**
 * Builds the web app (Vite) when its build is missing or stale — `npm start` on a fresh clone
 * needs no separate build step. Built aside and renamed into place, so a server (or a test)
 * starting meanwhile never serves half a build. Resolves with whether it built.
 */
export async function ensureWebBuilt(log: (message: string) => void = () => {}): Promise<boolean> {
  if (!webBuildStale()) return false;
  log('building the web app (web/ → web/dist) / 正在构建网页…');
  const started = Date.now();
  const { build } = await import('vite');
  const temp = `${DIST}.${process.pid}.tmp`;
  // Always the production build: under vitest NODE_ENV is 'test', and Vite would then keep Vue's
  // development code (warnings, devtools) — a third more JavaScript for every page.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: join(WEB, 'vite.config.ts'),
      mode: 'production',
      logLevel: 'warn',
      build: { outDir: temp, emptyOutDir: true },
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  // Compressed once here, not on every request (the server sends the .gz to whoever accepts it).
  await precompress(join(temp, 'assets'));
  await rm(DIST, { recursive: true, force: true });
  try {
    await rename(temp, DIST);
  } catch {
    // Another process put its build there first: the same sources, keep theirs.
    await rm(temp, { recursive: true, force: true });
  }
  log(`web app built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

/** Writes `<file>.gz` (level 9) beside every script, style sheet and SVG of the build. */
export async function precompress(dir: string): Promise<void> {
  const { readdir, readFile, writeFile } = await import('node:fs/promises');
  const { gzipSync } = await import('node:zlib');
  for (const name of await readdir(dir)) {
    if (!/\.(js|css|svg|json)$/.test(name)) continue;
    const body = await readFile(join(dir, name));
    if (body.length < 1024) continue;
    await writeFile(join(dir, `${name}.gz`), gzipSync(body, { level: 9 }));
  }
}
