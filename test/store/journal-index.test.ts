import { describe, expect, it } from 'vitest';
import { JournalIndex, keyHash } from '../../store/journal-index.ts';

/** Two different keys with the same 32-bit hash (a birthday search: ≈ 80,000 tries on average). */
function collidingKeys(): [string, string] {
  const seen = new Map<number, string>();
  for (let i = 0; ; i++) {
    const key = `fin\u0000project\u0000p${i % 977}\u0000key-${i}`;
    const other = seen.get(keyHash(key));
    if (other !== undefined) return [other, key];
    seen.set(keyHash(key), key);
  }
}

describe('the journal index', () => {
  it('finds every idempotency key it was given among its candidates, and none it was not', () => {
    const index = new JournalIndex();
    for (let seq = 1; seq <= 20_000; seq++) index.add(seq, seq * 100, `project p${seq % 50}`, `k-${seq}`);
    for (const seq of [1, 777, 4096, 20_000]) expect(index.seqsOfKey(`k-${seq}`)).toContain(seq);
    expect(index.seqsOfKey('k-20001')).toEqual([]);
    expect(index.seqsOf('project p7')).toHaveLength(400);
    expect(index.span(777)).toEqual({ offset: 77_600, length: 100 });
  });

  it('keys whose hashes collide are both candidates, latest first: the store compares the entries', () => {
    const [a, b] = collidingKeys();
    expect(a).not.toBe(b);
    const index = new JournalIndex();
    index.add(1, 10, 'project p1', a);
    index.add(2, 20, 'project p2', b);
    expect(index.seqsOfKey(a)).toEqual([2, 1]);
    expect(index.seqsOfKey(b)).toEqual([2, 1]);
  });

  it('an entry dropped (a group cut short by a crash) is forgotten: its key, its place in its entity', () => {
    const index = new JournalIndex();
    index.add(1, 10, 'project p1', 'k-1');
    index.add(2, 20, 'project p1', 'k-2');
    index.drop(2, 'project p1', 'k-2');
    expect(index.seqsOfKey('k-2')).toEqual([]);
    expect(index.seqsOfKey('k-1')).toEqual([1]);
    expect(index.seqsOf('project p1')).toEqual([1]);
  });

  it('a sealed segment’s part of the index, taken out and loaded into another, reads the same', () => {
    const index = new JournalIndex();
    for (let seq = 1; seq <= 1000; seq++) index.add(seq, seq * 10, `project p${seq % 7}`, `k-${seq}`);
    const again = new JournalIndex();
    again.load({ firstSeq: 1, base: 0, ...index.fragment(1, 600) });
    for (let seq = 601; seq <= 1000; seq++) again.add(seq, seq * 10, `project p${seq % 7}`, `k-${seq}`);
    expect(again.seqsOf('project p3')).toEqual(index.seqsOf('project p3'));
    expect(again.seqsOfKey('k-599')).toEqual([599]);
    expect(again.span(600)).toEqual(index.span(600));
  });
});
