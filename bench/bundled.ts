/**
 * The benchmarks time the code `gongjian` runs. The CLI runs from an esbuild bundle of its
 * sources (bin/gongjian.js); run through tsx's loader instead, the same sources pay for its
 * `keepNames`, which wraps every function created at run time in a `__name` call
 * (`Object.defineProperty`) — measured in bench/simulate.ts, several percent that no user pays.
 * So a bench started with `npx tsx bench/<name>.ts` re-runs itself from its own bundle
 * (dist/bench/<name>.mjs, built the same way); `--sources` keeps it on tsx, to compare.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildBundle } from '../bin/bundle.js';
import { packageRoot } from '../server/assets.ts';
import { launchFlags } from '../cli/heap-growth.ts';

const ROOT = packageRoot(import.meta.dirname);

/** Whether this process runs a bench's bundle (set for the process `fromBundle` starts). */
export const BUNDLED = process.env.GONGJIAN_BENCH_BUNDLED === '1';

/** Bundles `bench/<name>.ts` into dist/bench/<name>.mjs (npm packages left as imports) and returns its path. */
export async function benchBundle(name: string): Promise<string> {
  const out = join(ROOT, 'dist', 'bench', `${name}.mjs`);
  await buildBundle(join(ROOT, 'bench', `${name}.ts`), out);
  return out;
}

/**
 * Run from the sources, re-runs bench `name` from its bundle — the same arguments, the same Node
 * flags but tsx's loader — and exits with its status. Returns at once in the bundle, or when the
 * arguments ask for `--sources`.
 */
export async function fromBundle(name: string): Promise<void> {
  if (BUNDLED || process.argv.includes('--sources')) return;
  const bundle = await benchBundle(name);
  const flags: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    // tsx's own: `--require …preflight.cjs`, `--import …loader.mjs` (and `--import tsx`).
    if ((argv[i] === '--require' || argv[i] === '--import') && /tsx/.test(argv[i + 1] ?? '')) i += 1;
    else if (/^--(require|import)=.*tsx/.test(argv[i]!)) continue;
    else flags.push(argv[i]!);
  }
  // Launched as the CLI is (its young generation: cli/heap-growth.ts), unless the flags say otherwise.
  const launch = launchFlags(flags, process.env.NODE_OPTIONS);
  const run = spawnSync(process.execPath, [...launch, ...flags, bundle, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, GONGJIAN_BENCH_BUNDLED: '1' },
  });
  process.exit(run.status ?? 1);
}
