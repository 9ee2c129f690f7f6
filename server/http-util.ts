import type { Request } from 'express';
import type { z } from 'zod';
import { parseWithProblems } from '../engine/index.ts';
import { HttpProblem } from './http-problem.ts';

/**
 * Parses with a zod schema, or throws 422 listing every issue by its place: the field's path,
 * or `(body)` / `(query)` for the request body or query as a whole (an unknown field, a body
 * that is not an object).
 */
export function parseOr422<T extends z.ZodType>(
  schema: T,
  value: unknown,
  where: 'body' | 'query' = 'body',
): z.infer<T> {
  const parsed = parseWithProblems(schema as z.ZodType<z.infer<T>>, value);
  if (parsed.ok) return parsed.data;
  const what = where === 'query' ? { en: 'parameter', zh: '查询参数' } : { en: 'field', zh: '字段' };
  const issues = parsed.issues.map((issue, i) => {
    const path = parsed.problems[i]!.field || `(${where})`;
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => `"${k}"`).join(', ');
      return {
        path,
        en: `unknown ${what.en}${issue.keys.length > 1 ? 's' : ''} ${keys}`,
        zh: `未知${what.zh} ${keys}`,
      };
    }
    return { path, en: parsed.problems[i]!.en, zh: parsed.problems[i]!.zh };
  });
  const en = issues.map((i) => `${i.path}: ${i.en}`).join('; ');
  const zh = issues.map((i) => `${i.path}:${i.zh}`).join(';');
  throw new HttpProblem(
    422,
    'invalid-payload',
    { title: '内容不合规', detail: `${where === 'query' ? '查询参数' : '请求内容'}不符合格式:${zh}` },
    { title: 'Invalid payload', detail: en },
    { issues: issues.map((i) => ({ path: i.path, message: i.en, zh: i.zh })) },
  );
}

/** 400 for a request without a body (whatever its Content-Type says), 415 unless it sends JSON. */
export function requireJson(req: Request): void {
  const length = req.get('content-length');
  if (length === '0' || (length === undefined && req.get('transfer-encoding') === undefined)) {
    throw new HttpProblem(
      400,
      'empty-body',
      { title: '请求格式错误', detail: '请求体为空:请发送 JSON' },
      { title: 'Malformed request', detail: 'empty body: send JSON' },
    );
  }
  // A body the app's JSON parser took (the only parser it has) was sent as JSON: what `req.is`
  // would say, without parsing the Content-Type header again on every event.
  if (typeof req.body === 'object' && req.body !== null) return;
  if (!req.is('application/json')) {
    throw new HttpProblem(
      415,
      'unsupported-media-type',
      {
        title: '不支持的内容类型',
        detail: `请以 Content-Type: application/json 发送(收到:${req.get('content-type') ?? '无'})`,
      },
      {
        title: 'Unsupported media type',
        detail: `send Content-Type: application/json (got ${req.get('content-type') ?? 'none'})`,
      },
    );
  }
}

/** `If-Match`: any current representation (`*`), or the strong entity-tags listed. */
export type IfMatch = '*' | string[];

const badIfMatch = (header: string) =>
  new HttpProblem(
    400,
    'bad-if-match',
    { title: '请求格式错误', detail: `If-Match 应为 * 或带引号的版本号列表,如 "3"(收到:${header})` },
    {
      title: 'Malformed request',
      detail: `If-Match must be * or a list of quoted entity-tags such as "3" (got ${header})`,
    },
  );

/**
 * `If-Match` parsed as RFC 9110 §13.1.1 says: `*`, or a comma-separated list of entity-tags
 * (`"…"` strong, `W/"…"` weak; empty list elements allowed). Weak tags never match (strong
 * comparison), so they are left out; the tags' text is compared as is (`"07"` ≠ `"7"`).
 * Undefined when absent; 400 when malformed.
 */
export function ifMatch(req: Request): IfMatch | undefined {
  const header = req.get('if-match');
  if (header === undefined) return undefined;
  const text = header.trim();
  if (text === '*') return '*';
  const strong: string[] = [];
  let elements = 0;
  let i = 0;
  const skipSpace = () => {
    while (text[i] === ' ' || text[i] === '\t') i += 1;
  };
  while (i < text.length) {
    skipSpace();
    if (text[i] === ',') {
      i += 1;
      continue;
    }
    const weak = text.startsWith('W/', i);
    if (weak) i += 2;
    if (text[i] !== '"') throw badIfMatch(header);
    const end = text.indexOf('"', i + 1);
    if (end < 0) throw badIfMatch(header);
    const tag = text.slice(i + 1, end);
    // etagc = %x21 / %x23-7E / obs-text
    for (const c of tag) {
      const code = c.charCodeAt(0);
      if (!(code === 0x21 || (code >= 0x23 && code <= 0x7e) || (code >= 0x80 && code <= 0xff)))
        throw badIfMatch(header);
    }
    if (!weak) strong.push(tag);
    elements += 1;
    i = end + 1;
    skipSpace();
    if (i < text.length && text[i] !== ',') throw badIfMatch(header);
  }
  if (elements === 0) throw badIfMatch(header);
  return strong;
}

/** The Idempotency-Key header, validated (1–200 visible characters). */
export function idempotencyKey(req: Request): string | undefined {
  const key = req.get('idempotency-key');
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw new HttpProblem(
      400,
      'bad-idempotency-key',
      { title: '请求格式错误', detail: 'Idempotency-Key 须为 1–200 个可见 ASCII 字符' },
      { title: 'Malformed request', detail: 'Idempotency-Key must be 1–200 visible ASCII characters' },
    );
  }
  return key;
}

export const etag = (version: number) => `"${version}"`;
