import type { FileHandle } from 'node:fs/promises';

interface Pending {
  chunk: Buffer;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Appends to one file with group commit: every chunk handed in while a write is in flight
 * joins the next batch, and a batch is one write plus one fdatasync. A promise resolves only
 * once its bytes are on disk. After a failed write the file is in an unknown state, so every
 * later append fails too (the process must restart and recover from the journal).
 */
export class AppendFile {
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private failure: unknown = null;
  /** Batches written and fdatasync'd (for benchmarks and tests). */
  syncs = 0;

  constructor(private readonly handle: FileHandle) {}

  append(chunk: Buffer): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ chunk, resolve, reject });
      this.flushing ??= this.flush();
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
        const buffer = Buffer.concat(batch.map((p) => p.chunk));
        let written = 0;
        while (written < buffer.length) {
          const { bytesWritten } = await this.handle.write(buffer, written, buffer.length - written);
          written += bytesWritten;
        }
        await this.handle.datasync();
        this.syncs += 1;
        for (const p of batch) p.resolve();
      } catch (err) {
        this.failure = err;
        for (const p of [...batch, ...this.queue]) p.reject(err);
        this.queue = [];
      }
    }
    this.flushing = null;
  }

  async close(): Promise<void> {
    await this.idle();
    await this.handle.close();
  }
}
