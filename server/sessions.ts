import { createHash, randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { SessionRow, SessionsEnded } from '../engine/index.ts';

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

/**
 * Sessions kept in the database, shared by every node (`PgStore.sessionStorage()`): a cookie
 * from one node is good on the others, and an end is heard by all.
 */
export interface SharedSessions {
  insert(row: SessionRow, expired: { seenBefore: number; createdBefore: number }, max: number): Promise<void>;
  get(hash: string): Promise<SessionRow | undefined>;
  touch(hash: string, lastSeen: number): Promise<boolean>;
  delete(hash: string): Promise<void>;
  deleteFor(staffId: string): Promise<void>;
  onEnded(listener: (ended: SessionsEnded) => void): void;
}

/** A use is written to the shared table at most this often (the idle limit is hours). */
const TOUCH_EVERY_MS = 60_000;

const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');

type Cached = Session & { hash: string; touched: number };

/**
 * Sign-in sessions of the web app: the cookie carries 256 random bits, the server keeps only
 * their hash. Idle and absolute expiry; a bounded number, least recently used first out.
 *
 * On the embedded store they live in this process's memory (a restart ends every session: people
 * sign in again, no event is lost). With `shared` (several nodes on PostgreSQL) they live in the
 * database and this process keeps the ones it has seen: a session's use is written at most once a
 * minute, and one ended on another node (sign-out, password reset, disabled member) is dropped
 * here when its notice arrives.
 */
export class SessionStore {
  private readonly byHash = new Map<string, Cached>();
  private readonly hashById = new Map<string, string>();
  private readonly limits: SessionLimits;
  private readonly reloading = new Set<string>();

  constructor(
    limits: Partial<SessionLimits> = {},
    private readonly now: () => number = Date.now,
    private readonly shared?: SharedSessions,
  ) {
    this.limits = { ...DEFAULT_SESSION_LIMITS, ...limits };
    shared?.onEnded((ended) => {
      if ('all' in ended) this.forget(() => true);
      else if ('id' in ended) this.forget((s) => s.id === ended.id);
      else this.forget((s) => s.staffId === ended.staffId);
    });
  }

  /** Starts a session; returns the cookie value (shown to the browser only). */
  async start(staffId: string, passwordSetAt: string): Promise<{ secret: string; session: Session }> {
    const secret = randomBytes(32).toString('base64url');
    const hash = hashOf(secret);
    const at = this.now();
    const session: Session = { id: `s_${hash.slice(0, 16)}`, staffId, passwordSetAt, createdAt: at, lastSeen: at };
    await this.shared?.insert(
      { hash, ...session },
      { seenBefore: at - this.limits.idleMs, createdBefore: at - this.limits.absoluteMs },
      this.limits.max,
    );
    this.keep({ ...session, hash, touched: at });
    return { secret, session };
  }

  private keep(session: Cached): void {
    this.byHash.delete(session.hash);
    this.byHash.set(session.hash, session);
    this.hashById.set(session.id, session.hash);
    while (this.byHash.size > this.limits.max) {
      const oldest = this.byHash.keys().next().value;
      if (oldest === undefined) break;
      this.drop(oldest);
    }
  }

  /** The live session for a cookie value, touched (it moves to the most recently used end). */
  async get(secret: string): Promise<Session | undefined> {
    const hash = hashOf(secret);
    const at = this.now();
    let session = this.byHash.get(hash);
    if (this.shared !== undefined && (session === undefined || !this.fresh(session))) {
      // Not seen here, or idle as far as this node knows: another node may have seen it since.
      const row = await this.shared.get(hash);
      session = row === undefined ? undefined : { ...row, touched: row.lastSeen };
    }
    if (session === undefined || !this.fresh(session)) {
      this.drop(hash);
      return undefined;
    }
    session.lastSeen = at;
    if (this.shared !== undefined && at - session.touched >= TOUCH_EVERY_MS) {
      // Ended elsewhere (the least recently used beyond the limit) and not told: gone.
      if (!(await this.shared.touch(hash, at))) {
        this.drop(hash);
        return undefined;
      }
      session.touched = at;
    }
    this.keep(session);
    return session;
  }

  /**
   * The live session with this id (open streams check theirs every second), not touched. With
   * shared sessions, one that looks idle here is read again from the database (it may have been
   * used on another node) and counts as live until that read says otherwise.
   */
  find(id: string): Session | undefined {
    const hash = this.hashById.get(id);
    const session = hash === undefined ? undefined : this.byHash.get(hash);
    if (session === undefined || hash === undefined) return undefined;
    if (this.fresh(session)) return session;
    if (this.shared === undefined || this.now() - session.createdAt > this.limits.absoluteMs) return undefined;
    if (!this.reloading.has(hash)) {
      this.reloading.add(hash);
      void this.shared
        .get(hash)
        .then(
          (row) => {
            if (row === undefined || !this.fresh(row)) this.drop(hash);
            else session.lastSeen = Math.max(session.lastSeen, row.lastSeen);
          },
          () => this.drop(hash),
        )
        .finally(() => this.reloading.delete(hash));
    }
    return session;
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

  private forget(which: (session: Session) => boolean): void {
    for (const [hash, session] of this.byHash) if (which(session)) this.drop(hash);
  }

  async end(secret: string): Promise<void> {
    const hash = hashOf(secret);
    this.drop(hash);
    await this.shared?.delete(hash);
  }

  /** Ends every session of a member (password reset, disabled). */
  async endFor(staffId: string): Promise<void> {
    this.forget((s) => s.staffId === staffId);
    await this.shared?.deleteFor(staffId);
  }

  /** Sessions this process holds (with shared sessions: the ones it has seen). */
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
