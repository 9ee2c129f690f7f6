import { copyFile, mkdir, open, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir } from './atomic-write.ts';
import { SEGMENT_DIR } from './segments.ts';
import { StoreError } from './types.ts';

export interface BackupSummary {
  files: number;
  blobs: number;
  bytes: number;
}

/** Files of a data directory that are never backed up: the lock, temp files, write probes. */
const skipped = (name: string) => name === 'LOCK' || name.endsWith('.tmp') || name.startsWith('.write-probe');

/**
 * Copies a data directory — also while a server is using it — so the copy starts and verifies:
 * first the checkpoint and the other files (the checkpoint is never ahead of the journal copied
 * after it), then the journal up to its last whole line (a line being appended is left out, as
 * a start would drop it), then the blobs (every blob an entry of the copied journal names was on
 * disk before that entry was written). Each file is fsync'd, and the directories.
 */
export async function backupDataDir(from: string, to: string): Promise<BackupSummary> {
  const existing = await readdir(to).catch(() => null);
  if (existing !== null && existing.length > 0)
    throw new StoreError(
      'backupTarget',
      `${to} is not empty: back up into a new directory`,
      `${to} 不是空目录,请备份到新目录`,
    );
  await stat(join(from, 'journal.jsonl')).catch(() => {
    throw new StoreError('noJournal', `${from} has no journal.jsonl`, `${from} 中没有 journal.jsonl`);
  });
  await mkdir(to, { recursive: true });
  const summary: BackupSummary = { files: 0, blobs: 0, bytes: 0 };
  const names = (await readdir(from, { withFileTypes: true })).filter((e) => e.isFile() && !skipped(e.name));
  const ordered = [
    ...names.filter((e) => e.name === 'store.json'),
    ...names.filter((e) => e.name !== 'store.json' && e.name !== 'journal.jsonl'),
    ...names.filter((e) => e.name === 'journal.jsonl'),
  ];
  for (const entry of ordered) {
    if (entry.name === 'journal.jsonl') {
      await copyJournal(from, to, summary);
      continue;
    }
    summary.bytes += await copyDurably(join(from, entry.name), join(to, entry.name));
    summary.files += 1;
  }
  const blobs = join(from, 'blobs');
  for (const folder of await readdir(blobs, { withFileTypes: true }).catch(() => [])) {
    if (!folder.isDirectory()) continue;
    const target = join(to, 'blobs', folder.name);
    await mkdir(target, { recursive: true });
    for (const blob of await readdir(join(blobs, folder.name))) {
      if (skipped(blob) || blob.includes('.')) continue;
      summary.bytes += await copyDurably(join(blobs, folder.name, blob), join(target, blob));
      summary.blobs += 1;
    }
    await fsyncDir(target);
  }
  if (summary.blobs > 0) await fsyncDir(join(to, 'blobs'));
  await fsyncDir(to);
  return summary;
}

/**
 * Copies the journal: the sealed segments (`journal/`), then the active file to its last whole
 * line, then any segment sealed in between — holding off sealing meanwhile (`journal/HOLD`). If
 * a segment sealed in between is the very file the active copy came from, that copy is emptied:
 * the segment has all of it.
 */
async function copyJournal(from: string, to: string, summary: BackupSummary): Promise<void> {
  const source = join(from, SEGMENT_DIR);
  const hold = join(source, 'HOLD');
  await mkdir(source, { recursive: true });
  await writeFile(hold, `backup to ${to}\n`);
  try {
    await copySegments(source, join(to, SEGMENT_DIR), summary);
    summary.bytes += await copyWholeLines(join(from, 'journal.jsonl'), join(to, 'journal.jsonl'));
    summary.files += 1;
    const first = await firstSeqOf(join(to, 'journal.jsonl'));
    const late = await copySegments(source, join(to, SEGMENT_DIR), summary);
    if (first !== null && late.some((name) => name.startsWith(`${String(first).padStart(12, '0')}.`)))
      await writeFile(join(to, 'journal.jsonl'), '');
  } finally {
    await rm(hold, { force: true });
  }
}

/** Copies the segment files not copied yet, until a listing finds none; the names copied. */
async function copySegments(source: string, target: string, summary: BackupSummary): Promise<string[]> {
  await mkdir(target, { recursive: true });
  const names: string[] = [];
  for (;;) {
    const copied = new Set(await readdir(target));
    const fresh = (await readdir(source)).filter((n) => n !== 'HOLD' && !skipped(n) && !copied.has(n)).sort();
    let moved = 0;
    for (const name of fresh) {
      // A raw segment compressed (and removed) meanwhile: its compressed twin is in the next listing.
      const bytes = await copyDurably(join(source, name), join(target, name)).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return null;
        throw err;
      });
      if (bytes === null) continue;
      moved += 1;
      names.push(name);
      summary.bytes += bytes;
      summary.files += 1;
    }
    if (moved === 0) break;
  }
  await fsyncDir(target);
  return names;
}

/** The seq of a journal file's first entry, or null if it is empty. */
async function firstSeqOf(path: string): Promise<number | null> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64);
    const { bytesRead } = await handle.read(buffer, 0, 64, 0);
    const match = /^\{"seq":(\d+)/.exec(buffer.subarray(0, bytesRead).toString('utf8'));
    return match === null ? null : Number(match[1]);
  } finally {
    await handle.close();
  }
}

async function copyDurably(from: string, to: string): Promise<number> {
  await copyFile(from, to);
  const handle = await open(to, 'r+');
  try {
    await handle.sync();
    return (await handle.stat()).size;
  } finally {
    await handle.close();
  }
}

/** Copies an append-only file up to its last newline. */
async function copyWholeLines(from: string, to: string): Promise<number> {
  const source = await open(from, 'r');
  const target = await open(to, 'w');
  try {
    const size = (await source.stat()).size;
    const buffer = Buffer.alloc(Math.min(size, 1 << 20));
    let read = 0;
    let whole = 0;
    while (read < size) {
      const { bytesRead } = await source.read(buffer, 0, Math.min(buffer.length, size - read), read);
      if (bytesRead === 0) break;
      await target.write(buffer, 0, bytesRead, read);
      const last = buffer.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (last >= 0) whole = read + last + 1;
      read += bytesRead;
    }
    await target.truncate(whole);
    await target.sync();
    return whole;
  } finally {
    await source.close();
    await target.close();
  }
}
