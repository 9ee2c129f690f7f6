/**
 * A computation written as a generator that pauses (yields) between its parts — so that a server
 * can let other work run in between — run here to its end, with no pause: the same result.
 *
 * @example
 * function* total(xs: number[]) { let t = 0; for (const x of xs) { t += x; yield; } return t; }
 * completed(total([1, 2, 3])) // 6
 */
export function completed<T>(steps: Generator<unknown, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/** Items (facts, projects) a computation in steps handles between two pauses. */
export const ITEMS_PER_STEP = 20_000;
