import { Router } from 'express';
import type { Engine } from '../../engine/index.ts';

/**
 * `GET /api/stream`: server-sent events of every journalled change — `transition` (accepted),
 * `refusal` and `created` — with a comment every 15 s to keep proxies from closing it.
 */
export function streamRoutes(engine: Engine, connections: Set<() => void>): Router {
  const router = Router();
  router.get('/', (req, res) => {
    res.set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    res.write('retry: 3000\n\n');
    const unsubscribe = engine.subscribe((notice) => {
      const name = notice.kind === 'event' ? 'transition' : notice.kind === 'refusal' ? 'refusal' : 'created';
      res.write(`id: ${notice.seq}\nevent: ${name}\ndata: ${JSON.stringify(notice)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    const close = () => {
      clearInterval(heartbeat);
      unsubscribe();
      connections.delete(close);
      res.end();
    };
    connections.add(close);
    req.on('close', close);
  });
  return router;
}
