#!/usr/bin/env -S node --max-semi-space-size=32
// The flag above (and in package.json's `start`) is read by V8 only as the process starts: see
// YOUNG_GENERATION_FLAG in cli/heap-growth.ts for what it buys.
// The CLI runs from a bundle of its TypeScript sources (dist/gongjian.mjs, built by esbuild in
// a fraction of a second), rebuilt whenever a source is newer: no build step between a clone
// and `npx gongjian`, and a start far cheaper than compiling on every run. Should the bundle
// not build, the sources run through tsx's loader instead.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildBundle } from './bundle.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'gongjian.mjs');
const SOURCES = ['cli', 'engine', 'machines', 'report', 'server', 'store'];

/** The newest modification time among the sources the bundle is built from. */
function newestSource() {
  let newest = statSync(join(root, 'package.json')).mtimeMs;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of SOURCES) walk(join(root, dir));
  return newest;
}

function bundleIsFresh() {
  try {
    return statSync(bundle).mtimeMs >= newestSource();
  } catch {
    return false;
  }
}

let entry = bundle;
if (!bundleIsFresh()) {
  try {
    await buildBundle(join(root, 'cli', 'main.ts'), bundle);
  } catch (err) {
    process.stderr.write(`(bundle not built, running the sources: ${err instanceof Error ? err.message : err})\n`);
    const { register } = await import('tsx/esm/api');
    register();
    entry = join(root, 'cli', 'main.ts');
  }
}
await import(pathToFileURL(entry).href);
