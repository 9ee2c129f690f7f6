import { open, readdir, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { fsyncDir, writeFileAtomic } from './atomic-write.ts';
import { StoreError } from './types.ts';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** Where sealed segments live, inside the data directory. */
export const SEGMENT_DIR = 'journal';

/** Raw bytes per compressed block: one block is read and inflated to get at one entry. */
const BLOCK_BYTES = 64 * 1024;

/**
 * A sealed piece of the journal: entries `firstSeq`…`lastSeq`, rolled out of `journal.jsonl`
 * after a checkpoint. First kept as it was (`<firstSeq>.jsonl`), then compressed in blocks
 * (`<firstSeq>.jsonl.gz`, independent gzip members of ≈ 64 KiB of whole lines) with its index
 * beside it (`<firstSeq>.idx`), written last: a segment with an index is complete.
 */
export interface Segment {
  firstSeq: number;
  lastSeq: number;
  lastHash: string;
  /** Where its first byte lies in the journal as a whole (the segments laid end to end, uncompressed). */
  base: number;
  rawBytes: number;
  path: string;
  /** Compressed: `[rawStart, fileStart, fileLength]` per block, flattened; null while raw. */
  blocks: number[] | null;
}

/**
 * What a compressed segment's index holds: enough to start without reading the segment. On
 * disk since format 4 as `<firstSeq>.idx` — a JSON head line, the subjects' names as a JSON
 * line, then the numbers as little-endian binary arrays (parsing a million numbers from JSON
 * text was most of a start's reading of the indexes); `<firstSeq>.idx.json` (format 3, all
 * JSON) is still read.
 */
export interface SegmentIndex {
  firstSeq: number;
  lastSeq: number;
  /** The hash the segment's first entry links to, and its last entry's hash. */
  prevHash: string;
  lastHash: string;
  base: number;
  rawBytes: number;
  blocks: number[];
  /** `ends[i]`: where entry `firstSeq + i` ends, in the whole journal. */
  ends: ArrayLike<number>;
  /**
   * Each entity's entries in this segment: `subjects[i]` (`entity id`) has the next
   * `subjectCounts[i]` seqs of `subjectSeqs`.
   */
  subjects: string[];
  subjectCounts: ArrayLike<number>;
  subjectSeqs: ArrayLike<number>;
  /** Idempotency keys journalled in this segment (a 32-bit hash of each scoped key) and the seq of each. */
  keys: ArrayLike<number>;
  keySeqs: ArrayLike<number>;
}

/** The index as format 3 wrote it (`.idx.json`). */
interface SegmentIndexJson extends Omit<SegmentIndex, 'subjectCounts' | 'subjectSeqs'> {
  format: 3;
  subjectSeqs: number[][];
}

/** The binary arrays of a format-4 index, in file order, each starting at a multiple of 8 bytes. */
const ARRAYS = [
  ['ends', Float64Array],
  ['subjectCounts', Uint32Array],
  ['subjectSeqs', Float64Array],
  ['keys', Int32Array],
  ['keySeqs', Float64Array],
] as const;

const pad8 = (n: number) => (n + 7) & ~7;

/** A line of text padded with spaces so that the line, newline included, fills a multiple of 8 bytes. */
function paddedLine(text: string): Buffer {
  const bytes = Buffer.byteLength(text);
  return Buffer.from(`${text}${' '.repeat(pad8(bytes + 1) - bytes - 1)}\n`);
}

export function encodeSegmentIndex(index: SegmentIndex): Buffer {
  const { ends, subjects, subjectCounts, subjectSeqs, keys, keySeqs, ...head } = index;
  const lengths = {
    ends: ends.length,
    subjectCounts: subjectCounts.length,
    subjectSeqs: subjectSeqs.length,
    keys: keys.length,
    keySeqs: keySeqs.length,
  };
  const parts: Buffer[] = [
    paddedLine(JSON.stringify({ format: 4, ...head, lengths })),
    paddedLine(JSON.stringify(subjects)),
  ];
  for (const [field, Type] of ARRAYS) {
    const array = Type.from(index[field]);
    const bytes = Buffer.alloc(pad8(array.byteLength));
    Buffer.from(array.buffer, array.byteOffset, array.byteLength).copy(bytes);
    parts.push(bytes);
  }
  return Buffer.concat(parts);
}

export function decodeSegmentIndex(file: Buffer): SegmentIndex {
  // Typed arrays need their offset aligned: copy a buffer that does not start on 8 bytes.
  const bytes = file.byteOffset % 8 === 0 ? file : Buffer.from(file);
  const headEnd = bytes.indexOf(0x0a);
  const subjectsEnd = bytes.indexOf(0x0a, headEnd + 1);
  const head = JSON.parse(bytes.toString('utf8', 0, headEnd)) as Omit<
    SegmentIndex,
    'subjects' | (typeof ARRAYS)[number][0]
  > & {
    format: number;
    lengths: Record<(typeof ARRAYS)[number][0], number>;
  };
  if (head.format !== 4) throw new Error(`segment index format ${head.format} unknown`);
  const subjects = JSON.parse(bytes.toString('utf8', headEnd + 1, subjectsEnd)) as string[];
  let at = subjectsEnd + 1;
  const arrays: Partial<Record<(typeof ARRAYS)[number][0], ArrayLike<number>>> = {};
  for (const [field, Type] of ARRAYS) {
    const length = head.lengths[field];
    if (at + length * Type.BYTES_PER_ELEMENT > bytes.length) throw new Error('segment index cut short');
    arrays[field] = new Type(bytes.buffer as ArrayBuffer, bytes.byteOffset + at, length);
    at += pad8(length * Type.BYTES_PER_ELEMENT);
  }
  const { format: _format, lengths: _lengths, ...rest } = head;
  return { ...rest, subjects, ...(arrays as Record<(typeof ARRAYS)[number][0], ArrayLike<number>>) };
}

/** A format-3 index (all JSON) as the format-4 shape. */
function fromJson(index: SegmentIndexJson): SegmentIndex {
  const { format: _format, subjectSeqs, ...rest } = index;
  return { ...rest, subjectCounts: subjectSeqs.map((seqs) => seqs.length), subjectSeqs: subjectSeqs.flat() };
}

const name = (firstSeq: number) => String(firstSeq).padStart(12, '0');

export function rawSegmentPath(dir: string, firstSeq: number): string {
  return join(dir, SEGMENT_DIR, `${name(firstSeq)}.jsonl`);
}

/** A sealed segment found on disk: compressed with its index, or raw (to be scanned). */
export type FoundSegment = { firstSeq: number; path: string } & ({ index: SegmentIndex } | { index: null });

/**
 * The sealed segments, oldest first. Leftovers of a compression cut short by a crash are
 * cleared: a compressed file without its index is removed (the raw one is still there), a raw
 * file whose compressed twin has its index is removed (unless `readOnly`).
 */
export async function findSegments(dir: string, readOnly: boolean): Promise<FoundSegment[]> {
  const folder = join(dir, SEGMENT_DIR);
  const names = new Set(await readdir(folder).catch(() => [] as string[]));
  const firsts = [...names]
    .map((n) => /^(\d{12})\.jsonl$/.exec(n) ?? /^(\d{12})\.idx(\.json)?$/.exec(n))
    .filter((m) => m !== null)
    .map((m) => Number(m[1]));
  const found: FoundSegment[] = [];
  for (const first of [...new Set(firsts)].sort((a, b) => a - b)) {
    const raw = `${name(first)}.jsonl`;
    const gz = `${raw}.gz`;
    const idx = `${name(first)}.idx`;
    const idxJson = `${idx}.json`;
    if ((names.has(idx) || names.has(idxJson)) && names.has(gz)) {
      const index = await readIndex(join(folder, names.has(idx) ? idx : idxJson));
      found.push({ firstSeq: first, path: join(folder, gz), index });
      if (names.has(raw) && !readOnly) await rm(join(folder, raw), { force: true });
    } else if (names.has(raw)) {
      if (names.has(gz) && !readOnly) await rm(join(folder, gz), { force: true });
      found.push({ firstSeq: first, path: join(folder, raw), index: null });
    } else {
      throw new StoreError(
        'segmentMissing',
        `journal segment ${name(first)} has an index but no data: restore ${SEGMENT_DIR}/ from a backup`,
        `日志分段 ${name(first)} 只有索引没有数据:请从备份恢复 ${SEGMENT_DIR}/`,
      );
    }
  }
  return found;
}

/** A segment's index file, either format; unreadable, an error naming the file. */
async function readIndex(path: string): Promise<SegmentIndex> {
  const bytes = await readFile(path);
  try {
    return path.endsWith('.json')
      ? fromJson(JSON.parse(bytes.toString('utf8')) as SegmentIndexJson)
      : decodeSegmentIndex(bytes);
  } catch (err) {
    throw new StoreError(
      'segmentIndexCorrupt',
      `journal segment index ${path} is unreadable (${(err as Error).message}): restore ${SEGMENT_DIR}/ from a backup`,
      `日志分段索引 ${path} 无法读取:请从备份恢复 ${SEGMENT_DIR}/`,
    );
  }
}

/**
 * Compresses a raw sealed segment in blocks (on the thread pool, not the event loop), writes
 * the compressed file and then its index, each fsync'd, and removes the raw file. Returns the
 * blocks. A crash at any point leaves either the raw segment or the complete compressed one.
 */
export async function compressSegment(
  segment: Segment,
  index: Omit<SegmentIndex, 'blocks' | 'rawBytes' | 'base' | 'firstSeq' | 'lastSeq' | 'lastHash'>,
): Promise<{ path: string; blocks: number[] }> {
  const gzPath = `${segment.path}.gz`;
  const temp = `${gzPath}.tmp`;
  const source = await open(segment.path, 'r');
  const target = await open(temp, 'w');
  const blocks: number[] = [];
  try {
    const buffer = Buffer.alloc(BLOCK_BYTES * 2);
    let rawStart = 0;
    let fileStart = 0;
    let carried = 0;
    while (rawStart < segment.rawBytes) {
      const want = Math.min(buffer.length - carried, segment.rawBytes - rawStart - carried);
      const { bytesRead } = await source.read(buffer, carried, want, rawStart + carried);
      const filled = carried + bytesRead;
      // A block ends at a line end: the last newline within BLOCK_BYTES, or the first after it.
      let end = filled;
      if (rawStart + filled < segment.rawBytes) {
        const cut = buffer.subarray(0, Math.min(filled, BLOCK_BYTES)).lastIndexOf(0x0a);
        end = cut >= 0 ? cut + 1 : buffer.indexOf(0x0a) + 1;
        if (end === 0) end = filled;
      }
      const packed = await gzipAsync(buffer.subarray(0, end));
      await target.write(packed, 0, packed.length, fileStart);
      blocks.push(rawStart, fileStart, packed.length);
      fileStart += packed.length;
      rawStart += end;
      buffer.copy(buffer, 0, end, filled);
      carried = filled - end;
    }
    await target.sync();
  } finally {
    await source.close();
    await target.close();
  }
  await rename(temp, gzPath);
  const file: SegmentIndex = {
    firstSeq: segment.firstSeq,
    lastSeq: segment.lastSeq,
    lastHash: segment.lastHash,
    base: segment.base,
    rawBytes: segment.rawBytes,
    blocks,
    ...index,
  };
  await writeFileAtomic(join(segment.path, '..', `${name(segment.firstSeq)}.idx`), encodeSegmentIndex(file));
  await rm(segment.path);
  await fsyncDir(join(segment.path, '..'));
  return { path: gzPath, blocks };
}

/**
 * Reads lines anywhere in the journal — the active file or any sealed segment — by their place
 * in the whole journal. Compressed blocks read recently are kept (a history reads a few).
 */
export class SegmentReader {
  private readonly handles = new Map<string, Promise<FileHandle>>();
  private readonly inflated = new Map<string, Buffer>();

  constructor(private readonly segments: () => readonly Segment[]) {}

  async read(offset: number, length: number, active: { path: string; base: number }): Promise<Buffer> {
    const segment = this.segmentAt(offset);
    if (segment === undefined || segment.blocks === null) {
      const path = segment?.path ?? active.path;
      const local = offset - (segment?.base ?? active.base);
      const buffer = Buffer.alloc(length);
      await (await this.handle(path)).read(buffer, 0, length, local);
      return buffer;
    }
    // A line longer than a block continues in the next ones.
    const local = offset - segment.base;
    const parts: Buffer[] = [];
    let got = 0;
    for (let block = this.blockAt(segment.blocks, local); got < length; block++) {
      const data = await this.inflate(segment, block);
      const from = Math.max(0, local + got - segment.blocks[block * 3]!);
      const part = data.subarray(from, from + length - got);
      if (part.length === 0) break;
      parts.push(part);
      got += part.length;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  /** Stops reading a file (a raw segment now compressed); reads in progress finish first. */
  retire(path: string): void {
    const handle = this.handles.get(path);
    this.handles.delete(path);
    if (handle !== undefined) setTimeout(() => void handle.then((h) => h.close()).catch(() => {}), 10_000).unref();
  }

  /** The handle reading the active file moves with it when it is sealed (same file, new name). */
  rename(from: string, to: string): void {
    const handle = this.handles.get(from);
    this.handles.delete(from);
    if (handle !== undefined) this.handles.set(to, handle);
  }

  async close(): Promise<void> {
    for (const handle of this.handles.values()) await handle.then((h) => h.close()).catch(() => {});
    this.handles.clear();
    this.inflated.clear();
  }

  private segmentAt(offset: number): Segment | undefined {
    const all = this.segments();
    let lo = 0;
    let hi = all.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = all[mid]!;
      if (offset < s.base) hi = mid - 1;
      else if (offset >= s.base + s.rawBytes) lo = mid + 1;
      else return s;
    }
    return undefined;
  }

  private blockAt(blocks: readonly number[], local: number): number {
    let lo = 0;
    let hi = blocks.length / 3 - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (blocks[mid * 3]! <= local) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private async inflate(segment: Segment, block: number): Promise<Buffer> {
    const key = `${segment.path}#${block}`;
    const cached = this.inflated.get(key);
    if (cached !== undefined) return cached;
    const [fileStart, fileLength] = [segment.blocks![block * 3 + 1]!, segment.blocks![block * 3 + 2]!];
    const packed = Buffer.alloc(fileLength);
    await (await this.handle(segment.path)).read(packed, 0, fileLength, fileStart);
    const data = await gunzipAsync(packed);
    this.inflated.set(key, data);
    if (this.inflated.size > 16) this.inflated.delete(this.inflated.keys().next().value as string);
    return data;
  }

  private handle(path: string): Promise<FileHandle> {
    let handle = this.handles.get(path);
    if (handle === undefined) {
      handle = open(path, 'r');
      this.handles.set(path, handle);
      // A failed open is not kept: the next read tries again.
      handle.catch(() => this.handles.delete(path));
    }
    return handle;
  }
}
