/**
 * Quantities (万元, 亩) are decimals typed by people: 1018.5 亩, 0.7 万元. Summing binary
 * floats drifts (0.1 + 0.2 !== 0.3), and a guard comparing a drifted total with what is
 * required would refuse a report that is exactly right. Every stored total is therefore
 * rounded to four decimals, far below anything a county reports.
 *
 * @example
 * addQuantity(0.1, 0.2) // 0.3
 */

const SCALE = 10_000;

/** Round to four decimals. */
export function roundQuantity(value: number): number {
  return Math.round(value * SCALE) / SCALE;
}

/** `a + b`, rounded. */
export function addQuantity(a: number, b: number): number {
  return roundQuantity(a + b);
}

/** A finite number (rejects NaN, ±Infinity, strings). */
export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Format for messages: at most two decimals, no trailing zeros (800, 1018.5, 0.25). */
export function formatQuantity(value: number): string {
  return String(Math.round(value * 100) / 100);
}
