import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflated, splitLines } from '../../store/journal-scan.ts';

// 4 MiB of journal-like lines: many of zlib's steps, compressed well, as a sealed segment is.
const lines = Array.from({ length: 20_000 }, (_, i) =>
  JSON.stringify({ seq: i + 1, id: `p${i % 997}`, pad: 'x'.repeat(180) }),
);
const raw = Buffer.from(`${lines.join('\n')}\n`);
const packed = gzipSync(raw);

describe('a compressed segment read through inflated()', () => {
  it('gives back exactly the lines written, in order', async () => {
    const read: string[] = [];
    for await (const { text } of splitLines(inflated(Readable.from([packed.subarray(0, 5000), packed.subarray(5000)]))))
      read.push(text);
    expect(read).toEqual(lines);
  });

  it('is inflated ahead of a reader busy with what it has (more than zlib’s 16 KiB waiting)', async () => {
    const input = inflated(Readable.from([packed]));
    input.pause();
    // The reader takes nothing for a while: the pool keeps inflating up to the read-ahead.
    for (let i = 0; i < 50 && input.readableLength < 200_000; i++) await new Promise((r) => setTimeout(r, 10));
    expect(input.readableLength).toBeGreaterThanOrEqual(200_000);
    expect(input.readableLength).toBeLessThan(raw.length);
    input.destroy();
  });

  it('fails, not hangs, when the compressed file cannot be read', async () => {
    const source = new PassThrough();
    const input = inflated(source);
    source.write(packed.subarray(0, 1000));
    source.destroy(new Error('EIO: the disk failed'));
    const [err] = (await once(input, 'error')) as [Error];
    expect(err.message).toContain('EIO');
  });
});
