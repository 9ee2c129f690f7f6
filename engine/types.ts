import type { EventOption, ProjectContext, ProjectStateValue, Rejection, WeiKey } from '../machines/index.ts';
import type { JournalEntry, Store } from '../store/index.ts';
import type { CreateProblem } from './entities.ts';

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
  /** The county's time zone, which decides what "today" is (default Asia/Shanghai). */
  timeZone?: string;
  /**
   * Events (and registrations) dated more than this many days after today are refused
   * (`eventDateFuture`); default 0 — nothing is reported before it happens.
   */
  futureToleranceDays?: number;
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
  /** A retry with the same key returns the first outcome and applies nothing twice. */
  idempotencyKey?: string;
}

export type SendOutcome =
  | { status: 'accepted'; id: string; seq: number; version: number; from: ProjectStateValue; to: ProjectStateValue; wei: WeiKey[]; replayed: boolean }
  | { status: 'rejected'; id: string; seq: number; version: number; rejection: Rejection; replayed: boolean }
  | { status: 'conflict'; id: string; version: number; ifMatch: readonly string[] }
  | { status: 'notFound'; id: string }
  | { status: 'keyReused'; id: string; idempotencyKey: string };

/** The outcome of sending an event to an entity of any kind (states are the machine's). */
export type EntitySendOutcome =
  | { status: 'accepted'; id: string; seq: number; version: number; from: unknown; to: unknown; wei: WeiKey[]; replayed: boolean }
  | Exclude<SendOutcome, { status: 'accepted' }>;

export type CreateOutcome =
  | { status: 'created'; id: string; seq: number; version: number; replayed: boolean }
  | { status: 'invalid'; problems: CreateProblem[] }
  | { status: 'exists'; id: string }
  | { status: 'keyReused'; idempotencyKey: string };

/** Any entity as stored: its state value and context. */
export interface EntityView {
  id: string;
  version: number;
  value: unknown;
  context: unknown;
}

/** A project as the API shows it. */
export interface ProjectView {
  id: string;
  version: number;
  machineVersion: number;
  value: ProjectStateValue;
  context: ProjectContext;
  wei: WeiKey[];
  /** Events the project's states accept now, with what blocks each. */
  options: EventOption[];
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

