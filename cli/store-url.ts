/**
 * A `--store` URL: `postgres://…` or `postgresql://…`, with an optional `schema` query parameter
 * (default `gongjian`), taken off before the URL reaches the driver.
 */
export function parseStoreUrl(url: string): { url: string; schema: string | undefined } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--store: not a URL (${url}) / 不是有效的连接地址`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')
    throw new Error(`--store: only postgres:// is supported (got ${parsed.protocol}) / 仅支持 postgres://`);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  return { url: parsed.toString(), schema };
}
