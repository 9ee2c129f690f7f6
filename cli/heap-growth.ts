import { setFlagsFromString } from 'node:v8';

/**
 * V8 lets the old generation grow to up to four times what survived its last full collection
 * when the machine has memory to spare: a 1,000,000-entry replay or verify holding ≈ 290 MB
 * peaked anywhere from 0.83 to 1.65 GB from one run to the next on the same data. At most twice
 * (`--heap-growing-percent` 100, read by V8 at every collection, so it takes effect set here)
 * bounds the peak by what is live: 0.77–0.89 GB over the replays and verifies measured since, no
 * slower (bench/recovery.ts, BENCHMARKS.md, sessions 8 and 9).
 */
export const HEAP_GROWTH_FLAG = '--heap-growing-percent=100';

/** The flag to set, or null when the operator chose the heap's growth or size already. */
export function heapGrowthFlag(execArgv: readonly string[], nodeOptions: string | undefined): string | null {
  const own = operatorChose(/^--(heap[-_]growing[-_]percent|max[-_]old[-_]space[-_]size)(=|$)/, execArgv, nodeOptions);
  return own ? null : HEAP_GROWTH_FLAG;
}

/** Whether a flag matching `flag` is on the command line or in NODE_OPTIONS already. */
function operatorChose(flag: RegExp, execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((given) => flag.test(given));
}

/** Applies {@link HEAP_GROWTH_FLAG} to this process (the CLI does at its start; the benchmarks as the CLI). */
export function boundHeapGrowth(): void {
  const flag = heapGrowthFlag(process.execArgv, process.env.NODE_OPTIONS);
  if (flag !== null) setFlagsFromString(flag);
}

/**
 * V8's young generation at 32 MB a semi-space instead of Node 20's 16 MB. A replay or a verify
 * keeps most of what it parses for a while (the replay cache, the index, the records): with
 * 16 MB much of it is copied out of the young generation before it dies, and the copying is the
 * cost. A 1,000,000-entry replay took 40–45 s with 16 MB and 28.5–30.6 s with 32 MB on this
 * machine (3 pairs alternating; 24 MB 32.9 s, 48 MB 31.5 s at 955 MB, 64 MB 28.6 s at 995 MB),
 * `verify` 42.7 → 37.1 s, `serve` to its first /healthz 5.3 → 3.9 s; the HTTP events endpoint's
 * CPU per event was the same either way (BENCHMARKS.md, session 10).
 *
 * V8 reads it only as the process starts (set later, it changes nothing): so it is given on the
 * command line — bin/gongjian.js's shebang and package.json's `start` carry it (a test checks
 * both against this constant), and the benchmarks launch with it, as the CLI runs.
 */
export const YOUNG_GENERATION_FLAG = '--max-semi-space-size=32';

/** The flags the CLI is launched with, unless the operator gave a young generation size already. */
export function launchFlags(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const own = operatorChose(/^--(max|min)[-_]semi[-_]space[-_]size(=|$)/, execArgv, nodeOptions);
  return own ? [] : [YOUNG_GENERATION_FLAG];
}
