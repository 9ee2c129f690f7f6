import type { Request } from 'express';
import type { z } from 'zod';
import { HttpProblem } from './problem.ts';

/** Parses with a zod schema, or throws 422 listing every issue by path. */
export function parseOr422<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const list = issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ');
  throw new HttpProblem(422, 'invalid-payload', { title: '内容不合规', detail: `请求内容不符合格式:${list}` }, { title: 'Invalid payload', detail: list }, { issues });
}

/** 415 unless the request says it sends JSON. */
export function requireJson(req: Request): void {
  if (!req.is('application/json')) {
    throw new HttpProblem(
      415,
      'unsupported-media-type',
      { title: '不支持的内容类型', detail: `请以 Content-Type: application/json 发送(收到:${req.get('content-type') ?? '无'})` },
      { title: 'Unsupported media type', detail: `send Content-Type: application/json (got ${req.get('content-type') ?? 'none'})` },
    );
  }
}

/** The version in `If-Match` (`"3"`, `W/"3"` or `3`), undefined if absent; 400 if unreadable. */
export function ifMatchVersion(req: Request): number | undefined {
  const header = req.get('if-match');
  if (header === undefined) return undefined;
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  if (m === null) {
    throw new HttpProblem(400, 'bad-if-match', { title: '请求格式错误', detail: `If-Match 应为项目版本号,如 "3"(收到:${header})` }, { title: 'Malformed request', detail: `If-Match must be a project version such as "3" (got ${header})` });
  }
  return Number(m[1]);
}

/** The Idempotency-Key header, validated (1–200 visible characters). */
export function idempotencyKey(req: Request): string | undefined {
  const key = req.get('idempotency-key');
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw new HttpProblem(400, 'bad-idempotency-key', { title: '请求格式错误', detail: 'Idempotency-Key 须为 1–200 个可见 ASCII 字符' }, { title: 'Malformed request', detail: 'Idempotency-Key must be 1–200 visible ASCII characters' });
  }
  return key;
}

export const etag = (version: number) => `"${version}"`;
