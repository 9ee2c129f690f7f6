import { createReadStream } from 'node:fs';
import { createGunzip, type ZlibOptions } from 'node:zlib';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { GENESIS_HASH } from './hash.ts';
import { StoreError, entryIdempotencyKey, type JournalEntry } from './types.ts';

import { JournalIndex } from './journal-index.ts';

export interface JournalScan {
  lastSeq: number;
  lastHash: string;
  /** Bytes of whole, valid lines; anything after is a torn tail to cut off. */
  validBytes: number;
  fileBytes: number;
  /** Description of the torn tail dropped, if any. */
  tornTail: string | null;
  /** Where each entry lies, each entity's entries, each idempotency key's entry. */
  index: JournalIndex;
  /** Hash of the entry with seq `sinceSeq` (to check the checkpoint belongs to this journal). */
  hashAtSinceSeq: string | null;
}

/** What to scan: the active journal file, or a sealed segment continuing from the one before. */
export interface ScanSource {
  path: string;
  /** A compressed segment, read through gunzip. */
  gzip?: boolean;
  /** Its length uncompressed, if known (a compressed segment's index says). */
  rawBytes?: number;
  /** Where the previous segment left off: its last seq and hash, and the byte after it in the whole journal. */
  from?: { seq: number; hash: string; offset: number };
  /** A sealed segment must be whole: a torn end is corruption, not a crash to recover from. */
  sealed?: boolean;
  /**
   * Its entries are in the index already (taken from the segment's own index): each line's end is
   * checked against it instead of being indexed again.
   */
  indexed?: boolean;
}

/** Receives each entry after the checkpoint, in order, once it is known whole (its group included). */
export type TailReader = (entry: JournalEntry) => void | Promise<void>;

export function spanKey(entity: string, id: string): string {
  return `${entity} ${id}`;
}

/**
 * A compressed segment's bytes, inflated ahead of their reader. With zlib's defaults (16 KiB out
 * per step of the thread pool) a replay waited on the pool for each step in turn: 1.5–1.7 s of a
 * 1,000,000-entry replay idle; 64 KiB a step with up to four waiting, 0.7 s (a quarter-megabyte a
 * step idled as little but cost more in garbage collection; BENCHMARKS.md, session 12).
 */
export function inflated(compressed: Readable): Readable {
  // zlib hands its options to its stream (Node's types list only zlib's own).
  const options: ZlibOptions & { readableHighWaterMark: number } = {
    chunkSize: 1 << 16,
    readableHighWaterMark: 1 << 18,
  };
  const input = compressed.pipe(createGunzip(options));
  compressed.on('error', (err) => input.destroy(err));
  return input;
}

/**
 * The lines of a byte stream, decoded one by one (cheaper than a decoding stream and readline),
 * with their length in bytes — the newline included when there is one.
 */
export async function* splitLines(
  input: AsyncIterable<Buffer>,
): AsyncGenerator<{ text: string; bytes: number; terminated: boolean }> {
  for await (const lines of lineBatches(input)) yield* lines;
}

/**
 * The lines of a stream, a chunk's worth at a time: one step of the async iteration per chunk
 * (a megabyte), not per line — at a million lines, a million fewer promises.
 */
export async function* lineBatches(
  input: AsyncIterable<Buffer>,
): AsyncGenerator<{ text: string; bytes: number; terminated: boolean }[]> {
  let rest: Buffer | null = null;
  for await (const chunk of input) {
    const data: Buffer = rest === null ? chunk : Buffer.concat([rest, chunk]);
    const lines: { text: string; bytes: number; terminated: boolean }[] = [];
    let start = 0;
    for (let nl = data.indexOf(0x0a, start); nl >= 0; nl = data.indexOf(0x0a, start)) {
      lines.push({ text: data.toString('utf8', start, nl), bytes: nl + 1 - start, terminated: true });
      start = nl + 1;
    }
    rest = start < data.length ? data.subarray(start) : null;
    if (lines.length > 0) yield lines;
  }
  if (rest !== null) yield [{ text: rest.toString('utf8'), bytes: rest.length, terminated: false }];
}

/** The checkpoint is at an entry the journal does not have, or has with another hash. */
export function checkpointMismatch(checkpointSeq: number, journalSeq: number): StoreError {
  const short = journalSeq < checkpointSeq;
  return new StoreError(
    'checkpointAhead',
    `store.json is at journal entry ${checkpointSeq} but the journal ` +
      `${short ? `ends at ${journalSeq}` : 'differs there'}: the journal was truncated or replaced. ` +
      'Restore it from a backup',
    `store.json 记录到第 ${checkpointSeq} 条日志,但日志${short ? `只到第 ${journalSeq} 条` : '在该处内容不符'}` +
      ':日志被截断或替换,请从备份恢复',
  );
}

function corrupt(path: string, line: number, seq: number, why: string, whyZh: string): StoreError {
  return new StoreError(
    'journalCorrupt',
    `journal ${path}, line ${line}: ${why}. Nothing was changed; run "gongjian verify" and restore the journal ` +
      `from a backup`,
    `日志 ${path} 第 ${line} 行:${whyZh}。未作任何修改;请运行 "gongjian verify" 并从备份恢复日志`,
    seq,
  );
}

/**
 * Reads the whole journal once, streaming: checks each line parses, seqs run 1, 2, 3… and each
 * entry links to the previous hash; indexes line positions per entity and the idempotency keys;
 * and hands each entry after `sinceSeq` to `onTail` as it goes (nothing is kept of it). An entry
 * is handed over only once it is known whole: the last line waits for the end of the file, a
 * group for its last entry. A torn last line — the tail of an append cut short by a crash, which
 * was therefore never acknowledged — is reported for cutting off; a bad line anywhere else stops
 * the scan (`onTail` has then seen only entries before it).
 */
export async function scanJournal(
  source: ScanSource,
  since: { seq: number; hash: string },
  onTail: TailReader = () => {},
  /** The index to fill (the store's own, so `onTail` may already read histories). */
  index: JournalIndex = new JournalIndex(),
): Promise<JournalScan> {
  const { path } = source;
  const from = source.from ?? { seq: 0, hash: GENESIS_HASH, offset: 0 };
  const sinceSeq = since.seq;
  // Line n of a file that continues after entry `from.seq` holds entry from.seq + n.
  const bad = (line: number, why: string, whyZh: string) => corrupt(path, line, from.seq + line, why, whyZh);
  const scan: JournalScan = {
    lastSeq: from.seq,
    lastHash: from.hash,
    validBytes: from.offset,
    fileBytes: from.offset,
    tornTail: null,
    index,
    hashAtSinceSeq: sinceSeq === from.seq ? from.hash : null,
  };
  try {
    scan.fileBytes = from.offset + (source.rawBytes ?? (await stat(path)).size);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return scan;
    throw err;
  }
  const bytes = createReadStream(path, { highWaterMark: 1 << 20 });
  const input = source.gzip === true ? inflated(bytes) : bytes;
  let offset = from.offset;
  let terminated = true;
  let lineNo = 0;
  let pending: { text: string; lineNo: number; offset: number; bytes: number } | null = null;
  // Where the group being read began (entries committed together): a group cut short by a
  // crash is torn as a whole — none of it was acknowledged.
  const open: { group: GroupStart | null } = { group: null };
  type GroupStart = {
    lineNo: number;
    lastSeq: number;
    lastHash: string;
    validBytes: number;
    indexed: { seq: number; subject: string; key: string | undefined }[];
    hashAtSinceSeq: string | null;
    /** Its entries after `sinceSeq`, held back until the group is whole. */
    held: JournalEntry[];
  };
  /** Takes in one line; a promise only when `onTail` gave one (an entry it must read history for). */
  const accept = (text: string, no: number, at: number, length: number): void | Promise<void> => {
    let entry: JournalEntry;
    try {
      entry = JSON.parse(text) as JournalEntry;
    } catch {
      throw bad(no, 'not valid JSON', '不是有效的 JSON');
    }
    if (entry.seq !== scan.lastSeq + 1)
      throw bad(no, `seq ${entry.seq} follows ${scan.lastSeq}`, `序号 ${entry.seq} 接在 ${scan.lastSeq} 之后`);
    if (entry.prevHash !== scan.lastHash)
      throw bad(no, 'prevHash does not match the previous entry', 'prevHash 与上一条不符');

    const [nth, size] = Array.isArray(entry.group) ? entry.group : [1, 1];
    if (nth === 1 && size > 1)
      open.group = {
        lineNo: no,
        lastSeq: scan.lastSeq,
        lastHash: scan.lastHash,
        validBytes: scan.validBytes,
        indexed: [],
        hashAtSinceSeq: scan.hashAtSinceSeq,
        held: [],
      };
    if (source.indexed === true) {
      if (index.endOf(entry.seq) !== at + length)
        throw bad(no, "the segment's index places this entry elsewhere", '分段索引所记位置与此条不符');
    } else {
      const subject = spanKey(entry.entity, entry.id);
      const scoped = entryIdempotencyKey(entry);
      index.add(entry.seq, at + length, subject, scoped);
      open.group?.indexed.push({ seq: entry.seq, subject, key: scoped });
    }
    if (entry.seq === sinceSeq) {
      scan.hashAtSinceSeq = entry.hash;
      // Stop before replaying anything onto a checkpoint that is not this journal's.
      if (entry.hash !== since.hash) throw checkpointMismatch(since.seq, entry.seq);
    }
    scan.lastSeq = entry.seq;
    scan.lastHash = entry.hash;
    scan.validBytes = at + length;
    const group = open.group;
    if (nth === size) open.group = null;
    if (entry.seq <= sinceSeq) return;
    if (group !== null) group.held.push(entry);
    const ready = group === null ? [entry] : nth === size ? group.held : [];
    for (let i = 0; i < ready.length; i++) {
      const replayed = onTail(ready[i]!);
      if (replayed !== undefined) return replayed.then(() => replayRest(ready, i + 1));
    }
  };
  const replayRest = async (ready: JournalEntry[], from: number): Promise<void> => {
    for (let i = from; i < ready.length; i++) await onTail(ready[i]!);
  };
  for await (const lines of lineBatches(input)) {
    for (const line of lines) {
      lineNo += 1;
      // Judge a line only once the next one arrives: the last line may be a torn tail.
      if (pending !== null) {
        const accepted = accept(pending.text, pending.lineNo, pending.offset, pending.bytes);
        if (accepted !== undefined) await accepted;
      }
      pending = { text: line.text, lineNo, offset, bytes: line.bytes };
      offset += line.bytes;
      terminated = line.terminated;
    }
  }
  if (pending !== null) {
    let parses = true;
    try {
      JSON.parse(pending.text);
    } catch {
      parses = false;
    }
    if (terminated && parses) await accept(pending.text, pending.lineNo, pending.offset, pending.bytes);
    else if (source.sealed === true)
      throw bad(pending.lineNo, 'a sealed segment ends mid-line', '已封存的分段在行中截断');
    else if (!terminated || pending.text.includes('\u0000') || pending.text.trim() === '') {
      scan.tornTail =
        `line ${pending.lineNo} (${scan.fileBytes - pending.offset} bytes, ` +
        `${terminated ? 'unreadable' : 'no line end'})`;
    } else {
      throw bad(pending.lineNo, 'not valid JSON', '不是有效的 JSON');
    }
  }
  const partial = open.group;
  if (partial !== null && source.sealed === true)
    throw bad(partial.lineNo, 'a sealed segment ends inside a group', '已封存的分段在一组条目中间截断');
  if (partial !== null) {
    for (const { seq, subject, key } of partial.indexed.reverse()) index.drop(seq, subject, key);
    scan.tornTail =
      `lines ${partial.lineNo}–${lineNo} (${scan.fileBytes - partial.validBytes} bytes, ` +
      'a group of entries cut short)';
    scan.lastSeq = partial.lastSeq;
    scan.lastHash = partial.lastHash;
    scan.validBytes = partial.validBytes;
    scan.hashAtSinceSeq = partial.hashAtSinceSeq;
  }
  return scan;
}
