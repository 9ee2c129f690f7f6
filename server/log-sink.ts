import { write as fsWrite } from 'node:fs';
import { pino, type Logger } from 'pino';

/** Writes bytes at the end of the log; resolves with how many were written (may be fewer). */
export type LogWriter = (chunk: Buffer) => Promise<number>;

export interface LogSinkOptions {
  /** Bytes waiting to be written before new lines are dropped (default 4 MiB). */
  maxBufferBytes?: number;
  /** First wait before writing again after a failure; doubles up to `maxRetryMs` (default 250). */
  retryMs?: number;
  maxRetryMs?: number;
  /** Where the bytes go (default: `fs.write` to `fd`). Tests inject failures here. */
  writer?: LogWriter;
}

/** What the log has lost, for `/healthz` and the shutdown line. */
export interface LogSinkStats {
  /** Lines dropped because the buffer was full (the destination could not keep up or failed). */
  dropped: number;
  /** Failed writes (ENOSPC, EFBIG, EIO, EAGAIN…). */
  errors: number;
  lastError: string | null;
  /** Bytes buffered, not yet written. */
  pendingBytes: number;
}

/**
 * The log's destination: logging must never block or kill the service. pino's synchronous
 * writer retries a full disk forever with `Atomics.wait` (every request hangs, SIGTERM is never
 * handled) and its asynchronous one (sonic-boom) stops writing for good after a failure with a
 * bounded buffer; this one writes in the background, keeps at most `maxBufferBytes` waiting,
 * drops and counts lines beyond that, and after a failed write tries again with backoff, so the
 * log resumes by itself once the disk has room. A line is written whole or, after a partial
 * write, completed later: never interleaved.
 *
 * @example
 * const sink = new LogSink(1);
 * const logger = pino({ name: 'gongjian' }, sink);
 */
export class LogSink {
  private readonly queue: Buffer[] = [];
  private pending = 0;
  private writing = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private backoff: number;
  private readonly max: number;
  private readonly retryMs: number;
  private readonly maxRetryMs: number;
  private readonly writer: LogWriter;
  private readonly counters = { dropped: 0, errors: 0, lastError: null as string | null };

  constructor(fd: number, options: LogSinkOptions = {}) {
    this.max = options.maxBufferBytes ?? 4 * 1024 * 1024;
    this.retryMs = options.retryMs ?? 250;
    this.maxRetryMs = options.maxRetryMs ?? 10_000;
    this.backoff = this.retryMs;
    this.writer =
      options.writer ??
      ((chunk) =>
        new Promise((resolve, reject) =>
          fsWrite(fd, chunk, 0, chunk.length, null, (err, n) => (err ? reject(err) : resolve(n))),
        ));
  }

  /** pino's destination method: queue one line; never throws, never waits. */
  write(line: string): boolean {
    const chunk = Buffer.from(line, 'utf8');
    if (this.pending + chunk.length > this.max) {
      this.counters.dropped += 1;
      return false;
    }
    this.queue.push(chunk);
    this.pending += chunk.length;
    if (!this.writing && this.retryTimer === null) void this.drain();
    return true;
  }

  get stats(): LogSinkStats {
    return { ...this.counters, pendingBytes: this.pending };
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.queue.length > 0) {
      // One write for everything queued; lines queued meanwhile wait behind it.
      if (this.queue.length > 1) this.queue.splice(0, this.queue.length, Buffer.concat(this.queue));
      const chunk = this.queue[0]!;
      let written: number;
      try {
        written = await this.writer(chunk);
      } catch (err) {
        this.counters.errors += 1;
        this.counters.lastError = (err as NodeJS.ErrnoException).code ?? String(err);
        this.writing = false;
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          void this.drain();
        }, this.backoff);
        this.retryTimer.unref();
        this.backoff = Math.min(this.backoff * 2, this.maxRetryMs);
        return;
      }
      this.backoff = this.retryMs;
      this.pending -= written;
      // Keep the unwritten rest of a partial write at the head: the line is completed next.
      this.queue[0] = chunk.subarray(written);
      if (this.queue[0].length === 0) this.queue.shift();
    }
    this.writing = false;
  }

  /** Resolves once everything queued is written, or after `timeoutMs` (a failing disk). */
  async flush(timeoutMs = 1000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.queue.length > 0 && Date.now() < until) {
      if (!this.writing && this.retryTimer === null) void this.drain();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/**
 * The service's logger: pino writing to `sink` — what `gongjian serve` logs with, and what the
 * HTTP benchmark measures. (`pino(sink)` alone would not do: pino takes an object without
 * `writable` for its options and logs to standard output instead.)
 */
export function serviceLogger(sink: LogSink): Logger {
  return pino({ name: 'gongjian', redact: ['req.headers.authorization', 'req.headers.cookie'] }, sink);
}
