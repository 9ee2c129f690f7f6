import { once } from 'node:events';
import { setImmediate } from 'node:timers/promises';
import type { Response } from 'express';

/** Rows of the long list written between two pauses. */
const ROWS_PER_SLICE = 1_000;

/**
 * Answers `value` as JSON — the same bytes as `res.json(value)` — writing the long list under `key`
 * (the report's 台账: 100,000 rows, 46 MB, ≈ 0.5 s to serialise at once; BENCHMARKS.md, session 13)
 * a slice of rows at a time with the event loop free in between, and waiting for a slow reader.
 * Stops if the client goes away.
 */
export async function sendJsonInSlices(res: Response, value: object, key: string): Promise<void> {
  const rows = (value as Record<string, unknown>)[key];
  if (!Array.isArray(rows) || rows.length <= ROWS_PER_SLICE) {
    res.json(value);
    return;
  }
  // The rest serialised as it would be, the list's place marked (a string no report holds).
  const marker = JSON.stringify('\u0000gongjian-rows\u0000');
  const text = JSON.stringify({ ...value, [key]: JSON.parse(marker) });
  const at = text.indexOf(marker);
  res.type('json');
  res.write(`${text.slice(0, at)}[`);
  const closed = once(res, 'close').then(() => true);
  for (let i = 0; i < rows.length; i += ROWS_PER_SLICE) {
    const slice = rows
      .slice(i, i + ROWS_PER_SLICE)
      .map((row) => JSON.stringify(row) ?? 'null')
      .join(',');
    // A slow reader: its buffer drained first (with compression, often at once). Then, in any
    // case, a turn of the event loop for the requests waiting.
    const gone = res.write(i === 0 ? slice : `,${slice}`)
      ? false
      : await Promise.race([once(res, 'drain').then(() => false), closed]);
    if (gone || (await Promise.race([setImmediate(false), closed])) || res.destroyed) return;
  }
  res.end(`]${text.slice(at + marker.length)}`);
}
