import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LogSink, type LogWriter } from '../../server/log-sink.ts';

/** A destination that fails while `full` is set and can write `room` bytes per call. */
function disk() {
  const state = { full: false, room: Infinity, text: '', calls: 0 };
  const writer: LogWriter = async (chunk) => {
    state.calls += 1;
    if (state.full) throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
    const n = Math.min(chunk.length, state.room);
    state.text += chunk.subarray(0, n).toString('utf8');
    return n;
  };
  return { state, writer };
}

// The sink's retries are timer-driven: the tests move a fake clock instead of sleeping.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});
const elapse = (ms: number) => vi.advanceTimersByTimeAsync(ms);

describe('log destination (LogSink)', () => {
  it('a full disk never blocks a write: lines queue up to the bound, the rest are dropped and counted', async () => {
    const { state, writer } = disk();
    state.full = true;
    const sink = new LogSink(-1, { writer, maxBufferBytes: 100, retryMs: 5 });
    const started = performance.now();
    for (let i = 0; i < 50; i++) sink.write(`{"line":${i}}\n`);
    expect(performance.now() - started).toBeLessThan(50);
    await elapse(100);
    expect(sink.stats).toMatchObject({ errors: expect.any(Number), lastError: 'ENOSPC' });
    expect(sink.stats.dropped).toBeGreaterThan(40);
    expect(sink.stats.pendingBytes).toBeLessThanOrEqual(100);
  });

  it('once the disk has room again the log resumes by itself, with whole lines in order', async () => {
    const { state, writer } = disk();
    state.full = true;
    const sink = new LogSink(-1, { writer, retryMs: 5, maxRetryMs: 20 });
    sink.write('{"a":1}\n');
    sink.write('{"a":2}\n');
    await elapse(10);
    expect(state.text).toBe('');
    state.full = false;
    // The next retry (backoff ≤ 20 ms) writes what waited; a new line follows it.
    await elapse(40);
    sink.write('{"a":3}\n');
    await elapse(0);
    expect(state.text).toBe('{"a":1}\n{"a":2}\n{"a":3}\n');
    expect(sink.stats.pendingBytes).toBe(0);
  });

  it('a partial write is completed, never interleaved with the next line', async () => {
    const { state, writer } = disk();
    state.room = 5;
    const sink = new LogSink(-1, { writer });
    sink.write('{"first":"line"}\n');
    sink.write('{"second":"line"}\n');
    await elapse(0);
    expect(state.text).toBe('{"first":"line"}\n{"second":"line"}\n');
  });
});
