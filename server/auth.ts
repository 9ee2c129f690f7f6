import type { NextFunction, Request, Response } from 'express';
import type { StaffMember } from '../machines/index.ts';
import type { StaffDirectory } from '../store/index.ts';
import { HttpProblem } from './problem.ts';

const unauthorized = (why: { zh: string; en: string }) =>
  new HttpProblem(401, 'unauthorized', { title: '未认证', detail: why.zh }, { title: 'Unauthorized', detail: why.en });

/**
 * Bearer-token authentication. `GET /api/stream` also accepts `?access_token=`, because a
 * browser's EventSource cannot send headers (the request log strips it from URLs).
 */
export function authenticate(staff: StaffDirectory) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.get('authorization');
    const fromQuery = req.baseUrl + req.path === '/api/stream' && typeof req.query.access_token === 'string' ? req.query.access_token : undefined;
    const token = header?.startsWith('Bearer ') === true ? header.slice(7).trim() : fromQuery;
    if (token === undefined || token === '') {
      res.set('WWW-Authenticate', 'Bearer');
      throw unauthorized({ zh: '缺少访问令牌:请在 Authorization 头中提供 Bearer 令牌', en: 'missing token: send Authorization: Bearer <token>' });
    }
    const member = await staff.authenticate(token);
    if (member === undefined) {
      res.set('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw unauthorized({ zh: '访问令牌无效', en: 'invalid token' });
    }
    res.locals.staff = member;
    next();
  };
}

/** The authenticated member of a request. */
export function staffOf(res: Response): StaffMember {
  return res.locals.staff as StaffMember;
}
