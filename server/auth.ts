import type { NextFunction, Request, Response } from 'express';
import type { StaffMember } from '../machines/index.ts';
import type { Authentication, StaffDirectory } from '../engine/index.ts';
import { HttpProblem } from './http-problem.ts';

const unauthorized = (why: { zh: string; en: string }) =>
  new HttpProblem(401, 'unauthorized', { title: '未认证', detail: why.zh }, { title: 'Unauthorized', detail: why.en });

const WHY: Record<Exclude<Authentication, { ok: true }>['reason'], (at?: string) => { zh: string; en: string }> = {
  unknown: () => ({ zh: '访问令牌无效', en: 'invalid token' }),
  expired: (at) => ({
    zh: `访问令牌已于 ${at} 过期,请向三高办申请新令牌`,
    en: `the token expired on ${at}; ask the campaign office for a new one`,
  }),
  revoked: (at) => ({ zh: `访问令牌已于 ${at} 吊销`, en: `the token was revoked on ${at}` }),
};

/** The bearer token a request carries (header, or `?access_token=` on the stream), if any. */
export function bearerToken(req: Request): string | undefined {
  const header = req.get('authorization');
  if (header !== undefined) return /^Bearer[ ]+(\S+)\s*$/i.exec(header)?.[1] ?? '';
  // A browser's EventSource cannot send headers (the request log strips the token from URLs).
  if (req.baseUrl + req.path === '/api/stream' && typeof req.query.access_token === 'string')
    return req.query.access_token;
  return undefined;
}

/**
 * Bearer-token authentication, in two steps so that failed attempts can be rate-limited in
 * between: `identify` looks the credential up (never refusing), `requireIdentity` refuses 401
 * without a valid one. On success `res.locals.staff` is who, `res.locals.credential` the
 * token's id (revoking it closes what it opened).
 */
export function identify(staff: StaffDirectory) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const token = bearerToken(req);
    if (token !== undefined && token !== '') {
      const found = staff.authenticate(token);
      if (found.ok) {
        res.locals.staff = found.staff;
        res.locals.credential = found.tokenId;
      } else res.locals.authFailure = found;
    }
    next();
  };
}

/** Whether `identify` found a valid credential on this request. */
export function identified(res: Response): boolean {
  return res.locals.staff !== undefined;
}

export function requireIdentity(_req: Request, res: Response, next: NextFunction): void {
  if (identified(res)) {
    next();
    return;
  }
  const failure = res.locals.authFailure as Exclude<Authentication, { ok: true }> | undefined;
  if (failure === undefined) {
    res.set('WWW-Authenticate', 'Bearer');
    throw unauthorized({
      zh: '缺少访问令牌:请在 Authorization 头中提供 Bearer 令牌',
      en: 'missing token: send Authorization: Bearer <token>',
    });
  }
  res.set('WWW-Authenticate', 'Bearer error="invalid_token"');
  throw unauthorized(WHY[failure.reason](failure.at));
}

/** The authenticated member of a request. */
export function staffOf(res: Response): StaffMember {
  return res.locals.staff as StaffMember;
}

/** The id of the credential the request was authenticated with. */
export function credentialOf(res: Response): string {
  return res.locals.credential as string;
}
