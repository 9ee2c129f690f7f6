import { z } from 'zod';
import {
  QUANTITY_BOUNDS,
  SAFE_ID_RULE,
  isIsoDate,
  isIsoMonth,
  isSafeId,
  type QuantityKind,
} from '../../machines/index.ts';

/**
 * Pieces of the kinds' zod schemas (types and formats). The bounds and the id rule are the
 * machines' own constants, so a schema and a machine cannot disagree on them.
 */

/** An id (machines/ids.ts): safe in URLs, files, logs and as an object key. */
export const safeId = z
  .string()
  .refine(isSafeId, { message: `${SAFE_ID_RULE.en} / ${SAFE_ID_RULE.zh}` })
  .meta({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$' });

export const isoDate = z
  .string()
  .refine(isIsoDate, { message: 'expected a calendar date YYYY-MM-DD' })
  .meta({ example: '2022-09-01', format: 'date' });

export const isoMonth = z
  .string()
  .refine(isIsoMonth, { message: 'expected a month YYYY-MM' })
  .meta({ example: '2022-09', pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', description: 'a month, YYYY-MM' });

/** A number within the bound of its kind (machines/quantity.ts). */
export function bounded(kind: QuantityKind, description: string) {
  const { max, unit } = QUANTITY_BOUNDS[kind];
  return z
    .number()
    .max(max, { error: `at most ${max} ${unit.en} / 不超过 ${max} ${unit.zh}` })
    .meta({ description: `${description}, at most ${max}` });
}

export const money = bounded('money', '万元 (10,000 yuan)');
export const mu = bounded('land', '亩 (mu)');
export const houses = bounded('houses', 'houses (栋)').int();

/** An event of `type`, dated `at`, with its payload. */
export function dated<K extends string, T extends z.core.$ZodLooseShape>(type: K, shape: T) {
  return z.strictObject({ type: z.literal(type), at: isoDate, ...shape });
}
