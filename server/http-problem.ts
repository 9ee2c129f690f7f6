import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Bilingual } from '../machines/index.ts';
import { StoreError } from '../engine/index.ts';
import { redactSecrets, redactUrl } from './redact.ts';

/** A title and a detail in one language. */
interface Text {
  title: string;
  detail: string;
}

/**
 * An HTTP error as an RFC 9457 problem, in both languages. Handlers throw it; `httpProblemHandler`
 * is the one place that turns it (and any other error) into a response.
 *
 * @example
 * const zh = { title: '未找到', detail: '项目 p9 不存在' };
 * throw new HttpProblem(404, 'not-found', zh, { title: 'Not found', detail: 'no project p9' });
 */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly zh: Text,
    readonly en: Text,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(en.detail);
    this.name = 'HttpProblem';
  }
}

/** A problem whose detail is a bilingual message (e.g. a rule's rejection). */
export function httpProblemFrom(
  status: number,
  code: string,
  title: Bilingual,
  detail: Bilingual,
  extra: Record<string, unknown> = {},
): HttpProblem {
  return new HttpProblem(
    status,
    code,
    { title: title.zh, detail: detail.zh },
    { title: title.en, detail: detail.en },
    extra,
  );
}

/** Throws 403 naming the rule (role, unit) when there is a reason the caller may not act. */
export function forbidIf(why: (Bilingual & { rule: string }) | null): void {
  if (why !== null)
    throw httpProblemFrom(403, 'forbidden', { zh: '无权操作', en: 'Forbidden' }, why, { rule: why.rule });
}

/** 'en' when the client prefers English over Chinese, else 'zh' (zh-CN is the default). */
export function language(req: Request): 'zh' | 'en' {
  const header = req.get('accept-language');
  if (header === undefined) return 'zh';
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag, q: q === undefined ? 1 : Number(q.slice(2)) || 0 };
    })
    .filter((l) => l.tag.startsWith('zh') || l.tag.startsWith('en'))
    .sort((a, b) => b.q - a.q);
  return ranked[0]?.tag.startsWith('en') === true ? 'en' : 'zh';
}

export function sendHttpProblem(req: Request, res: Response, problem: HttpProblem): void {
  const chosen = language(req) === 'en' ? problem.en : problem.zh;
  res
    .status(problem.status)
    .type('application/problem+json')
    .set('Content-Language', language(req) === 'en' ? 'en' : 'zh-CN')
    .send(
      // The instance is the path (no query, where a token may travel); nothing echoed carries a token.
      redactSecrets(
        JSON.stringify({
          type: `/problems/${problem.code}`,
          title: chosen.title,
          status: problem.status,
          detail: chosen.detail,
          instance: redactUrl(req.originalUrl.split('?')[0]!),
          zh: problem.zh,
          en: problem.en,
          ...problem.extra,
        }),
      ),
    );
}

interface BodyParserError {
  type?: string;
  status?: number;
}

/** Maps every error to a problem response; never sends a stack trace. */
export function httpProblemHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (err instanceof HttpProblem) {
      sendHttpProblem(req, res, err);
      return;
    }
    const parserType = (err as BodyParserError).type;
    if (parserType === 'entity.parse.failed') {
      sendHttpProblem(
        req,
        res,
        new HttpProblem(
          400,
          'malformed-json',
          { title: '请求格式错误', detail: '请求体不是有效的 JSON' },
          { title: 'Malformed request', detail: 'the body is not valid JSON' },
        ),
      );
      return;
    }
    if (parserType === 'entity.too.large') {
      sendHttpProblem(
        req,
        res,
        new HttpProblem(
          413,
          'too-large',
          { title: '请求过大', detail: '请求体超过 100 KB 上限' },
          { title: 'Request too large', detail: 'the body exceeds the 100 kB limit' },
        ),
      );
      return;
    }
    if (parserType === 'charset.unsupported' || parserType === 'encoding.unsupported') {
      sendHttpProblem(
        req,
        res,
        new HttpProblem(
          415,
          'unsupported-encoding',
          { title: '不支持的编码', detail: '请使用 UTF-8 编码的 JSON' },
          { title: 'Unsupported encoding', detail: 'send UTF-8 JSON' },
        ),
      );
      return;
    }
    const status = (err as BodyParserError).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      sendHttpProblem(
        req,
        res,
        new HttpProblem(
          status,
          'bad-request',
          { title: '请求有误', detail: '请求无法处理' },
          { title: 'Bad request', detail: 'the request could not be processed' },
        ),
      );
      return;
    }
    const store = err instanceof StoreError ? err : null;
    if (store?.code === 'journalWrite' || store?.code === 'storeUnavailable' || store?.code === 'closed') {
      // Nothing was saved and the store recovers by itself (or is shutting down): come back soon.
      logger.warn({ code: store.code, url: redactUrl(req.originalUrl) }, store.message);
      res.set('Retry-After', '5');
      sendHttpProblem(
        req,
        res,
        new HttpProblem(
          503,
          'storage-unavailable',
          { title: '暂时无法保存', detail: `${store.zh};请稍后重试(带 Idempotency-Key 的重试是安全的)` },
          {
            title: 'Storage unavailable',
            detail: `${store.message}; retry later (retries with an Idempotency-Key are safe)`,
          },
        ),
      );
      return;
    }
    logger.error({ err, url: redactUrl(req.originalUrl) }, 'unhandled error');
    sendHttpProblem(
      req,
      res,
      new HttpProblem(
        500,
        'internal',
        {
          title: '服务器内部错误',
          detail: '服务器出错;请先查询项目当前状态再决定是否重试(带 Idempotency-Key 的重试是安全的)',
        },
        {
          title: 'Internal error',
          detail: 'the server failed; check the project before retrying (retries with an Idempotency-Key are safe)',
        },
      ),
    );
  };
}
