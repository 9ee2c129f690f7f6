/** Where one entry's line lies in the journal file. */
export interface LineSpan {
  offset: number;
  length: number;
}

/**
 * Where every journal entry lies, compactly: one number per entry (the byte after its line, by
 * seq) instead of an object, each entity's entries as a list of seqs, and each idempotency key
 * as the seq it was journalled at. A million entries cost ≈ 8 MB of offsets plus the keys,
 * and no objects for the garbage collector to trace.
 */
export class JournalIndex {
  /** `ends[seq]`: the byte offset just after entry `seq`'s line; `ends[0]` is where entry 1 starts. */
  private ends = new Float64Array(1024);
  private readonly bySubject = new Map<string, number[]>();
  private readonly byKey = new KeyTable();

  /** Index entry `seq` (the next one), whose line ends at byte `end`. */
  add(seq: number, end: number, subject: string, key: string | undefined): void {
    if (seq >= this.ends.length) {
      const grown = new Float64Array(Math.max(this.ends.length * 2, seq + 1));
      grown.set(this.ends);
      this.ends = grown;
    }
    this.ends[seq] = end;
    const seqs = this.bySubject.get(subject);
    if (seqs === undefined) this.bySubject.set(subject, [seq]);
    else seqs.push(seq);
    if (key !== undefined) this.byKey.add(keyHash(key), seq);
  }

  /** Forget entry `seq` — the last one indexed (a group cut short by a crash). */
  drop(seq: number, subject: string, key: string | undefined): void {
    const seqs = this.bySubject.get(subject);
    if (seqs?.at(-1) === seq) seqs.pop();
    if (seqs?.length === 0) this.bySubject.delete(subject);
    if (key !== undefined) this.byKey.remove(keyHash(key), seq);
  }

  /** Room for `keys` more idempotency keys (before loading segments: one rehash, not one per doubling). */
  reserveKeys(keys: number): void {
    this.byKey.reserve(keys);
  }

  /** Takes in a sealed segment's index as written (its entries follow the ones indexed so far). */
  load(segment: {
    firstSeq: number;
    base: number;
    ends: ArrayLike<number>;
    subjects: readonly string[];
    subjectCounts: ArrayLike<number>;
    subjectSeqs: ArrayLike<number>;
    keys: ArrayLike<number>;
    keySeqs: ArrayLike<number>;
  }): void {
    const lastSeq = segment.firstSeq + segment.ends.length - 1;
    if (lastSeq >= this.ends.length) {
      const grown = new Float64Array(Math.max(this.ends.length * 2, lastSeq + 1024));
      grown.set(this.ends);
      this.ends = grown;
    }
    this.ends[segment.firstSeq - 1] = segment.base;
    this.ends.set(segment.ends, segment.firstSeq);
    const { subjects, subjectCounts, subjectSeqs } = segment;
    let at = 0;
    for (let i = 0; i < subjects.length; i++) {
      const count = subjectCounts[i]!;
      const mine = this.bySubject.get(subjects[i]!);
      if (mine === undefined) {
        const seqs = new Array<number>(count);
        for (let j = 0; j < count; j++) seqs[j] = subjectSeqs[at + j]!;
        this.bySubject.set(subjects[i]!, seqs);
      } else for (let j = 0; j < count; j++) mine.push(subjectSeqs[at + j]!);
      at += count;
    }
    for (let i = 0; i < segment.keys.length; i++) this.byKey.add(segment.keys[i]!, segment.keySeqs[i]!);
  }

  /** What a sealed segment's index holds of entries `firstSeq`…`lastSeq`. */
  fragment(
    firstSeq: number,
    lastSeq: number,
  ): {
    ends: Float64Array;
    subjects: string[];
    subjectCounts: number[];
    subjectSeqs: number[];
    keys: number[];
    keySeqs: number[];
  } {
    const subjects: string[] = [];
    const subjectCounts: number[] = [];
    const subjectSeqs: number[] = [];
    for (const [subject, seqs] of this.bySubject) {
      // Seqs ascend: find the first at or after firstSeq by bisection, take while ≤ lastSeq.
      let lo = 0;
      let hi = seqs.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (seqs[mid]! < firstSeq) lo = mid + 1;
        else hi = mid;
      }
      let end = lo;
      while (end < seqs.length && seqs[end]! <= lastSeq) subjectSeqs.push(seqs[end++]!);
      if (end > lo) {
        subjects.push(subject);
        subjectCounts.push(end - lo);
      }
    }
    const { hashes: keys, seqs: keySeqs } = this.byKey.within(firstSeq, lastSeq);
    return { ends: this.ends.slice(firstSeq, lastSeq + 1), subjects, subjectCounts, subjectSeqs, keys, keySeqs };
  }

  /** The byte just after entry `seq`'s line. */
  endOf(seq: number): number {
    return this.ends[seq]!;
  }

  span(seq: number): LineSpan {
    const offset = this.ends[seq - 1]!;
    return { offset, length: this.ends[seq]! - offset };
  }

  /** The seqs of one entity's entries (`entity id`), oldest first. */
  seqsOf(subject: string): readonly number[] {
    return this.bySubject.get(subject) ?? [];
  }

  /**
   * The seqs that may hold this idempotency key, latest first: the table keeps a 32-bit hash of
   * each key, not the key, so the caller reads each candidate and compares (a collision costs one
   * extra read; a miss, the common case, none).
   */
  seqsOfKey(key: string): number[] {
    return this.byKey.candidates(keyHash(key)).sort((a, b) => b - a);
  }
}

/** FNV-1a, 32 bits, never 0 (0 marks an empty slot). */
export function keyHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h === 0 ? 1 : h;
}

/**
 * Idempotency keys as an open-addressing table of (32-bit hash, seq) in two typed arrays:
 * 12 bytes per key instead of a string and a Map entry (a Map of a million such strings took
 * 0.6–2 s to build on this machine).
 */
class KeyTable {
  private hashes = new Int32Array(1 << 12);
  private seqs = new Float64Array(1 << 12);
  private used = 0;

  add(hash: number, seq: number): void {
    if ((this.used + 1) * 2 > this.hashes.length) this.grow();
    const mask = this.hashes.length - 1;
    let i = hash & mask;
    while (this.hashes[i] !== 0) i = (i + 1) & mask;
    this.hashes[i] = hash;
    this.seqs[i] = seq;
    this.used += 1;
  }

  /** Marks (hash, seq) removed; the slot stays taken so later probes still pass it. */
  remove(hash: number, seq: number): void {
    const mask = this.hashes.length - 1;
    for (let i = hash & mask; this.hashes[i] !== 0; i = (i + 1) & mask)
      if (this.hashes[i] === hash && this.seqs[i] === seq) this.seqs[i] = -1;
  }

  candidates(hash: number): number[] {
    const out: number[] = [];
    const mask = this.hashes.length - 1;
    for (let i = hash & mask; this.hashes[i] !== 0; i = (i + 1) & mask)
      if (this.hashes[i] === hash && this.seqs[i]! >= 0) out.push(this.seqs[i]!);
    return out;
  }

  within(firstSeq: number, lastSeq: number): { hashes: number[]; seqs: number[] } {
    const hashes: number[] = [];
    const seqs: number[] = [];
    for (let i = 0; i < this.hashes.length; i++) {
      const seq = this.seqs[i]!;
      if (this.hashes[i] !== 0 && seq >= firstSeq && seq <= lastSeq) {
        hashes.push(this.hashes[i]!);
        seqs.push(seq);
      }
    }
    return { hashes, seqs };
  }

  /** Room for `more` keys without growing on the way (one rehash instead of one per doubling). */
  reserve(more: number): void {
    let size = this.hashes.length;
    while ((this.used + more + 1) * 2 > size) size *= 2;
    if (size > this.hashes.length) this.grow(size);
  }

  private grow(size = this.hashes.length * 2): void {
    const [hashes, seqs] = [this.hashes, this.seqs];
    this.hashes = new Int32Array(size);
    this.seqs = new Float64Array(size);
    this.used = 0;
    for (let i = 0; i < hashes.length; i++) if (hashes[i] !== 0 && seqs[i]! >= 0) this.add(hashes[i]!, seqs[i]!);
  }
}
