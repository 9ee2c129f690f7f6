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

/**
 * Items (facts, projects, events) a computation in steps handles between two pauses: small, so
 * that no step holds the event loop for long (at 100,000 projects, ≈ 1–5 ms a step); whoever
 * drives the steps decides how many to run before letting other work in.
 */
export const ITEMS_PER_STEP = 1_000;

/**
 * Calls `each` on every item, pausing every {@link ITEMS_PER_STEP} items.
 *
 * @example
 * let sum = 0;
 * completed(eachStep([1, 2, 3], (x) => (sum += x))) // sum === 6
 */
export function* eachStep<T>(items: Iterable<T>, each: (item: T) => void): Generator<void, void> {
  let n = 0;
  for (const item of items) {
    if (++n % ITEMS_PER_STEP === 0) yield;
    each(item);
  }
}

/**
 * The items `keep` keeps, in order, pausing every {@link ITEMS_PER_STEP} items.
 *
 * @example
 * completed(filterSteps([1, 2, 3, 4], (x) => x % 2 === 0)) // [2, 4]
 */
export function* filterSteps<T>(items: Iterable<T>, keep: (item: T) => boolean): Generator<void, T[]> {
  const out: T[] = [];
  yield* eachStep(items, (item) => {
    if (keep(item)) out.push(item);
  });
  return out;
}
