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
 * beside it (`<firstSeq>.idx.json`), written last: a segment with an index is complete.
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

/** What a compressed segment's `.idx.json` holds: enough to start without reading the segment. */
export interface SegmentIndexFile {
  format: 3;
  firstSeq: number;
  lastSeq: number;
  /** The hash the segment's first entry links to, and its last entry's hash. */
  prevHash: string;
  lastHash: string;
  base: number;
  rawBytes: number;
  blocks: number[];
  /** `ends[i]`: where entry `firstSeq + i` ends, in the whole journal. */
  ends: number[];
  /**
   * Each entity's entries in this segment: `subjects[i]` (`entity id`) has the seqs
   * `subjectSeqs[i]`. Parallel arrays: an object with 100,000 properties parses several times slower.
   */
  subjects: string[];
  subjectSeqs: number[][];
  /** Idempotency keys journalled in this segment (a 32-bit hash of each scoped key) and the seq of each. */
  keys: number[];
  keySeqs: number[];
}

const name = (firstSeq: number) => String(firstSeq).padStart(12, '0');

export function rawSegmentPath(dir: string, firstSeq: number): string {
  return join(dir, SEGMENT_DIR, `${name(firstSeq)}.jsonl`);
}

/** A sealed segment found on disk: compressed with its index, or raw (to be scanned). */
export type FoundSegment = { firstSeq: number; path: string } & ({ index: SegmentIndexFile } | { index: null });

/**
 * The sealed segments, oldest first. Leftovers of a compression cut short by a crash are
 * cleared: a compressed file without its index is removed (the raw one is still there), a raw
 * file whose compressed twin has its index is removed (unless `readOnly`).
 */
export async function findSegments(dir: string, readOnly: boolean): Promise<FoundSegment[]> {
  const folder = join(dir, SEGMENT_DIR);
  const names = new Set(await readdir(folder).catch(() => [] as string[]));
  const firsts = [...names]
    .map((n) => /^(\d{12})\.jsonl$/.exec(n) ?? /^(\d{12})\.idx\.json$/.exec(n))
    .filter((m) => m !== null)
    .map((m) => Number(m[1]));
  const found: FoundSegment[] = [];
  for (const first of [...new Set(firsts)].sort((a, b) => a - b)) {
    const raw = `${name(first)}.jsonl`;
    const gz = `${raw}.gz`;
    const idx = `${name(first)}.idx.json`;
    if (names.has(idx) && names.has(gz)) {
      const index = JSON.parse((await readFile(join(folder, idx))).toString('utf8')) as SegmentIndexFile;
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

/**
 * Compresses a raw sealed segment in blocks (on the thread pool, not the event loop), writes
 * the compressed file and then its index, each fsync'd, and removes the raw file. Returns the
 * blocks. A crash at any point leaves either the raw segment or the complete compressed one.
 */
export async function compressSegment(
  segment: Segment,
  index: Omit<SegmentIndexFile, 'format' | 'blocks' | 'rawBytes' | 'base' | 'firstSeq' | 'lastSeq' | 'lastHash'>,
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
  const file: SegmentIndexFile = {
    format: 3,
    firstSeq: segment.firstSeq,
    lastSeq: segment.lastSeq,
    lastHash: segment.lastHash,
    base: segment.base,
    rawBytes: segment.rawBytes,
    blocks,
    ...index,
  };
  await writeFileAtomic(join(segment.path, '..', `${name(segment.firstSeq)}.idx.json`), JSON.stringify(file));
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
