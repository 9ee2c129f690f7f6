import type { NextFunction, Request, Response } from 'express';
import { rateLimit, type RateLimitInfo } from 'express-rate-limit';
import type { Logger } from 'pino';
import { identified } from './auth.ts';
import { HttpProblem } from './http-problem.ts';

export interface AuthLimit {
  /** Failed authentications allowed per client address and window (default 30). */
  failures: number;
  /** The window, in milliseconds (default 60 s). */
  windowMs: number;
}

export const DEFAULT_AUTH_LIMIT: AuthLimit = { failures: 30, windowMs: 60_000 };

/**
 * Limits failed authentications per client address (express-rate-limit; IPv6 addresses are
 * grouped by /56, so rotating addresses within one allocation does not help). Only requests
 * without a valid credential count, and only they are refused once an address is over the
 * limit — 429 with `Retry-After` — so one broken client behind a county office's shared address
 * does not lock its colleagues out. Logged once per address and window, not per request.
 *
 * @example
 * app.use('/api', identify(staff), limitFailedAuth(logger), requireIdentity);
 */
export function limitFailedAuth(logger: Logger, limit: AuthLimit = DEFAULT_AUTH_LIMIT) {
  const logged = new Map<string, number>();
  const limiter = rateLimit({
    windowMs: limit.windowMs,
    limit: limit.failures,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // Count only what failed authentication; everything else is given back at the end.
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.statusCode !== 401,
    handler: (req: Request, res: Response, next: NextFunction) => {
      const info = (req as Request & { rateLimit: RateLimitInfo }).rateLimit;
      const reset = info.resetTime?.getTime() ?? 0;
      const address = req.ip ?? 'unknown';
      if (logged.get(address) !== reset) {
        for (const [key, until] of logged) if (until < Date.now()) logged.delete(key);
        logged.set(address, reset);
        logger.warn(
          { address, failures: info.limit, windowMs: limit.windowMs, until: info.resetTime },
          'too many failed authentications: refusing this address until the window ends',
        );
      }
      res.locals.rateLimited = true;
      const seconds = Math.max(1, Math.ceil((reset - Date.now()) / 1000));
      next(
        new HttpProblem(
          429,
          'too-many-failed-authentications',
          {
            title: '认证失败次数过多',
            detail: `该地址认证失败次数过多(${limit.windowMs / 1000} 秒内超过 ${limit.failures} 次),请 ${seconds} 秒后再试`,
          },
          {
            title: 'Too many failed authentications',
            detail:
              `too many failed authentications from this address (over ${limit.failures} in ` +
              `${limit.windowMs / 1000} s); retry in ${seconds} s`,
          },
        ),
      );
    },
  });
  // An identified request is never counted nor refused: it does not enter the limiter at all, whose
  // asynchronous bookkeeping (even to skip a request) cost every API request ≈ 1 % of its CPU.
  return (req: Request, res: Response, next: NextFunction): unknown =>
    identified(res) ? next() : limiter(req, res, next);
}
