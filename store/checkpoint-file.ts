import { open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setImmediate as nextTick } from 'node:timers/promises';
import type { Adapter } from 'lowdb';
import { fsyncDir } from './atomic-write.ts';
import { asciiJson } from './ascii-json.ts';
import { splitLines } from './journal-scan.ts';
import type { EntityRecord } from './types.ts';

/**
 * The lowdb document: current records and the journal position they include. Each record's
 * snapshot is JSON text, in memory and — since format 2 — on disk too, as a string: a start
 * then takes it as it is instead of parsing a hundred thousand snapshots into objects only to
 * serialise them again (format 1, an object per snapshot, is still read).
 */
export interface Checkpoint {
  format: 1 | 2;
  lastSeq: number;
  lastHash: string;
  records: EntityRecord[];
}

/** Records written between yields to the event loop while a checkpoint is written. */
const RECORDS_PER_SLICE = 500;

/**
 * lowdb adapter for the checkpoint. lowdb's own JSONFile (steno) writes a temp file and
 * renames it but never fsyncs; this one fsyncs the temp file, renames it over the old one and
 * fsyncs the directory, so a crash leaves either the old checkpoint or the new, never half.
 * It also writes the records a slice at a time, yielding between slices, so a checkpoint of
 * 100,000 projects does not stall the commits running beside it.
 */
export class CheckpointFile implements Adapter<Checkpoint> {
  constructor(private readonly path: string) {}

  async read(): Promise<Checkpoint | null> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    const data = readByLine(bytes) ?? (JSON.parse(bytes.toString('utf8')) as Checkpoint);
    if (Array.isArray(data.records)) for (const record of data.records) record.snapshot = recordText(data, record);
    return data;
  }

  async write(data: Checkpoint): Promise<void> {
    const temp = `${this.path}.tmp`;
    try {
      await this.writeTemp(temp, data);
    } catch (err) {
      // A full disk must not keep a half-written temp file taking what space is left.
      await rm(temp, { force: true });
      throw err;
    }
    await rename(temp, this.path);
    await fsyncDir(dirname(this.path));
  }

  private async writeTemp(temp: string, data: Checkpoint): Promise<void> {
    const file = await open(temp, 'w');
    try {
      const head = JSON.stringify({ format: data.format, lastSeq: data.lastSeq, lastHash: data.lastHash });
      let chunk = `${head.slice(0, -1)},"records":[`;
      for (let i = 0; i < data.records.length; i++) {
        const { snapshot, ...rest } = data.records[i]!;
        const text = JSON.stringify(snapshot);
        chunk += `${i === 0 ? '\n' : ',\n'}${JSON.stringify(rest).slice(0, -1)},"snapshot":${text}}`;
        if ((i + 1) % RECORDS_PER_SLICE === 0) {
          await file.write(chunk);
          chunk = '';
          await nextTick();
        }
      }
      await file.write(`${chunk}\n]}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
  }
}

/**
 * A checkpoint held open to be read a record at a time: its head (position) now, its records
 * later, from the file as it was when opened — a checkpoint written meanwhile (renamed over
 * it) does not change what is read. For `verify`, which compares the records with its replay
 * without holding them all. Null when there is no checkpoint file.
 */
export async function openCheckpoint(path: string): Promise<CheckpointReader | null> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const start = Buffer.alloc(256);
    const { bytesRead } = await handle.read(start, 0, start.length, 0);
    const end = start.subarray(0, bytesRead).indexOf(0x0a);
    const head = end < 0 ? null : LINE_HEAD.exec(start.toString('utf8', 0, end));
    return new CheckpointReader(
      handle,
      head === null
        ? null
        : { format: Number(head[1]) as Checkpoint['format'], lastSeq: Number(head[2]), lastHash: head[3]! },
    );
  } catch (err) {
    await handle.close();
    throw err;
  }
}

export class CheckpointReader {
  constructor(
    private readonly handle: FileHandle,
    /** The position, read from the first line; null for a checkpoint laid out otherwise (read whole). */
    readonly head: { format: Checkpoint['format']; lastSeq: number; lastHash: string } | null,
  ) {}

  /** Every record, one line at a time (a checkpoint laid out otherwise is parsed whole). */
  async *records(): AsyncGenerator<EntityRecord> {
    if (this.head === null) {
      const { buffer } = await this.handle.read({ position: 0, buffer: Buffer.alloc((await this.handle.stat()).size) });
      const data = JSON.parse(buffer.toString('utf8')) as Checkpoint;
      for (const record of data.records) {
        record.snapshot = recordText(data, record);
        yield record;
      }
      return;
    }
    let first = true;
    let closed = false;
    const bytes = this.handle.createReadStream({ start: 0, highWaterMark: 1 << 20, autoClose: false });
    for await (const { text } of splitLines(bytes)) {
      if (first) {
        first = false;
        continue;
      }
      if (text === ']}') {
        closed = true;
        continue;
      }
      if (text === '') continue;
      const record = JSON.parse(text.endsWith(',') ? text.slice(0, -1) : text) as EntityRecord;
      record.snapshot = recordText(this.head, record);
      yield record;
    }
    if (!closed) throw new SyntaxError('checkpoint cut short');
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/**
 * A record's snapshot as the engine makes it (see `asciiJson`): format 1 kept each snapshot as an
 * object, and a checkpoint written before the texts were escaped holds them as they were.
 */
function recordText(checkpoint: { format: Checkpoint['format'] }, record: EntityRecord): string {
  return asciiJson(checkpoint.format === 1 ? JSON.stringify(record.snapshot) : record.snapshot);
}

const LINE_HEAD = /^\{"format":(\d+),"lastSeq":(\d+),"lastHash":"([0-9a-f]{64})","records":\[$/;

/**
 * A checkpoint as `write` lays it out — its head on the first line, then one record per line —
 * parsed a line at a time: decoding a 100 MB checkpoint as one string was 1.5 s of a 4.8 s start
 * in the profile; read by line, the start took ≈ 0.5 s less (bench/recovery.ts). Null for any
 * other layout (an older or edited file), which is parsed whole.
 */
function readByLine(bytes: Buffer): Checkpoint | null {
  let end = bytes.indexOf(0x0a);
  const first = LINE_HEAD.exec(bytes.toString('utf8', 0, end < 0 ? bytes.length : end));
  if (first === null) return null;
  const records: EntityRecord[] = [];
  for (let start = end + 1; start < bytes.length; start = end + 1) {
    end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    let line = bytes.toString('utf8', start, end);
    if (line === ']}' || line === '') continue;
    if (line.endsWith(',')) line = line.slice(0, -1);
    records.push(JSON.parse(line) as EntityRecord);
  }
  // The last line must close the document: a file cut short is not a checkpoint.
  if (!bytes.toString('utf8', Math.max(0, bytes.length - 4)).includes(']}'))
    throw new SyntaxError('checkpoint cut short');
  return { format: Number(first[1]) as Checkpoint['format'], lastSeq: Number(first[2]), lastHash: first[3]!, records };
}
