import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir } from './atomic-write.ts';
import { StoreError } from './types.ts';

/** The sha256 of some bytes, as lower-case hex: a blob's name. */
export function blobHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Whether `hash` can name a blob (64 lower-case hex digits) — never a path. */
export function isBlobHash(hash: unknown): hash is string {
  return typeof hash === 'string' && /^[0-9a-f]{64}$/.test(hash);
}

/**
 * Content-addressed blobs in a directory (`blobs/ab/abcdef…`): written to a temporary file,
 * fsync'd, renamed into place and the directory fsync'd, so a blob a journal entry names is on
 * disk before that entry is. The same bytes are stored once.
 */
export class BlobDir {
  constructor(private readonly dir: string) {}

  private pathOf(hash: string): string {
    if (!isBlobHash(hash)) throw new StoreError('blobHash', `not a blob hash: ${hash}`, `不是有效的附件摘要:${hash}`);
    return join(this.dir, hash.slice(0, 2), hash);
  }

  async put(bytes: Uint8Array): Promise<string> {
    const hash = blobHash(bytes);
    const path = this.pathOf(hash);
    if ((await this.check(hash)) === 'ok') return hash;
    const folder = join(this.dir, hash.slice(0, 2));
    await mkdir(folder, { recursive: true });
    const temp = `${path}.${process.pid}.tmp`;
    const file = await open(temp, 'w');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
    await fsyncDir(folder);
    await fsyncDir(this.dir);
    return hash;
  }

  async get(hash: string): Promise<Uint8Array | undefined> {
    if (!isBlobHash(hash)) return undefined;
    try {
      return await readFile(this.pathOf(hash));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async check(hash: string): Promise<'ok' | 'missing' | 'altered'> {
    if (!isBlobHash(hash)) return 'missing';
    try {
      await stat(this.pathOf(hash));
    } catch {
      return 'missing';
    }
    const bytes = await this.get(hash);
    if (bytes === undefined) return 'missing';
    return blobHash(bytes) === hash ? 'ok' : 'altered';
  }
}

/** Blobs in memory, for the memory store. */
export class MemoryBlobs {
  private readonly blobs = new Map<string, Uint8Array>();

  async put(bytes: Uint8Array): Promise<string> {
    const hash = blobHash(bytes);
    this.blobs.set(hash, Uint8Array.from(bytes));
    return hash;
  }

  async get(hash: string): Promise<Uint8Array | undefined> {
    return this.blobs.get(hash);
  }

  async check(hash: string): Promise<'ok' | 'missing' | 'altered'> {
    const bytes = this.blobs.get(hash);
    if (bytes === undefined) return 'missing';
    return blobHash(bytes) === hash ? 'ok' : 'altered';
  }
}
