import type { Request, Response } from 'express';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Engine } from '../engine/index.ts';

/**
 * `/metrics` in Prometheus text format: events accepted and refused by kind and type (from the
 * engine's change stream), request latency, fsyncs and what they carried, checkpoint age, live
 * actors and stream clients. One registry per app (tests run several apps in one process).
 */
export function createMetrics(engine: Engine, streams: () => number) {
  const registry = new Registry();
  const events = new Counter({
    name: 'gongjian_journal_entries_total',
    help: 'Journal entries since start, by entity kind, entry kind (event, refusal, create, correction) and event type',
    labelNames: ['entity', 'kind', 'type'] as const,
    registers: [registry],
  });
  engine.subscribe((notice) => {
    const type = (notice.event as { type?: unknown } | null)?.type;
    events.inc({ entity: notice.entity, kind: notice.kind, type: typeof type === 'string' ? type : '' });
  });
  const latency = new Histogram({
    name: 'gongjian_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  const stats = () => engine.store.stats();
  gauge('gongjian_journal_position', 'Seq of the last journal entry applied', () => stats().position);
  gauge(
    'gongjian_journal_bytes',
    'Bytes of the journal on disk (sealed segments as compressed)',
    () => stats().journalBytes,
  );
  gauge('gongjian_journal_segments', 'Sealed journal segments', () => stats().segments);
  gauge('gongjian_fsync_total', 'Group commits (one write and one fdatasync each) since start', () => stats().syncs);
  gauge('gongjian_fsync_seconds_total', 'Seconds spent in fdatasync since start', () => stats().syncSeconds);
  gauge('gongjian_group_commit_size', 'Commits per fdatasync since start (average)', () => {
    const s = stats();
    return s.syncs === 0 ? 0 : s.commits / s.syncs;
  });
  gauge('gongjian_checkpoint_age_seconds', 'Seconds since the checkpoint was written (or read at start)', () => {
    const at = stats().checkpointAt;
    return at === null ? 0 : (Date.now() - Date.parse(at)) / 1000;
  });
  gauge('gongjian_checkpoint_lag_entries', 'Journal entries not yet in the checkpoint', () => {
    const s = stats();
    return s.position - s.checkpointSeq;
  });
  gauge('gongjian_live_actors', 'Entities held as live actors in memory', () => engine.liveActorCount);
  gauge('gongjian_stream_clients', 'Open /api/stream connections', streams);

  /**
   * Times a finished request (given to `requestLog`, which already listens for the end of every
   * request); the route label is the matched route (never the raw path: no ids).
   */
  const observe = (req: Request, res: Response, ms: number): void => {
    // The router's mount point from the address (req.baseUrl is gone once an error has left
    // the router), then the matched route's pattern: never an id.
    const path = req.route === undefined ? null : String((req.route as { path: unknown }).path);
    const mount = /^\/api\/[a-z-]+/.exec(req.originalUrl)?.[0] ?? '';
    const route = path === null ? 'unmatched' : `${mount}${path === '/' && mount !== '' ? '' : path}`;
    latency.observe({ method: req.method, route, status: String(res.statusCode) }, ms / 1000);
  };
  const serve = async (_req: Request, res: Response) => {
    res.type(registry.contentType).send(await registry.metrics());
  };
  return { registry, observe, serve };
}
