import { StoreError } from '../store/index.ts';

/**
 * A persisted snapshot as JSON text, such that `JSON.parse(text)` gives back exactly the
 * snapshot the live actor holds: live state ≡ restored state by construction. JSON cannot carry
 * NaN, ±Infinity (written as `null`), -0 (written as `0`), `undefined` in an array (`null`),
 * bigints, dates or class instances; a snapshot holding any of them is refused with the path of
 * the value, so such a state is never acknowledged, instead of silently diverging on restart.
 * (The machines' quantity bounds keep every number finite; this is the guarantee behind them.)
 *
 * @example
 * snapshotText(actor.getPersistedSnapshot()) // '{"status":"active","value":…}'
 */
export function snapshotText(snapshot: unknown): string {
  const bad = firstUnserialisable(snapshot, '');
  if (bad !== null) {
    throw new StoreError(
      'unserialisable',
      `the snapshot cannot be saved exactly: ${bad.path || '(root)'} is ${bad.what}`,
      `快照无法原样保存:${bad.path || '(根)'} 为 ${bad.what}`,
    );
  }
  return JSON.stringify(snapshot);
}

function firstUnserialisable(value: unknown, path: string): { path: string; what: string } | null {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return null;
    case 'number':
      if (!Number.isFinite(value)) return { path, what: String(value) };
      return Object.is(value, -0) ? { path, what: '-0' } : null;
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          if (value[i] === undefined) return { path: `${path}[${i}]`, what: 'undefined' };
          const bad = firstUnserialisable(value[i], `${path}[${i}]`);
          if (bad !== null) return bad;
        }
        return null;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null)
        return { path, what: `a ${(value as object).constructor?.name ?? 'non-plain'} object` };
      for (const [key, item] of Object.entries(value)) {
        // An undefined property is left out by JSON and reads as undefined after restore: the same.
        if (item === undefined) continue;
        const bad = firstUnserialisable(item, path === '' ? key : `${path}.${key}`);
        if (bad !== null) return bad;
      }
      return null;
    }
    case 'undefined':
      return null;
    default:
      return { path, what: `a ${typeof value}` };
  }
}
