// How TypeScript sources become what runs: one ESM file built by esbuild, npm packages left as
// imports. The CLI (bin/gongjian.js) runs from such a bundle, and the benchmarks measure their
// code from one too (bench/bundled.ts), so what they time is what `gongjian` runs — not the
// sources through tsx's loader, whose `keepNames` wraps every function created at run time.
import { mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';

/** Bundles `entry` into `outfile` (written aside, then renamed: a reader never sees half a file). */
export async function buildBundle(entry, outfile) {
  const { build } = await import('esbuild');
  mkdirSync(dirname(outfile), { recursive: true });
  const temp = `${outfile}.${process.pid}.tmp`;
  await build({
    entryPoints: [entry],
    outfile: temp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  renameSync(temp, outfile);
}
