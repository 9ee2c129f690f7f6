import { setImmediate } from 'node:timers/promises';

/**
 * How long a computation in steps runs before letting the requests that arrived meanwhile in, ms: a
 * write takes a few turns of the event loop, each of which may wait this long.
 */
export const SLICE_MS = 5;

/**
 * Runs a computation written in steps (a generator that pauses: machines/steps.ts) for up to
 * `sliceMs` at a time, then lets the requests that arrived meanwhile in, and so on to its end — so
 * that a report at 100,000 projects (seconds) holds no write up for longer than a slice
 * (BENCHMARKS.md, session 13). `sliceMs` 0: a turn after every step.
 *
 * @example
 * const report = await inSlices(campaignReportSteps(campaign, derived, ladderIds));
 */
export async function inSlices<T>(steps: Generator<void, T>, sliceMs = SLICE_MS): Promise<T> {
  let slice = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
    if (performance.now() - slice >= sliceMs) {
      await setImmediate();
      slice = performance.now();
    }
  }
}
