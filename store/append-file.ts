import { writeSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

interface Pending<M> {
  chunk: Buffer;
  mark: M;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Why the last write failed and since when (cleared by the next batch that is written). */
export interface AppendFailure {
  code: string;
  message: string;
  since: string;
}

/**
 * Appends to one file with group commit: every chunk handed in while a write is in flight
 * joins the next batch, and a batch is one write plus one fdatasync. A promise resolves only
 * once its bytes are on disk.
 *
 * A failed batch (ENOSPC, EFBIG, EIO — in the write or the fdatasync) is rejected with every
 * chunk queued behind it, and `onFailure` runs at once, before any caller hears of it, so the
 * owner can rewind what it had assigned to them. The file may hold part of the batch; the next
 * batch first cuts it back to the last durable byte, then writes. So the file recovers by itself
 * as soon as the disk can be written again, and never holds a byte nobody was told is durable.
 */
export class AppendFile<M = undefined> {
  private queue: Pending<M>[] = [];
  private flushing: Promise<void> | null = null;
  private dirty = false;
  /** Batches written and fdatasync'd (for benchmarks and tests). */
  syncs = 0;
  /** Chunks made durable so far (entries, for the journal) and seconds spent in fdatasync. */
  chunks = 0;
  syncSeconds = 0;
  /** Bytes known to be on disk. */
  durableBytes: number;
  failure: AppendFailure | null = null;

  /**
   * @param size the file's length now (all of it durable)
   * @param hooks `onDurable` gets the mark of a batch's last chunk as soon as it is on disk;
   *   `onFailure` runs when a batch fails, before its chunks are rejected.
   */
  constructor(
    private readonly handle: FileHandle,
    size: number,
    private readonly hooks: {
      onDurable?: (mark: M) => void;
      onFailure?: (failure: AppendFailure) => void;
      clock?: () => Date;
      /**
       * Written at once (synchronously: no other work waits on this process) but fdatasync'd only
       * on `close` — a simulation that owns its store.
       */
      syncOnClose?: boolean;
    } = {},
  ) {
    this.durableBytes = size;
  }

  /** Appends `chunk`, tagged with `mark` (the caller's position, reported by `onDurable`). */
  append(chunk: Buffer, mark: M): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ chunk, mark, resolve, reject });
      // Written synchronously (`syncOnClose`), a flush would end before `flushing` is set: it
      // starts a microtask later.
      this.flushing ??= this.hooks.syncOnClose === true ? Promise.resolve().then(() => this.flush()) : this.flush();
    });
  }

  /** Resolves when nothing is waiting to be written. */
  async idle(): Promise<void> {
    while (this.flushing !== null) await this.flushing;
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        // A failed batch may have left part of itself behind: cut back to the last durable byte.
        if (this.dirty) await this.handle.truncate(this.durableBytes);
        this.dirty = true;
        const buffer = Buffer.concat(batch.map((p) => p.chunk));
        let written = 0;
        while (written < buffer.length) {
          // Not fdatasync'd per batch, the write goes straight to the page cache: a round trip
          // through the thread pool for each would leave a simulation (one commit at a time)
          // idle for most of it — 3.5 of 12 s at 10,000 projects (BENCHMARKS.md, session 13).
          written +=
            this.hooks.syncOnClose === true
              ? writeSync(this.handle.fd, buffer, written, buffer.length - written)
              : (await this.handle.write(buffer, written, buffer.length - written)).bytesWritten;
        }
        const syncing = performance.now();
        if (this.hooks.syncOnClose !== true) await this.handle.datasync();
        this.syncSeconds += (performance.now() - syncing) / 1000;
        this.dirty = false;
        this.durableBytes += buffer.length;
        this.failure = null;
        this.syncs += 1;
        this.chunks += batch.length;
        this.hooks.onDurable?.(batch.at(-1)!.mark);
        for (const p of batch) p.resolve();
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        this.failure = {
          code: e.code ?? 'EIO',
          message: e.message,
          since: this.failure?.since ?? (this.hooks.clock?.() ?? new Date()).toISOString(),
        };
        const failed = [...batch, ...this.queue];
        this.queue = [];
        this.hooks.onFailure?.(this.failure);
        for (const p of failed) p.reject(err);
      }
    }
    this.flushing = null;
  }

  /**
   * After a failure, with nothing queued: cut the file back to its durable length and sync it.
   * True when that worked (the next batch will not need to), false while the disk still fails.
   */
  async recover(): Promise<boolean> {
    if (this.failure === null) return true;
    if (this.flushing !== null) return false;
    try {
      if (this.dirty) await this.handle.truncate(this.durableBytes);
      await this.handle.datasync();
      this.dirty = false;
      this.failure = null;
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.idle();
    if (this.dirty) await this.handle.truncate(this.durableBytes).catch(() => {});
    if (this.hooks.syncOnClose === true) await this.handle.datasync();
    await this.handle.close();
  }
}
