import { createHash } from 'node:crypto';
import type { JournalEntry } from './types.ts';

/** The hash of the chain's first entry's predecessor. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * SHA-256 over the previous hash and the entry as written (without its own hash). Entries are
 * built with a fixed key order, and `JSON.parse` keeps that order, so a reader recomputes the
 * same bytes.
 */
export function entryHash(entry: Omit<JournalEntry, 'hash'>): string {
  return hashText(entry.prevHash, JSON.stringify(entry));
}

/** The hash of an entry already serialised (without its hash). */
export function hashText(prevHash: string, text: string): string {
  return createHash('sha256').update(prevHash).update('\n').update(text).digest('hex');
}
