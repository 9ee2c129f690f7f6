import type { InspectionEvent, Observer } from 'xstate';
import type { Rejection } from '../machines/index.ts';
import type { JournalEntry, JournalLink, RecordTags, Store } from '../store/index.ts';
import type { FieldProblem } from './kinds/index.ts';

/** The engine's options, outcomes and views (see engine.ts). */

export interface EngineOptions {
  store: Store;
  /** Wall clock for `recordedAt` (ISO 8601); inject a fixed one for reproducible simulations. */
  clock?: () => string;
  /**
   * Live actors kept in memory, most recently used (default 20,000 — more than a county's whole
   * portfolio). Beyond it the least recently used is stopped and restored on its next event
   * (≈ 30 µs): 100,000 live actors would hold ≈ 460 MB and make garbage collection dominate.
   */
  liveActors?: number;
  /**
   * Entities a replay (start-up, `verify`) keeps as machine snapshots before writing their
   * records, most recently replayed first (default 200,000). Beyond it the
   * least recently replayed is written to its record and restored from it when next needed.
   */
  replayCache?: number;
  /** The county's time zone, which decides what "today" is (default Asia/Shanghai). */
  timeZone?: string;
  /**
   * Events (and registrations) dated more than this many days after today are refused
   * (`eventDateFuture`); default 0 — nothing is reported before it happens.
   */
  futureToleranceDays?: number;
  /**
   * Receives XState's inspection events of every live actor (`createActor(…, { inspect })`):
   * set by `GONGJIAN_INSPECT=ws://…` to Stately's WebSocket inspector. Off by default.
   */
  inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
}

/** Who sends, and how. */
export interface SendOptions {
  /** Staff id, journalled with the event. */
  actor: string;
  /**
   * The versions the sender's change is based on (HTTP `If-Match`): `*` (any, the entity must
   * exist) or a list of version numbers as text; a version not listed is a conflict.
   */
  ifMatch?: '*' | readonly string[];
  /** A retry with the same key (same actor, same entity) returns the first outcome and applies nothing twice. */
  idempotencyKey?: string;
}

/** What became of an event sent to an entity whose state values are `V`. */
export type SendOutcome<V = unknown> =
  | { status: 'accepted'; id: string; seq: number; version: number; from: V; to: V; replayed: boolean }
  | { status: 'rejected'; id: string; seq: number; version: number; rejection: Rejection; replayed: boolean }
  | { status: 'conflict'; id: string; version: number; ifMatch: readonly string[] }
  | { status: 'notFound'; id: string }
  | { status: 'keyReused'; id: string; idempotencyKey: string };

export type CreateOutcome =
  | { status: 'created'; id: string; seq: number; version: number; replayed: boolean }
  | { status: 'invalid'; problems: FieldProblem[] }
  | { status: 'exists'; id: string }
  | { status: 'keyReused'; id: string; idempotencyKey: string };

/** One entry of an entity's journal, replayed: the state and context after it. */
export interface ReplayStep<V = unknown, C = unknown> {
  seq: number;
  kind: 'create' | 'event' | 'refusal' | 'correction';
  at: string | null;
  actor: string;
  recordedAt: string;
  event: { type: string } | null;
  rejection: Rejection | null;
  /** A correction (or a refused one): the entry it supersedes, whether it voids it, and why. */
  supersedes?: number;
  void?: boolean;
  reason?: string;
  version: number;
  value: V;
  context: C;
}

/** An entity as stored: its state value and context, version and tags. */
export interface EntityView<V = unknown, C = unknown> {
  id: string;
  version: number;
  machineVersion: number;
  value: V;
  context: C;
  tags: RecordTags;
}

/** Every journalled change, as the live stream sends it. */
export interface ChangeNotice {
  seq: number;
  kind: JournalEntry['kind'];
  entity: JournalEntry['entity'];
  id: string;
  actor: string;
  at: string | null;
  event: unknown;
  from?: unknown;
  to?: unknown;
  version: number;
  rejection?: Rejection;
  /** The unit the entity belongs to (a project's, a ladder's, a problem's assignee), if any. */
  unitId?: string;
}

/** A correction (更正) of an accepted event: a replacement event, or `void`, and why. */
export interface CorrectionRequest {
  /** Seq of the accepted event (journal entry) to correct. */
  seq: number;
  /** The event as it should have been (same type); absent when voiding. */
  event?: unknown;
  void?: boolean;
  reason: string;
}

export type CorrectOutcome<V = unknown> =
  | SendOutcome<V>
  | { status: 'invalid'; id: string; field: string; zh: string; en: string };

/** One step of {@link Engine.together}: create an entity, send it an event, or only check an event. */
export type LinkedStep =
  | { kind: string; id: string; create: unknown; link?: JournalLink; blobs?: string[] }
  | {
      kind: string;
      id: string;
      event: unknown;
      checkOnly?: boolean;
      link?: JournalLink;
      blobs?: string[];
      /** The versions the sender saw of this entity (HTTP `If-Match`); another is a conflict. */
      ifMatch?: '*' | readonly string[];
    };

export type TogetherOutcome =
  | {
      status: 'accepted';
      replayed: boolean;
      steps: { kind: string; id: string; seq: number; version: number; from?: unknown; to?: unknown }[];
    }
  | { status: 'rejected'; step: number; kind: string; id: string; seq: number; rejection: Rejection; replayed: boolean }
  | { status: 'invalid'; step: number; problems: FieldProblem[] }
  | { status: 'exists'; step: number; id: string }
  | { status: 'notFound'; step: number; id: string }
  | { status: 'conflict'; step: number; id: string; version: number; ifMatch: readonly string[] }
  | { status: 'keyReused'; id: string; idempotencyKey: string };
