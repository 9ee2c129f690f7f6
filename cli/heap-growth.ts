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
  const chosen = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)];
  const own = chosen.some((flag) => /^--(heap[-_]growing[-_]percent|max[-_]old[-_]space[-_]size)(=|$)/.test(flag));
  return own ? null : HEAP_GROWTH_FLAG;
}

/** Applies {@link HEAP_GROWTH_FLAG} to this process (the CLI does at its start; the benchmarks as the CLI). */
export function boundHeapGrowth(): void {
  const flag = heapGrowthFlag(process.execArgv, process.env.NODE_OPTIONS);
  if (flag !== null) setFlagsFromString(flag);
}
