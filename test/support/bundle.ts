import { mkdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * A TypeScript entry bundled into one ES module, for test child processes started many times:
 * `node bundle.mjs` starts in a fraction of the time `node --import tsx entry.ts` takes. The
 * bundle goes under `dist/` (git-ignored), where its external packages resolve.
 */
export async function bundleFor(entry: string): Promise<string> {
  const dir = join(ROOT, 'dist', 'test-children');
  await mkdir(dir, { recursive: true });
  const outfile = join(dir, `${basename(entry, '.ts')}-${process.pid}.mjs`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
  });
  return outfile;
}
