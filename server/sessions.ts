import { createHash, randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'gj_session';

export interface SessionLimits {
  /** A session unused for this long ends (default 12 h: a working day at a site). */
  idleMs: number;
  /** A session ends this long after sign-in whatever its use (default 7 days). */
  absoluteMs: number;
  /** Sessions kept at most; beyond, the least recently used ends (default 20,000). */
  max: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  idleMs: 12 * 3_600_000,
  absoluteMs: 7 * 86_400_000,
  max: 20_000,
};

export interface Session {
  /** `s_` + a prefix of the hash of the cookie: names the session in logs and streams. */
  id: string;
  staffId: string;
  /** The password it was started with (a newer password ends it). */
  passwordSetAt: string;
  createdAt: number;
  lastSeen: number;
}

const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');

/**
 * Sign-in sessions of the web app, in memory: the cookie carries 256 random bits, the server
 * keeps only their hash. A restart ends every session (people sign in again; no event is
 * lost). Idle and absolute expiry; a bounded number, least recently used first out.
 */
export class SessionStore {
  private readonly byHash = new Map<string, Session>();
  private readonly hashById = new Map<string, string>();
  private readonly limits: SessionLimits;

  constructor(
    limits: Partial<SessionLimits> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.limits = { ...DEFAULT_SESSION_LIMITS, ...limits };
  }

  /** Starts a session; returns the cookie value (shown to the browser only). */
  start(staffId: string, passwordSetAt: string): { secret: string; session: Session } {
    const secret = randomBytes(32).toString('base64url');
    const hash = hashOf(secret);
    const at = this.now();
    const session: Session = { id: `s_${hash.slice(0, 16)}`, staffId, passwordSetAt, createdAt: at, lastSeen: at };
    this.byHash.set(hash, session);
    this.hashById.set(session.id, hash);
    while (this.byHash.size > this.limits.max) {
      const oldest = this.byHash.keys().next().value;
      if (oldest === undefined) break;
      this.drop(oldest);
    }
    return { secret, session };
  }

  /** The live session for a cookie value, touched (it moves to the most recently used end). */
  get(secret: string): Session | undefined {
    const hash = hashOf(secret);
    const session = this.byHash.get(hash);
    if (session === undefined) return undefined;
    const at = this.now();
    if (!this.fresh(session)) {
      this.drop(hash);
      return undefined;
    }
    session.lastSeen = at;
    this.byHash.delete(hash);
    this.byHash.set(hash, session);
    return session;
  }

  /** The live session with this id (open streams check theirs every second), not touched. */
  find(id: string): Session | undefined {
    const hash = this.hashById.get(id);
    const session = hash === undefined ? undefined : this.byHash.get(hash);
    return session !== undefined && this.fresh(session) ? session : undefined;
  }

  private fresh(session: Session): boolean {
    const at = this.now();
    return at - session.lastSeen <= this.limits.idleMs && at - session.createdAt <= this.limits.absoluteMs;
  }

  private drop(hash: string): void {
    const session = this.byHash.get(hash);
    if (session !== undefined) this.hashById.delete(session.id);
    this.byHash.delete(hash);
  }

  end(secret: string): void {
    this.drop(hashOf(secret));
  }

  /** Ends every session of a member (password reset, disabled). */
  endFor(staffId: string): void {
    for (const [hash, session] of this.byHash) if (session.staffId === staffId) this.drop(hash);
  }

  get size(): number {
    return this.byHash.size;
  }
}

/** The value of one cookie of the request, or undefined. */
export function cookieOf(req: Request, name: string): string | undefined {
  const header = req.get('cookie');
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** Sets the session cookie: HttpOnly, SameSite=Strict, whole site, Secure behind HTTPS. */
export function setSessionCookie(req: Request, res: Response, secret: string, maxAgeMs: number): void {
  res.cookie(SESSION_COOKIE, secret, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure,
    path: '/',
    maxAge: maxAgeMs,
  });
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
}

/**
 * Whether a state-changing request made with a cookie comes from our own pages: its `Origin`
 * names this host, or (an old browser without Origin) `Sec-Fetch-Site` says same-origin.
 * SameSite=Strict already keeps the cookie off other sites' requests; this is the second lock.
 */
export function sameOrigin(req: Request): boolean {
  const origin = req.get('origin');
  if (origin !== undefined && origin !== 'null') {
    try {
      return new URL(origin).host === req.get('host');
    } catch {
      return false;
    }
  }
  return req.get('sec-fetch-site') === 'same-origin';
}
