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
  const out = writer(res);
  if (await out.write(`${text.slice(0, at)}[`)) return;
  for (let i = 0; i < rows.length; i += ROWS_PER_SLICE) {
    const slice = rows
      .slice(i, i + ROWS_PER_SLICE)
      .map((row) => JSON.stringify(row) ?? 'null')
      .join(',');
    if (await out.write(i === 0 ? slice : `,${slice}`)) return;
  }
  res.end(`]${text.slice(at + marker.length)}`);
}

/** Characters of a long text written between two pauses (≈ 1 ms to encode). */
const CHARS_PER_SLICE = 1 << 18;

/**
 * Answers a long text (its type set by the caller) — the same bytes as `res.send(text)` — a slice
 * at a time: encoding the printable report of 100,000 projects (29 MB) at once held the event loop
 * 110–150 ms. Stops if the client goes away.
 */
export async function sendTextInSlices(res: Response, text: string): Promise<void> {
  if (text.length <= CHARS_PER_SLICE) {
    res.send(text);
    return;
  }
  if (res.getHeader('Content-Type') === undefined) res.type('text');
  const out = writer(res);
  // Characters, not bytes: a slice may not end inside a surrogate pair.
  for (let i = 0; i < text.length; ) {
    let end = Math.min(text.length, i + CHARS_PER_SLICE);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end += 1;
    if (await out.write(text.slice(i, end))) return;
    i = end;
  }
  res.end();
}

/**
 * Writes to `res` and waits: for a slow reader's buffer to drain (with compression, often at
 * once), then in any case for a turn of the event loop, so that the requests waiting are answered.
 * Resolves true when the client has gone away (nothing more need be written).
 */
function writer(res: Response): { write: (chunk: string) => Promise<boolean> } {
  const closed = once(res, 'close').then(() => true);
  return {
    async write(chunk) {
      const gone = res.write(chunk) ? false : await Promise.race([once(res, 'drain').then(() => false), closed]);
      return gone || (await Promise.race([setImmediate(false), closed])) || res.destroyed;
    },
  };
}
