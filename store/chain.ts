import { GENESIS_HASH, hashText } from './hash.ts';
import type { JournalDraft, JournalEntry } from './types.ts';

/** Fields written for every entry, and the optional ones written only when present, in order. */
const OPTIONAL = ['event', 'input', 'from', 'to'] as const;
const OPTIONAL_AFTER = [
  'idempotencyKey',
  'rejection',
  'supersedes',
  'void',
  'reason',
  'link',
  'group',
  'blobs',
] as const;

/** Assigns sequence numbers and links each entry to the previous one's hash. */
export class JournalChain {
  lastSeq = 0;
  lastHash = GENESIS_HASH;

  /** The journal entry for `draft`, with the fields in the order they are written and hashed. */
  next(draft: JournalDraft): JournalEntry {
    return this.build(draft).entry;
  }

  /**
   * The entry and its journal line (JSON + newline). The line reuses the text that was hashed
   * — `{…,"hash":"…"}` is exactly what JSON.stringify of the whole entry gives — so each entry
   * is serialised once.
   */
  nextWithLine(draft: JournalDraft): { entry: JournalEntry; line: string } {
    const { entry, text, hash } = this.build(draft);
    return { entry, line: `${text.slice(0, -1)},"hash":"${hash}"}\n` };
  }

  private build(draft: JournalDraft): { entry: JournalEntry; text: string; hash: string } {
    const entry = entryFields(draft, this.lastSeq + 1);
    entry.prevHash = this.lastHash;
    const text = JSON.stringify(entry);
    const hash = hashText(this.lastHash, text);
    // Added last, so the entry's own JSON is the line (no copy of the entry made for it).
    entry.hash = hash;
    this.lastSeq = entry.seq as number;
    this.lastHash = hash;
    return { entry: entry as unknown as JournalEntry, text, hash };
  }
}

/**
 * The entry's fields up to `recordedAt`, in the order they are written and hashed (`prevHash` and
 * `hash` follow). Built by adding only the fields present (never `delete`, which slows every later
 * use of the object), so what is hashed is exactly what JSON.parse gives back.
 */
export function entryFields(draft: JournalDraft, seq: number): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    seq,
    kind: draft.kind,
    entity: draft.entity,
    id: draft.id,
    at: draft.at,
    actor: draft.actor,
  };
  for (const key of OPTIONAL) if (draft[key] !== undefined) entry[key] = draft[key];
  entry.version = draft.version;
  entry.machineVersion = draft.machineVersion;
  for (const key of OPTIONAL_AFTER) if (draft[key] !== undefined) entry[key] = draft[key];
  entry.recordedAt = draft.recordedAt;
  return entry;
}
