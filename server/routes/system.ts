import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Router } from 'express';
import { z } from 'zod';
import type { Engine } from '../../engine/index.ts';
import { reject } from '../../machines/index.ts';
import { packageRoot } from '../assets.ts';
import { staffOf } from '../auth.ts';
import { forbidIf } from '../http-problem.ts';

const VERSION = (
  JSON.parse(readFileSync(join(packageRoot(import.meta.dirname), 'package.json'), 'utf8')) as { version: string }
).version;

/** What `GET /api/system` answers (the 系统状态 page). */
export const SystemSchema = z
  .object({
    node: z.object({
      pid: z.number(),
      startedAt: z.string(),
      uptimeSeconds: z.number(),
      version: z.string(),
      nodeVersion: z.string(),
    }),
    store: z.object({
      kind: z.enum(['memory', 'file', 'postgres']),
      location: z.string(),
      health: z.union([
        z.object({ status: z.literal('ok') }),
        z.object({
          status: z.literal('degraded'),
          journal: z.object({ code: z.string(), message: z.string(), since: z.string() }),
        }),
      ]),
      position: z.number(),
      commits: z.number(),
      syncs: z.number(),
      journalBytes: z.number(),
      segments: z.number(),
      checkpointSeq: z.number(),
      checkpointAt: z.string().nullable(),
    }),
    staff: z.object({
      /** Where staff and tokens are: the data directory's staff.json, or the database's tables. */
      location: z.string(),
      /** `shared`: sign-in sessions in the database, good on every node; `node`: this process's memory. */
      sessions: z.enum(['shared', 'node']),
    }),
  })
  .meta({ id: 'System' });

/**
 * 系统状态 (hq): this node — its process, since when, which release — and the store it serves
 * from: embedded files or PostgreSQL, where, whether it can be written now, how far the journal
 * has come. What an operator checks first when something looks wrong.
 */
export function systemRoutes(
  engine: Engine,
  staff: { location: string; sessions: 'shared' | 'node' },
  startedAt = new Date(),
): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    forbidIf(
      staffOf(res).role === 'hq'
        ? null
        : reject('role', '只有三高办可以查看系统状态', 'only the campaign office (hq) sees the system status'),
    );
    const { syncSeconds: _seconds, ...stats } = engine.store.stats();
    res.json({
      node: {
        pid: process.pid,
        startedAt: startedAt.toISOString(),
        uptimeSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
        version: VERSION,
        nodeVersion: process.version,
      },
      store: { ...stats, health: await engine.store.health() },
      staff,
    } satisfies z.infer<typeof SystemSchema>);
  });
  return router;
}
