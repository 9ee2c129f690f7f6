import { Router, type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { ROLE_LABELS } from '../../machines/index.ts';
import { StoreError, type StaffDirectory } from '../../engine/index.ts';
import { identified, requireIdentity, sessionOf, staffOf } from '../auth.ts';
import { HttpProblem } from '../http-problem.ts';
import { parseOr422, requireJson } from '../http-util.ts';
import {
  clearSessionCookie,
  cookieOf,
  sameOrigin,
  SESSION_COOKIE,
  setSessionCookie,
  type SessionStore,
} from '../sessions.ts';

export const SignInSchema = z
  .strictObject({ login: z.string().min(1).max(100), password: z.string().min(1).max(200) })
  .meta({ id: 'SignIn', example: { login: 'hq-1', password: 'your password' } });

export const PasswordChangeSchema = z
  .strictObject({ current: z.string().min(1).max(200), next: z.string().min(1).max(200) })
  .meta({ id: 'PasswordChange' });

export interface SignInLimit {
  /** Failed sign-ins allowed per user name and window (default 10 per 15 minutes). */
  failures: number;
  windowMs: number;
}

export const DEFAULT_SIGN_IN_LIMIT: SignInLimit = { failures: 10, windowMs: 15 * 60_000 };

const wrongCredentials = () =>
  new HttpProblem(
    401,
    'sign-in-failed',
    { title: '登录失败', detail: '用户名或密码不正确' },
    { title: 'Sign-in failed', detail: 'wrong user name or password' },
  );

/** `{ staff, via, mustChangePassword }`: who the request is, as the web app shows it. */
function whoAmI(res: Response) {
  const staff = staffOf(res);
  return {
    staff: { ...staff, roleLabel: ROLE_LABELS[staff.role] },
    via: sessionOf(res) === undefined ? 'token' : 'session',
    mustChangePassword: res.locals.mustChangePassword === true,
  };
}

/**
 * `/api/session`: sign in (POST), who am I (GET), sign out (DELETE), change my password
 * (POST /password). Mounted after `identify` and the failed-authentication limit per address,
 * before `requireIdentity` (signing in needs no session). Failed sign-ins are also limited per
 * user name, so guessing one person's password from many addresses is slow too.
 */
export function sessionRoutes(
  staff: StaffDirectory,
  sessions: SessionStore,
  sessionMaxAgeMs: number,
  limit: SignInLimit = DEFAULT_SIGN_IN_LIMIT,
): Router {
  const router = Router();
  const perLogin = rateLimit({
    windowMs: limit.windowMs,
    limit: limit.failures,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => {
      const login = (req.body as { login?: unknown } | undefined)?.login;
      return `login:${typeof login === 'string' ? login.toLowerCase() : ''}`;
    },
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.statusCode !== 401,
    handler: (_req: Request, _res: Response, next: NextFunction) => {
      next(
        new HttpProblem(
          429,
          'too-many-sign-ins',
          {
            title: '登录失败次数过多',
            detail: `该用户名登录失败次数过多(${limit.windowMs / 60_000} 分钟内超过 ${limit.failures} 次),请稍后再试`,
          },
          {
            title: 'Too many failed sign-ins',
            detail:
              `too many failed sign-ins for this user name (over ${limit.failures} in ` +
              `${limit.windowMs / 60_000} min); try later`,
          },
        ),
      );
    },
  });

  router.post('/', perLogin, async (req, res) => {
    // Login CSRF: a sign-in form on another site must not sign a browser in as someone else.
    if (req.get('origin') !== undefined && !sameOrigin(req))
      throw new HttpProblem(
        403,
        'cross-site-request',
        { title: '无权操作', detail: '拒绝来自其他网站的登录请求' },
        { title: 'Forbidden', detail: 'refused a sign-in from another site' },
      );
    requireJson(req);
    const { login, password } = parseOr422(SignInSchema, req.body);
    const result = await staff.signIn(login, password);
    if (!result.ok) throw wrongCredentials();
    const old = cookieOf(req, SESSION_COOKIE);
    if (old !== undefined) await sessions.end(old);
    const { secret, session } = await sessions.start(result.staff.id, result.passwordSetAt);
    setSessionCookie(req, res, secret, sessionMaxAgeMs);
    res.locals.staff = result.staff;
    res.locals.session = session;
    res.locals.mustChangePassword = result.mustChangePassword;
    res.status(201).json(whoAmI(res));
  });

  router.use(requireIdentity);

  router.get('/', (_req, res) => {
    res.json(whoAmI(res));
  });

  router.delete('/', async (req, res) => {
    const secret = cookieOf(req, SESSION_COOKIE);
    if (secret !== undefined) await sessions.end(secret);
    clearSessionCookie(req, res);
    res.status(204).end();
  });

  router.post('/password', async (req, res) => {
    if (sessionOf(res) === undefined || !identified(res))
      throw new HttpProblem(
        400,
        'session-required',
        { title: '请先登录', detail: '修改密码须通过网页登录会话' },
        { title: 'Sign in first', detail: 'change a password from a signed-in session' },
      );
    requireJson(req);
    const { current, next } = parseOr422(PasswordChangeSchema, req.body);
    const me = staffOf(res);
    let setAt: string;
    try {
      ({ setAt } = await staff.changePassword(me.id, current, next));
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      const status = err.code === 'wrongPassword' ? 403 : 422;
      throw new HttpProblem(
        status,
        err.code,
        { title: '无法修改密码', detail: err.zh },
        { title: 'Password not changed', detail: err.message },
      );
    }
    // The new password ends every session (others' devices too); this one continues anew.
    await sessions.endFor(me.id);
    const { secret, session } = await sessions.start(me.id, setAt);
    setSessionCookie(req, res, secret, sessionMaxAgeMs);
    res.locals.session = session;
    res.locals.mustChangePassword = false;
    res.json(whoAmI(res));
  });
  return router;
}
