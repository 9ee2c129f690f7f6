import type { PgStoreOptions } from '../engine/index.ts';

/**
 * A `--store` URL: `postgres://…` or `postgresql://…`, with optional query parameters of ours —
 * `schema` (default `gongjian`), `maxConnections` (the pool, default 10), `statementTimeoutMs`
 * (default 30 s) — taken off before the URL reaches the driver.
 */
export function parseStoreUrl(url: string): { url: string; schema: string | undefined } & PgStoreOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--store: not a URL (${url}) / 不是有效的连接地址`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')
    throw new Error(`--store: only postgres:// is supported (got ${parsed.protocol}) / 仅支持 postgres://`);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  const number = (name: 'maxConnections' | 'statementTimeoutMs', max: number): number | undefined => {
    const text = parsed.searchParams.get(name);
    parsed.searchParams.delete(name);
    if (text === null) return undefined;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1 || value > max)
      throw new Error(
        `--store: ${name} must be a whole number from 1 to ${max} (got ${text}) / ${name} 须为 1–${max} 的整数`,
      );
    return value;
  };
  const maxConnections = number('maxConnections', 1_000);
  const statementTimeoutMs = number('statementTimeoutMs', 3_600_000);
  parsed.searchParams.delete('schema');
  return {
    url: parsed.toString(),
    schema,
    ...(maxConnections === undefined ? {} : { maxConnections }),
    ...(statementTimeoutMs === undefined ? {} : { statementTimeoutMs }),
  };
}
