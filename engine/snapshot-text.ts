import { asciiJson, StoreError, type EntityRecord } from '../store/index.ts';

/**
 * A persisted snapshot as JSON text, such that `JSON.parse(text)` gives back exactly the
 * snapshot the live actor holds: live state ≡ restored state by construction (characters beyond
 * ASCII escaped, see `asciiJson`: half the memory, the same value). JSON cannot carry
 * NaN, ±Infinity (written as `null`), -0 (written as `0`), `undefined` in an array (`null`),
 * bigints, dates or class instances; a snapshot holding any of them is refused with the path of
 * the value, so such a state is never acknowledged, instead of silently diverging on restart.
 * (The machines' quantity bounds keep every number finite; this is the guarantee behind them.)
 *
 * @example
 * snapshotText(actor.getPersistedSnapshot()) // '{"status":"active","value":…}'
 */
export function snapshotText(snapshot: unknown): string {
  assertSerialisable(snapshot);
  return asciiJson(JSON.stringify(snapshot));
}

/** Refuses (`unserialisable`, with the path) a snapshot JSON would not give back exactly. */
export function assertSerialisable(snapshot: unknown): void {
  const bad = located('', firstUnserialisable(snapshot));
  if (bad !== null) {
    throw new StoreError(
      'unserialisable',
      `the snapshot cannot be saved exactly: ${bad.path || '(root)'} is ${bad.what}`,
      `快照无法原样保存:${bad.path || '(根)'} 为 ${bad.what}`,
    );
  }
}

/**
 * Proves the state a step reached serialisable, from a state already proven so: only what the
 * step changed is checked (the machines' `assign` copies what it changes and keeps the rest by
 * reference, so an unchanged branch is the very object checked before). The live states before
 * and after the step give the changes. Throws `unserialisable` with the path, as `snapshotText`.
 */
export function assertStepSerialisable(
  before: { value: unknown; context: unknown },
  after: { value: unknown; context: unknown },
): void {
  const bad =
    located('value', firstUnserialisable(after.value)) ??
    located('context', firstChanged(before.context, after.context));
  if (bad !== null) {
    throw new StoreError(
      'unserialisable',
      `the snapshot cannot be saved exactly: ${bad.path} is ${bad.what}`,
      `快照无法原样保存:${bad.path} 为 ${bad.what}`,
    );
  }
}

/**
 * A record whose snapshot text is made when it is first read — by a checkpoint, a database
 * write, a restore — not on the request path: an entity sent ten events between checkpoints is
 * serialised once, not ten times. `persist` gives the persisted snapshot of the state reached
 * (XState's snapshots are immutable: the state is the one of this step whenever it is read);
 * the step must have been proven serialisable first ({@link assertStepSerialisable}).
 */
export function steppedRecord(fields: Omit<EntityRecord, 'snapshot'>, persist: () => unknown): EntityRecord {
  let text: string | undefined;
  let state: (() => unknown) | null = persist;
  const get = (): string => {
    if (text === undefined) {
      text = asciiJson(JSON.stringify(state!()));
      // The text is all that is kept from now on.
      state = null;
    }
    return text;
  };
  // Carried by the accessor itself (copies of the record keep it), not looked up in a WeakMap:
  // one record per accepted step, and a WeakMap entry costs more than the rest of the record.
  (get as SnapshotAccessor)[UNREAD] = () => (state === null ? undefined : state());
  return Object.defineProperty(fields as EntityRecord, 'snapshot', { get, enumerable: true, configurable: true });
}

/**
 * A new entity's record: its initial snapshot proven serialisable now (`unserialisable`, with
 * the path, as {@link snapshotText}), its text made when first read, as a stepped record's.
 */
export function createdRecord(fields: Omit<EntityRecord, 'snapshot'>, snapshot: unknown): EntityRecord {
  assertSerialisable(snapshot);
  return steppedRecord(fields, () => snapshot);
}

const UNREAD = Symbol('unread snapshot');

/** A lazy record's `snapshot` accessor, with its persisted snapshot while no text has been made. */
type SnapshotAccessor = (() => string) & { [UNREAD]?: () => unknown };

/**
 * The persisted snapshot of a record whose text has not been made yet ({@link steppedRecord},
 * {@link createdRecord}; copies of it made by the store keep the accessor), or undefined — then
 * parse `record.snapshot`. Restoring an actor from it gives the state the text would give (the
 * state was proven serialisable when it was reached) without serialising and parsing it; the
 * object is shared, not copied, so it must be read only — as XState treats a snapshot it restores.
 */
export function unreadSnapshot(record: EntityRecord): unknown {
  const get = Object.getOwnPropertyDescriptor(record, 'snapshot')?.get as SnapshotAccessor | undefined;
  return get?.[UNREAD]?.();
}

/**
 * What cannot be saved and where: the keys from it up to the value checked, innermost first. The
 * path is written only for a value found (building it for every key checked made 0.4 GB of
 * strings in a 1,000,000-entry replay).
 */
interface Unsaveable {
  what: string;
  keys: (string | number)[];
}

/** `bad` found under `key` (an object's key, an array's index). */
function under(key: string | number, bad: Unsaveable | null): Unsaveable | null {
  bad?.keys.push(key);
  return bad;
}

/** The path of `bad` below `prefix` (`''`: the snapshot's root), as `a.b[0].c`. */
function located(prefix: string, bad: Unsaveable | null): { path: string; what: string } | null {
  if (bad === null) return null;
  let path = prefix;
  for (let i = bad.keys.length - 1; i >= 0; i--) {
    const key = bad.keys[i]!;
    path = typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
  }
  return { path, what: bad.what };
}

/** The first value that cannot be saved in `after`, looking only where it differs from `before`. */
function firstChanged(before: unknown, after: unknown): Unsaveable | null {
  if (before === after) return null;
  if (
    typeof after !== 'object' ||
    after === null ||
    typeof before !== 'object' ||
    before === null ||
    Array.isArray(after) !== Array.isArray(before)
  )
    return firstUnserialisable(after);
  if (Array.isArray(after)) {
    const was = before as unknown[];
    for (let i = 0; i < after.length; i++) {
      if (after[i] === undefined) return { what: 'undefined', keys: [i] };
      const bad = firstChanged(was[i], after[i]);
      if (bad !== null) return under(i, bad);
    }
    return null;
  }
  const proto = Object.getPrototypeOf(after) as unknown;
  if (proto !== Object.prototype && proto !== null) return firstUnserialisable(after);
  const was = before as Record<string, unknown>;
  for (const key in after) {
    const item = (after as Record<string, unknown>)[key];
    if (item === undefined) continue;
    const bad = firstChanged(was[key], item);
    if (bad !== null) return under(key, bad);
  }
  return null;
}

function firstUnserialisable(value: unknown): Unsaveable | null {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return null;
    case 'number':
      if (!Number.isFinite(value)) return { what: String(value), keys: [] };
      return Object.is(value, -0) ? { what: '-0', keys: [] } : null;
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          if (value[i] === undefined) return { what: 'undefined', keys: [i] };
          const bad = firstUnserialisable(value[i]);
          if (bad !== null) return under(i, bad);
        }
        return null;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null)
        return { what: `a ${(value as object).constructor?.name ?? 'non-plain'} object`, keys: [] };
      // for…in, not Object.entries: no array of pairs made for every object of every snapshot.
      for (const key in value) {
        const item = (value as Record<string, unknown>)[key];
        // An undefined property is left out by JSON and reads as undefined after restore: the same.
        if (item === undefined) continue;
        const bad = firstUnserialisable(item);
        if (bad !== null) return under(key, bad);
      }
      return null;
    }
    case 'undefined':
      return null;
    default:
      return { what: `a ${typeof value}`, keys: [] };
  }
}
