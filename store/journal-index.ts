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
  private last = 0;
  private readonly bySubject = new Map<string, number[]>();
  private readonly byKey = new Map<string, number>();

  /** Index entry `seq` (the next one), whose line ends at byte `end`. */
  add(seq: number, end: number, subject: string, key: string | undefined): void {
    if (seq >= this.ends.length) {
      const grown = new Float64Array(Math.max(this.ends.length * 2, seq + 1));
      grown.set(this.ends);
      this.ends = grown;
    }
    this.ends[seq] = end;
    this.last = seq;
    const seqs = this.bySubject.get(subject);
    if (seqs === undefined) this.bySubject.set(subject, [seq]);
    else seqs.push(seq);
    if (key !== undefined) this.byKey.set(key, seq);
  }

  /** Forget entry `seq` — the last one indexed (a group cut short by a crash). */
  drop(seq: number, subject: string, key: string | undefined): void {
    const seqs = this.bySubject.get(subject);
    if (seqs?.at(-1) === seq) seqs.pop();
    if (seqs?.length === 0) this.bySubject.delete(subject);
    if (key !== undefined && this.byKey.get(key) === seq) this.byKey.delete(key);
    this.last = Math.min(this.last, seq - 1);
  }

  /** Sets where entry 1 starts (0 for a journal in one file). */
  set start(offset: number) {
    this.ends[0] = offset;
  }

  /** Takes in a sealed segment's index as written (its entries follow the ones indexed so far). */
  load(segment: {
    firstSeq: number;
    base: number;
    ends: readonly number[];
    subjects: readonly string[];
    subjectSeqs: number[][];
    keys: readonly string[];
    keySeqs: readonly number[];
  }): void {
    const lastSeq = segment.firstSeq + segment.ends.length - 1;
    if (lastSeq >= this.ends.length) {
      const grown = new Float64Array(Math.max(this.ends.length * 2, lastSeq + 1024));
      grown.set(this.ends);
      this.ends = grown;
    }
    this.ends[segment.firstSeq - 1] = segment.base;
    this.ends.set(segment.ends, segment.firstSeq);
    this.last = lastSeq;
    segment.subjects.forEach((subject, i) => {
      const seqs = segment.subjectSeqs[i]!;
      const mine = this.bySubject.get(subject);
      if (mine === undefined) this.bySubject.set(subject, seqs);
      else for (const seq of seqs) mine.push(seq);
    });
    segment.keys.forEach((key, i) => this.byKey.set(key, segment.keySeqs[i]!));
  }

  /** What a sealed segment's index file holds of entries `firstSeq`…`lastSeq`. */
  fragment(
    firstSeq: number,
    lastSeq: number,
  ): { ends: number[]; subjects: string[]; subjectSeqs: number[][]; keys: string[]; keySeqs: number[] } {
    const subjects: string[] = [];
    const subjectSeqs: number[][] = [];
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
      while (end < seqs.length && seqs[end]! <= lastSeq) end++;
      if (end > lo) {
        subjects.push(subject);
        subjectSeqs.push(seqs.slice(lo, end));
      }
    }
    const keys: string[] = [];
    const keySeqs: number[] = [];
    for (const [key, seq] of this.byKey)
      if (seq >= firstSeq && seq <= lastSeq) {
        keys.push(key);
        keySeqs.push(seq);
      }
    return { ends: Array.from(this.ends.subarray(firstSeq, lastSeq + 1)), subjects, subjectSeqs, keys, keySeqs };
  }

  span(seq: number): LineSpan {
    const offset = this.ends[seq - 1]!;
    return { offset, length: this.ends[seq]! - offset };
  }

  /** The seqs of one entity's entries (`entity id`), oldest first. */
  seqsOf(subject: string): readonly number[] {
    return this.bySubject.get(subject) ?? [];
  }

  seqOfKey(key: string): number | undefined {
    return this.byKey.get(key);
  }

  get lastSeq(): number {
    return this.last;
  }
}
