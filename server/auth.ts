import type { NextFunction, Request, Response } from 'express';
import type { StaffMember } from '../machines/index.ts';
import type { Authentication, StaffDirectory } from '../engine/index.ts';
import { HttpProblem } from './http-problem.ts';
import { cookieOf, sameOrigin, SESSION_COOKIE, type Session, type SessionStore } from './sessions.ts';

type AuthFailure = Exclude<Authentication, { ok: true }> | { ok: false; reason: 'session' };

const unauthorized = (why: { zh: string; en: string }) =>
  new HttpProblem(401, 'unauthorized', { title: '未认证', detail: why.zh }, { title: 'Unauthorized', detail: why.en });

const WHY: Record<Exclude<Authentication, { ok: true }>['reason'], (at?: string) => { zh: string; en: string }> = {
  unknown: () => ({ zh: '访问令牌无效', en: 'invalid token' }),
  expired: (at) => ({
    zh: `访问令牌已于 ${at} 过期,请向三高办申请新令牌`,
    en: `the token expired on ${at}; ask the campaign office for a new one`,
  }),
  revoked: (at) => ({ zh: `访问令牌已于 ${at} 吊销`, en: `the token was revoked on ${at}` }),
  disabled: (at) => ({ zh: `该账号已于 ${at} 停用`, en: `this account was disabled on ${at}` }),
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
 * Authentication by bearer token (API clients) or sign-in session cookie (the web app), in two
 * steps so that failed attempts can be rate-limited in between: `identify` looks the credential
 * up (never refusing), `requireIdentity` refuses 401 without a valid one. On success
 * `res.locals.staff` is who, `res.locals.credential` the token's or session's id (ending it
 * closes what it opened). A token wins over a cookie.
 */
export function identify(staff: StaffDirectory, sessions: SessionStore) {
  const bySession = async (res: Response, next: NextFunction, secret: string): Promise<void> => {
    // With sessions shared in the database this may ask it (the database away: a 503).
    const session = await sessions.get(secret);
    const current = session === undefined ? null : staff.sessionMember(session.staffId, session.passwordSetAt);
    if (session !== undefined && current !== null) {
      res.locals.staff = current.staff;
      res.locals.credential = session.id;
      res.locals.session = session;
      res.locals.mustChangePassword = current.mustChangePassword;
    } else res.locals.authFailure = { ok: false, reason: 'session' };
    next();
  };
  // Synchronous for tokens (the API's hot path); a cookie may need the shared session table.
  return (req: Request, res: Response, next: NextFunction): void | Promise<void> => {
    const token = bearerToken(req);
    if (token !== undefined && token !== '') {
      const found = staff.authenticate(token);
      if (found.ok) {
        res.locals.staff = found.staff;
        res.locals.credential = found.tokenId;
      } else res.locals.authFailure = found;
    } else if (token === undefined) {
      const secret = cookieOf(req, SESSION_COOKIE);
      if (secret !== undefined && secret !== '') return bySession(res, next, secret);
    }
    next();
  };
}

/** The sign-in session a request came with, if it came with one (not a token). */
export function sessionOf(res: Response): Session | undefined {
  return res.locals.session as Session | undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF: a state-changing request authenticated by the session cookie must come from our own
 * pages (Origin). With a bearer token there is no ambient credential to abuse.
 */
export function refuseCrossSite(req: Request, res: Response, next: NextFunction): void {
  if (sessionOf(res) !== undefined && !SAFE_METHODS.has(req.method) && !sameOrigin(req)) {
    throw new HttpProblem(
      403,
      'cross-site-request',
      { title: '无权操作', detail: '拒绝来自其他网站的请求(Origin 与本站不符)' },
      { title: 'Forbidden', detail: 'refused a request from another site (its Origin is not this site)' },
    );
  }
  next();
}

/** What a member who must change their password may still do: see who they are, change it, sign out. */
const WHILE_PASSWORD_MUST_CHANGE = new Set(['GET /api/session', 'DELETE /api/session', 'POST /api/session/password']);

export function requirePasswordChanged(req: Request, res: Response, next: NextFunction): void {
  if (
    res.locals.mustChangePassword === true &&
    !WHILE_PASSWORD_MUST_CHANGE.has(`${req.method} ${req.originalUrl.split('?')[0]}`)
  ) {
    throw new HttpProblem(
      403,
      'password-change-required',
      { title: '请先修改密码', detail: '首次登录或密码被重置后,须先设置自己的密码' },
      { title: 'Change your password first', detail: 'after a first sign-in or a reset, set your own password first' },
    );
  }
  next();
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
  const failure = res.locals.authFailure as AuthFailure | undefined;
  if (failure === undefined) {
    res.set('WWW-Authenticate', 'Bearer');
    throw unauthorized({
      zh: '未登录:请登录,或在 Authorization 头中提供 Bearer 令牌',
      en: 'not signed in: sign in, or send Authorization: Bearer <token>',
    });
  }
  if (failure.reason === 'session') {
    throw unauthorized({
      zh: '登录已失效(超时、密码已改、账号停用或服务重启),请重新登录',
      en: 'your session has ended (timed out, password changed, account disabled or server restarted): sign in again',
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
