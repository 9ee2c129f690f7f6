import type { Bilingual } from './rules.ts';

/**
 * Quantities (万元, 亩, 栋) are decimals typed by people: 1018.5 亩, 0.7 万元. Summing binary
 * floats drifts (0.1 + 0.2 !== 0.3), and a guard comparing a drifted total with what is
 * required would refuse a report that is exactly right. Every stored total is therefore
 * rounded to four decimals, far below anything a county reports.
 *
 * Every quantity also has a domain bound. Without one, `1e308` 万元 rounds (× 10⁴) to
 * Infinity, which JSON writes as `null`: the live project and the one restored from disk would
 * differ. Within the bounds every total stays an exact, finite number.
 *
 * @example
 * addQuantity(0.1, 0.2) // 0.3
 * quantityBoundProblem('money', 'amount', '金额', 2e9) // { zh: '金额超出上限 …', en: 'amount is at most 1000000000 …' }
 */

const SCALE = 10_000;

/** What a quantity measures, each with its largest sensible value. */
export type QuantityKind = 'money' | 'land' | 'houses' | 'count';

export const QUANTITY_BOUNDS: Record<QuantityKind, { max: number; unit: Bilingual }> = {
  /** 10 万亿元 — more than any county's, or province's, annual investment. */
  money: { max: 1e9, unit: { zh: '万元', en: '(10k yuan)' } },
  /** 10 million mu ≈ 6,700 km², a large county's whole area. */
  land: { max: 1e7, unit: { zh: '亩', en: 'mu' } },
  houses: { max: 1e6, unit: { zh: '栋', en: 'houses' } },
  /** Projects, signings: a count target or tally. */
  count: { max: 1e6, unit: { zh: '个', en: '' } },
};

/** Round to four decimals (and never return -0, which JSON cannot carry). */
export function roundQuantity(value: number): number {
  return Math.round(value * SCALE) / SCALE + 0;
}

/** `a + b`, rounded. */
export function addQuantity(a: number, b: number): number {
  return roundQuantity(a + b);
}

/** A finite number (rejects NaN, ±Infinity, strings). */
export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Format for messages: at most two decimals, no trailing zeros (800, 1018.5, 0.25, 1e+308). */
export function formatQuantity(value: number): string {
  return Number.isFinite(value) && Math.abs(value) < 1e13 ? String(Math.round(value * 100) / 100 + 0) : String(value);
}

/**
 * Why `value` is above the bound of its kind, naming the field (`label` in Chinese), or null.
 * Only the bound is checked: signs and types are the caller's rule.
 */
export function quantityBoundProblem(
  kind: QuantityKind,
  field: string,
  label: string,
  value: number,
): Bilingual | null {
  const { max, unit } = QUANTITY_BOUNDS[kind];
  if (!(value > max)) return null;
  return {
    zh: `${label}超出上限:${formatQuantity(value)} ${unit.zh},最多 ${max} ${unit.zh}`,
    en: `${field} is at most ${max} ${unit.en} (got ${formatQuantity(value)})`,
  };
}
