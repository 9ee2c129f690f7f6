import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { staffOf } from './auth.ts';
import { redactUrl } from './redact.ts';

/**
 * One pino line per request when it finishes: id, method, URL (tokens redacted), status,
 * milliseconds and who; `observe` (the metrics' timing) hears of every request, logged or not.
 * Headers are never logged, so tokens never reach the log. (pino-http builds a child logger and
 * several listeners per request; on this 2-core machine that cost 13% of the events endpoint's
 * throughput for the same line — see BENCHMARKS.md.)
 */
export function requestLog(logger: Logger, observe?: (req: Request, res: Response, ms: number) => void) {
  let next = 0;
  return (req: Request, res: Response, proceed: NextFunction): void => {
    const id = ++next;
    const started = performance.now();
    // One listener for the log line and the metrics' timing (each listener costs every request).
    res.once('finish', () => {
      const ms = performance.now() - started;
      observe?.(req, res, ms);
      // Refused for too many failed authentications: logged once per address and window instead.
      if (res.locals.rateLimited === true) return;
      const staff = res.locals.staff === undefined ? undefined : staffOf(res).id;
      const level = res.statusCode >= 500 ? 'error' : 'info';
      logger[level](
        {
          req: { id, method: req.method, url: redactUrl(req.originalUrl) },
          res: { statusCode: res.statusCode },
          staff,
          ms: Math.round(ms * 10) / 10,
        },
        'request completed',
      );
    });
    proceed();
  };
}
