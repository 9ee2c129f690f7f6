import type { Response } from 'express';
import type { ChangeNotice, Engine } from '../engine/index.ts';
import type { StaffMember } from '../machines/index.ts';

export interface StreamLimits {
  /** Bytes a client may fall behind (unsent, buffered) before it is dropped (default 1 MiB). */
  maxBufferBytes: number;
  /** A client that has not taken a byte for this long is dropped (default 60 s). */
  stalledMs: number;
  /** A comment line this often keeps proxies from closing a quiet stream (default 15 s). */
  heartbeatMs: number;
  /** Recent changes kept for clients that reconnect with `Last-Event-ID` (default 5,000). */
  replay: number;
  /** Open streams in all, and per staff member (defaults 1,000 and 10). */
  maxStreams: number;
  maxPerStaff: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  maxBufferBytes: 1 << 20,
  stalledMs: 60_000,
  heartbeatMs: 15_000,
  replay: 5000,
  maxStreams: 1000,
  maxPerStaff: 10,
};

/** Who a stream belongs to and what it may see. */
export interface StreamClient {
  staff: StaffMember;
  /** The credential it was opened with; revoking it closes the stream. */
  credential: string;
  /** Whether this client may see a change (the visibility setting). */
  sees: (notice: ChangeNotice) => boolean;
}

interface Connection extends StreamClient {
  res: Response;
  stalledSince: number | null;
  close: (reason: string | null) => void;
}

/** Why a stream could not be opened: too many already. */
export type OpenRefusal = { reason: 'tooManyStreams' | 'tooManyForStaff'; limit: number };

const NAMES: Record<ChangeNotice['kind'], string> = {
  event: 'transition',
  refusal: 'refusal',
  create: 'created',
  correction: 'correction',
};

/**
 * The server-sent event streams (`GET /api/stream`). One subscription to the engine; each
 * change is serialised once and written to every client that may see it. A client can never
 * make the server hold more than `maxBufferBytes` for it: past that, or after `stalledMs`
 * without taking a byte, it is sent a `dropped` event with the reason and disconnected — it
 * reconnects with `Last-Event-ID` and gets what it missed from the recent changes kept here
 * (or a `reset` event, when it fell further behind than those, to reload).
 *
 * @example
 * const hub = new StreamHub(engine);
 * router.get('/', (req, res) => hub.open(res, client, req.get('last-event-id')));
 */
export class StreamHub {
  private readonly connections = new Set<Connection>();
  /** The latest changes, for clients that reconnect. */
  private readonly recent: KeptChange[] = [];
  private readonly limits: StreamLimits;
  private readonly timer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  /** Streams dropped so far, by reason (for tests and health). */
  readonly dropped = { buffer: 0, stalled: 0, revoked: 0 };

  constructor(engine: Engine, limits: Partial<StreamLimits> = {}) {
    this.limits = { ...DEFAULT_STREAM_LIMITS, ...limits };
    this.unsubscribe = engine.subscribe((notice) => this.publish(notice));
    this.timer = setInterval(() => this.heartbeat(), this.limits.heartbeatMs);
    this.timer.unref();
  }

  get size(): number {
    return this.connections.size;
  }

  /** Whether one more stream may open for this member, or why not. */
  refusal(staff: StaffMember): OpenRefusal | null {
    if (this.connections.size >= this.limits.maxStreams)
      return { reason: 'tooManyStreams', limit: this.limits.maxStreams };
    let mine = 0;
    for (const c of this.connections) if (c.staff.id === staff.id) mine += 1;
    return mine >= this.limits.maxPerStaff ? { reason: 'tooManyForStaff', limit: this.limits.maxPerStaff } : null;
  }

  /** Starts a stream on `res`, first replaying what came after `lastEventId`. */
  open(res: Response, client: StreamClient, lastEventId: string | undefined): void {
    res.set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    res.write('retry: 3000\n\n');
    let closed = false;
    const connection: Connection = {
      ...client,
      res,
      stalledSince: null,
      close: (reason) => {
        if (closed) return;
        closed = true;
        this.connections.delete(connection);
        if (reason === null) {
          res.end();
          return;
        }
        // Tell the client why (if it still reads), then let go of whatever it left unread.
        res.end(`event: dropped\ndata: ${JSON.stringify({ reason })}\n\n`);
        setTimeout(() => res.destroy(), 2000).unref();
      },
    };
    res.on('drain', () => (connection.stalledSince = null));
    res.on('close', () => connection.close(null));
    this.connections.add(connection);
    this.replay(connection, lastEventId);
  }

  /** Closes every stream `which` selects (a revoked token, shutdown), telling each why. */
  closeWhere(which: (client: StreamClient) => boolean, reason: string): number {
    let n = 0;
    for (const c of [...this.connections]) {
      if (!which(c)) continue;
      if (reason === 'revoked') this.dropped.revoked += 1;
      c.close(reason);
      n += 1;
    }
    return n;
  }

  /** Ends every stream (shutdown) and stops listening to the engine. */
  close(): void {
    clearInterval(this.timer);
    this.unsubscribe();
    for (const c of [...this.connections]) c.close('shutdown');
  }

  private replay(c: Connection, lastEventId: string | undefined): void {
    if (lastEventId === undefined || !/^\d{1,15}$/.test(lastEventId)) return;
    const after = Number(lastEventId);
    const oldest = this.recent[0]?.notice.seq;
    if (oldest !== undefined && after < oldest - 1) {
      // Further behind than the changes kept: the client must reload what it shows.
      this.write(
        c,
        `event: reset\ndata: ${JSON.stringify({ reason: 'tooFarBehind', lastEventId: after, oldestKept: oldest })}\n\n`,
      );
      return;
    }
    for (const kept of this.recent) if (kept.notice.seq > after && c.sees(kept.notice)) this.write(c, textOf(kept));
  }

  private publish(notice: ChangeNotice): void {
    const kept: KeptChange = { notice };
    this.recent.push(kept);
    if (this.recent.length > this.limits.replay) this.recent.shift();
    // With nobody listening (an API client's server, a benchmark), nothing is serialised.
    if (this.connections.size === 0) return;
    for (const c of [...this.connections]) if (c.sees(notice)) this.write(c, textOf(kept));
  }

  private write(c: Connection, text: string): void {
    if (!c.res.write(text)) c.stalledSince ??= Date.now();
    if (c.res.writableLength > this.limits.maxBufferBytes) {
      this.dropped.buffer += 1;
      c.close('tooFarBehind');
    }
  }

  private heartbeat(): void {
    const now = Date.now();
    for (const c of [...this.connections]) {
      if (c.stalledSince !== null && now - c.stalledSince >= this.limits.stalledMs) {
        this.dropped.stalled += 1;
        c.close('stalled');
      } else this.write(c, ': keep-alive\n\n');
    }
  }
}

/** A change kept for reconnecting clients; its text is made when first sent. */
interface KeptChange {
  notice: ChangeNotice;
  text?: string;
}

/** A change as a server-sent event, made once however many clients it is written to. */
function textOf(kept: KeptChange): string {
  kept.text ??= `id: ${kept.notice.seq}\nevent: ${NAMES[kept.notice.kind]}\ndata: ${JSON.stringify(kept.notice)}\n\n`;
  return kept.text;
}
