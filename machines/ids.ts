/**
 * Identifiers (projects, units, campaigns, problems, staff) are ASCII letters, digits, `_` and
 * `-`, starting with a letter or digit, at most 64 characters: safe in URLs, file names, logs
 * and as object keys. That rules out `.` and `..`, control characters and `__proto__`; the names
 * of Object.prototype's own properties (`constructor`, `toString`…) are refused too, since ids
 * key plain objects (a campaign's targets by unit).
 *
 * @example
 * isSafeId('xiadong') // true
 * isSafeId('../etc') // false
 */
const SAFE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const RESERVED = new Set(Object.getOwnPropertyNames(Object.prototype));

export function isSafeId(value: unknown): value is string {
  return typeof value === 'string' && SAFE.test(value) && !RESERVED.has(value);
}

export const SAFE_ID_RULE = {
  zh: '编号须为 1–64 个英文字母、数字、_ 或 -,以字母或数字开头',
  en: 'an id is 1–64 ASCII letters, digits, _ or -, starting with a letter or digit',
};
