import { Router } from 'express';
import { staffOf } from '../auth.ts';
import { HttpProblem } from '../http-problem.ts';
import type { StreamClient, StreamHub } from '../stream-hub.ts';

/**
 * `GET /api/stream`: server-sent events of every journalled change this caller may see —
 * `transition` (accepted), `refusal` and `created`, each with `id:` = the journal seq. A client
 * that reconnects with `Last-Event-ID` (browsers do it by themselves) gets what it missed.
 * See {@link StreamHub} for the limits that keep slow clients from exhausting memory.
 */
export function streamRoutes(hub: StreamHub, client: (res: Parameters<typeof staffOf>[0]) => StreamClient): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const staff = staffOf(res);
    const refusal = hub.refusal(staff);
    if (refusal !== null) {
      res.set('Retry-After', '30');
      throw new HttpProblem(
        refusal.reason === 'tooManyStreams' ? 503 : 429,
        'too-many-streams',
        {
          title: '连接过多',
          detail:
            refusal.reason === 'tooManyStreams'
              ? `实时推送连接已达上限 ${refusal.limit} 个,请稍后再试`
              : `每人最多同时打开 ${refusal.limit} 个实时推送连接`,
        },
        {
          title: 'Too many streams',
          detail:
            refusal.reason === 'tooManyStreams'
              ? `the server already holds ${refusal.limit} streams; retry later`
              : `at most ${refusal.limit} open streams per person`,
        },
      );
    }
    const lastEventId =
      req.get('last-event-id') ?? (typeof req.query.lastEventId === 'string' ? req.query.lastEventId : undefined);
    hub.open(res, client(res), lastEventId);
  });
  return router;
}
