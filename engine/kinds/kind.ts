import { createActor, type AnyStateMachine, type Snapshot, type StateNode } from 'xstate';
import type { z } from 'zod';
import {
  ROLE_LABELS,
  type Bilingual,
  type EventClock,
  type EventOption,
  type InputProblem,
  type MachineLabels,
  type Rejection,
  type Role,
  type StaffMember,
} from '../../machines/index.ts';
import type { RecordTags } from '../../store/index.ts';

/** One thing wrong with a creation input, naming the field. */
export type FieldProblem = InputProblem;

/** A persisted snapshot as read from disk (JSON). */
export interface PersistedSnapshot {
  status: string;
  value: unknown;
  context: Record<string, unknown>;
  [key: string]: unknown;
}

/** What a migration may read of the other entities (read-only), by kind. */
export interface MigrationContext {
  records(kind: string): { id: string; context: Record<string, unknown> }[];
}

export type SnapshotMigration = (snapshot: PersistedSnapshot, context: MigrationContext) => PersistedSnapshot;
export type InputMigration = (input: Record<string, unknown>, context: MigrationContext) => Record<string, unknown>;

/** An entity as the engine holds it: state value and context (typed per kind). */
export interface Shaped<V, C> {
  value: V;
  context: C;
}

/**
 * Everything the engine, the store, the server and the tools need to know about one kind of
 * entity — the one registry (`KINDS`). Adding a kind is writing its machine and one of these;
 * the engine names no kind.
 *
 * Type parameters: `V` the state value, `C` the context, `I` the creation input, `E` the events.
 */
export interface EntityKind<V = unknown, C = unknown, I = unknown, E extends { type: string } = { type: string }> {
  /** The persisted name (journal `entity`, store records) — never renamed. */
  kind: string;
  /** What people call one, e.g. 项目 / project. */
  label: Bilingual;
  machine: AnyStateMachine;
  /** Carried by every persisted snapshot; bump it with a migration when the context changes shape. */
  version: number;
  /** The creation input as the HTTP API and scenario files accept it (types and formats). */
  inputSchema: z.ZodType<I>;
  /** Every event, as a discriminated union on `type` (types and formats; the rules check values). */
  eventSchema: z.ZodType<E>;
  labels: MachineLabels<E['type']>;
  /** Further names people read (a project's permits and 八未, a ladder's steps), for tools. */
  moreLabels?: Readonly<Record<string, Readonly<Record<string, Bilingual>>>>;
  /** The machine's rules: each rule's name → its checks' names, in order (`/api/machines`, the inspector). */
  rules: Readonly<Record<string, readonly string[]>>;
  /** Who may send each event (for `/api/machines`; `forbidden` is the check). */
  roles: Readonly<Record<E['type'], readonly Role[]>>;
  /**
   * Everything wrong with an input, each naming its field; given the engine's clock, dates after
   * today too (not when replaying the journal, which passes no clock).
   */
  validate(input: unknown, clock?: EventClock): FieldProblem[];
  /** The persisted snapshot of a new entity, from a valid input. */
  initial(input: I): PersistedSnapshot;
  /** The day the input says the entity came into being (the creation's journal `at`), or null. */
  createdOn(input: I): string | null;
  /** Why the entity would refuse `event` (given the clock, one dated after today too), or null. */
  explain(view: Shaped<V, C>, event: unknown, clock?: EventClock): Rejection | null;
  /** The events its states take now, and what blocks each (payload aside). */
  options(view: Shaped<V, C>): EventOption[];
  /** What the store indexes it by (unit, stage, 八未…), derived from its state. */
  tags(view: Shaped<V, C>): RecordTags;
  /**
   * Tag names every record of the kind carries now. A record stored before a tag was added
   * (an older checkpoint) gets its tags recomputed when the store is opened.
   */
  tagNames?: readonly (keyof RecordTags)[];
  /** Why `staff` may not create one (null: they may). */
  createForbidden(staff: StaffMember): Rejection | null;
  /** Why `staff` may not send `type` to this entity (null: they may). */
  /** Whether this member may send this type of event; with `event`, its payload is judged too (who issues what). */
  forbidden(staff: StaffMember, type: string, entity: Shaped<V, C>, event?: unknown): Rejection | null;
  /** Snapshot and creation-input migrations, keyed by the version they migrate from. */
  migrations: Readonly<Record<number, SnapshotMigration>>;
  inputMigrations: Readonly<Record<number, InputMigration>>;
}

/** A kind with its types erased, as the engine handles them all alike. */
export type AnyEntityKind = EntityKind<unknown, unknown, unknown, { type: string }>;

/** Declares a kind, checking its parts against each other. */
export function defineKind<V, C, I, E extends { type: string }>(kind: EntityKind<V, C, I, E>): EntityKind<V, C, I, E> {
  return kind;
}

/**
 * A machine snapshot as it is persisted. XState types a persisted snapshot as its generic
 * `Snapshot<unknown>`; ours are always machine snapshots (status, value, context).
 */
export function persisted(snapshot: Snapshot<unknown>): PersistedSnapshot {
  return snapshot as unknown as PersistedSnapshot;
}

/** A machine snapshot read back from disk, as `createActor` takes it. */
export function restorable(snapshot: PersistedSnapshot): Snapshot<unknown> {
  return snapshot as unknown as Snapshot<unknown>;
}

/** The persisted snapshot of a machine started with `input` (machines whose context comes from input). */
export function startedWith(machine: AnyStateMachine, input: unknown): PersistedSnapshot {
  return persisted(createActor(machine, { input }).getPersistedSnapshot());
}

/**
 * Whether a persisted state value names states the machine has — parallel regions, compound and
 * atomic states alike. A snapshot whose states were renamed or removed needs a migration.
 */
export function isKnownStateValue(node: StateNode, value: unknown): boolean {
  // Counted with for…in, not Object.entries: a restore checks every snapshot, and allocates nothing for it.
  const children = keyCount(node.states);
  if (children === 0)
    return value === undefined || (typeof value === 'object' && value !== null && keyCount(value) === 0);
  if (typeof value === 'string')
    return node.type !== 'parallel' && Object.hasOwn(node.states, value) && keyCount(node.states[value]!.states) === 0;
  if (typeof value !== 'object' || value === null) return false;
  const given = value as Record<string, unknown>;
  // A parallel state names every region; a compound one, exactly one child.
  if (keyCount(given) !== (node.type === 'parallel' ? children : 1)) return false;
  for (const key in given) {
    if (!Object.hasOwn(given, key)) continue;
    if (!Object.hasOwn(node.states, key) || !isKnownStateValue(node.states[key]!, given[key])) return false;
  }
  return true;
}

/** How many own enumerable keys an object has (Object.keys(o).length without the array). */
function keyCount(o: object): number {
  let n = 0;
  for (const key in o) if (Object.hasOwn(o, key)) n += 1;
  return n;
}

/**
 * Why `staff` may send no event at all to this entity — checked before a request's body is read,
 * so a caller who may not act learns that, not what their payload lacks — or null.
 */
export function actionForbidden<V, C>(
  kind: EntityKind<V, C, unknown, { type: string }>,
  staff: StaffMember,
  entity: Shaped<V, C>,
): Rejection | null {
  const reasons: Rejection[] = [];
  for (const type of Object.keys(kind.roles)) {
    const why = kind.forbidden(staff, type, entity);
    if (why === null) return null;
    reasons.push(why);
  }
  // Allowed some events by role, refused for another reason (another unit's): say that.
  return reasons.find((r) => r.rule !== 'role') ?? roleMayNot(kind, staff);
}

function roleMayNot(kind: EntityKind<never, never, unknown, { type: string }>, staff: StaffMember): Rejection {
  const roles = [...new Set(Object.values<readonly Role[]>(kind.roles).flat())];
  return {
    rule: 'role',
    zh:
      `角色「${ROLE_LABELS[staff.role].zh}」不能对${kind.label.zh}报送任何事项;` +
      `可报送的角色:${roles.map((r) => ROLE_LABELS[r].zh).join('、')}`,
    en: `role "${staff.role}" sends nothing to a ${kind.label.en}; the roles that do: ${roles.join(', ')}`,
  };
}
