import compression from 'compression';
import express from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { CampaignService, FilingService, type ChangeNotice, type Engine } from '../engine/index.ts';
import { maySee, type StaffMember, type Visibility } from '../machines/index.ts';
import type { StaffDirectory } from '../engine/index.ts';
import { credentialOf, identify, refuseCrossSite, requireIdentity, requirePasswordChanged, staffOf } from './auth.ts';
import { limitFailedAuth, type AuthLimit } from './auth-limit.ts';
import { HttpProblem, httpProblemHandler } from './http-problem.ts';
import type { LogSinkStats } from './log-sink.ts';
import { requestLog } from './request-log.ts';
import { campaignRoutes } from './routes/campaigns.ts';
import { blobRoutes, filingRoutes } from './routes/filings.ts';
import { programmeRoutes } from './routes/programmes.ts';
import { createMetrics } from './metrics.ts';
import { docsRoutes, machineRoutes, publicRoutes, vocabularyRoutes } from './routes/meta.ts';
import { problemRoutes } from './routes/problems.ts';
import { projectRoutes } from './routes/projects.ts';
import { streamRoutes } from './routes/stream.ts';
import { StreamHub, type StreamLimits } from './stream-hub.ts';
import { unitRoutes } from './routes/units.ts';
import { sessionRoutes, type SignInLimit } from './routes/session.ts';
import { staffRoutes } from './routes/staff.ts';
import { systemRoutes } from './routes/system.ts';
import { SessionStore, type SessionLimits, type SharedSessions } from './sessions.ts';
import { webRoutes } from './web.ts';

/** The security headers of the JSON API (pages get helmet's defaults). */
export const apiHeaders = helmet({
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
});
const pageHeaders = helmet();
const securityHeaders = (req: express.Request, res: express.Response, next: express.NextFunction) =>
  (req.path.startsWith('/api/') && !req.path.startsWith('/api/docs') ? apiHeaders : pageHeaders)(req, res, next);

export interface AppOptions {
  engine: Engine;
  staff: StaffDirectory;
  logger: Logger;
  /** What the log destination has dropped (shown by /healthz). */
  logStats?: () => LogSinkStats;
  /** Limits of the server-sent event streams (defaults in stream-hub.ts). */
  streams?: Partial<StreamLimits>;
  /** Failed authentications allowed per address and window (defaults in auth-limit.ts). */
  authLimit?: AuthLimit;
  /** Express's `trust proxy` (behind nginx: its address), so client addresses are real. */
  trustProxy?: string | number | boolean;
  /** Who reads what: `county` (default, everyone reads everything) or `unit` (machines/permissions.ts). */
  visibility?: Visibility;
  /** Sign-in sessions' expiry and number (defaults in sessions.ts). */
  sessions?: Partial<SessionLimits>;
  /** Sessions shared by several nodes in the database (`PgStore.sessionStorage()`); default in memory. */
  sharedSessions?: SharedSessions;
  /** Failed sign-ins allowed per user name and window (defaults in routes/session.ts). */
  signInLimit?: SignInLimit;
  /** Serve the web app from this directory (its Vite build); default `web/dist` of the package, if built. */
  webRoot?: string | null;
}

/** What a member's live stream carries under the visibility setting. */
function streamFilter(engine: Engine, staff: StaffMember, visibility: Visibility): (notice: ChangeNotice) => boolean {
  if (visibility === 'county' || staff.role !== 'unit') return () => true;
  return (notice) => {
    if (notice.entity === 'campaign') return true;
    if (notice.entity === 'problem') {
      const projectId = (engine.get('problem', notice.id)?.context as { projectId?: string } | undefined)?.projectId;
      return (
        maySee(staff, notice.unitId, visibility) ||
        maySee(staff, projectId === undefined ? undefined : engine.tags('project', projectId)?.unitId, visibility)
      );
    }
    return maySee(staff, notice.unitId, visibility);
  };
}

/**
 * Builds the Express app; never listens (`cli/serve-command.ts` does). Thin: authenticate,
 * authorise, validate, call the engine, map the outcome.
 *
 * @example
 * const { app } = createApp({ engine, staff, logger: pino() });
 * await request(app).get('/healthz');
 */
export function createApp({
  engine,
  staff,
  logger,
  logStats,
  streams,
  authLimit,
  trustProxy = false,
  visibility = 'county',
  sessions: sessionLimits,
  sharedSessions,
  signInLimit,
  webRoot,
}: AppOptions) {
  const app = express();
  const hub = new StreamHub(engine, streams);
  const sessions = new SessionStore(sessionLimits, Date.now, sharedSessions);
  app.disable('x-powered-by');
  // ETag is the entity's version (If-Match); Express's body-hash ETags would contradict it.
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.set('trust proxy', trustProxy);
  const metrics = createMetrics(engine, () => hub.size);
  app.use(requestLog(logger, metrics.observe));
  // JSON API: the headers that matter for an API (no framing, no sniffing, no referrer, nothing
  // to load). Pages (API reference, and later the dashboard and inspector): helmet's defaults.
  app.use(securityHeaders);
  // gzip for the web app's scripts and larger JSON (a phone on a site's mobile network), never
  // for the live stream (its events must leave at once, not wait in a compression buffer).
  // (originalUrl: the filter runs when the answer starts, inside a router that has cut `req.path`.)
  // Only reads: a change's answer is a short outcome, and wrapping every response costs each
  // event request its share (≈ 2 % of the events endpoint's CPU, bench/http.ts profile).
  const compress = compression({
    filter: (req, res) =>
      !req.originalUrl.startsWith('/api/stream') &&
      res.getHeader('Content-Type') !== 'text/event-stream' &&
      compression.filter(req, res),
  });
  app.use((req, res, next) => (req.method === 'GET' || req.method === 'HEAD' ? compress(req, res, next) : next()));
  app.use(express.json({ limit: '100kb', strict: true }));
  app.use(publicRoutes({ store: engine.store, logStats }));
  // Prometheus scrapes it without a token, like /healthz: counts and timings, no data.
  app.get('/metrics', metrics.serve);
  app.use('/api/docs', docsRoutes());
  app.use('/api', identify(staff, sessions), limitFailedAuth(logger, authLimit), refuseCrossSite);
  app.use('/api/session', sessionRoutes(staff, sessions, sessionLimits?.absoluteMs ?? 7 * 86_400_000, signInLimit));
  app.use('/api', requireIdentity, requirePasswordChanged);
  // Mounted under their prefixes, so a request walks only its own router's routes.
  const campaigns = new CampaignService(engine);
  const filings = new FilingService(engine);
  app.use('/api/staff', staffRoutes(staff, sessions, campaigns));
  app.use(
    '/api/system',
    systemRoutes(engine, { location: staff.location, sessions: sharedSessions === undefined ? 'node' : 'shared' }),
  );
  app.use(
    '/api/projects',
    projectRoutes(engine, campaigns, filings, visibility, (id) => staff.account(id)?.name),
  );
  app.use('/api/filings', filingRoutes(engine, filings, visibility));
  app.use('/api/blobs', blobRoutes(engine));
  app.use('/api/programmes', programmeRoutes(engine, campaigns, filings, visibility));
  app.use('/api/campaigns', campaignRoutes(engine, campaigns, visibility));
  app.use('/api/problems', problemRoutes(engine, campaigns, visibility));
  app.use('/api/units', unitRoutes(engine, visibility));
  app.use('/api/machines', machineRoutes());
  app.use('/api/vocabulary', vocabularyRoutes());
  app.use(
    '/api/stream',
    streamRoutes(hub, (res) => ({
      staff: staffOf(res),
      credential: credentialOf(res),
      sees: streamFilter(engine, staffOf(res), visibility),
    })),
  );
  app.use(webRoutes(webRoot));
  app.use((req, _res) => {
    throw new HttpProblem(
      404,
      'not-found',
      { title: '未找到', detail: `没有 ${req.method} ${req.path}` },
      { title: 'Not found', detail: `no ${req.method} ${req.path}` },
    );
  });
  app.use(httpProblemHandler(logger));
  // Revoked and expired tokens, and ended sessions, lose their open streams within a second.
  const credentialLive = (credential: string): boolean => {
    if (!credential.startsWith('s_')) return staff.isActive(credential);
    const session = sessions.find(credential);
    return session !== undefined && staff.sessionMember(session.staffId, session.passwordSetAt) !== null;
  };
  const watch = setInterval(() => {
    try {
      staff.refresh();
      hub.closeWhere((client) => !credentialLive(client.credential), 'revoked');
    } catch (err) {
      logger.warn({ err }, 'staff.json could not be checked; tokens stay as last read');
    }
  }, 1000);
  watch.unref();
  return {
    app,
    hub,
    closeStreams: () => {
      clearInterval(watch);
      hub.close();
    },
  };
}
