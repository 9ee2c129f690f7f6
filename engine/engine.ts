import { createActor, type AnyActor } from 'xstate';
import { addDays, isIsoDate, type EventClock, type Rejection } from '../machines/index.ts';
import { StoreError, type EntityRecord, type JournalEntry, type ListFilter, type Store } from '../store/index.ts';
import { KeyedQueue } from './keyed-queue.ts';
import {
  ALL_KINDS,
  isKnownStateValue,
  kindOf,
  parseWithProblems,
  restorable,
  type AnyEntityKind,
  type ContextOf,
  type KindName,
  type MigrationContext,
  type PersistedSnapshot,
  type ValueOf,
} from './kinds/index.ts';
import { migrateInput, migrateSnapshot } from './migrations.ts';
import { snapshotText } from './snapshot-text.ts';
import { stableStringify } from './stable-json.ts';
import type {
  ChangeNotice,
  CreateOutcome,
  EngineOptions,
  EntityView,
  ReplayStep,
  SendOptions,
  SendOutcome,
} from './types.ts';

/**
 * The engine: entities of every registered kind (`engine/kinds`) as live XState actors over a
 * durable store. It names no kind: what it knows of one comes from its registry entry. Events
 * for one entity are applied strictly one after another; an event is acknowledged only once its
 * journal entry is on disk; a refusal changes nothing but is journalled too.
 *
 * @example
 * const engine = new Engine({ store: new FileStore('./data') });
 * await engine.open();
 * const project = { id: 'p1', name: '晶彩电子二期', unitId: 'park', plannedInvestment: 30000 };
 * await engine.create('project', project, { actor: 'hq-1' });
 * const sign = { type: 'SIGN', contractAmount: 12000, at: '2022-08-02' };
 * const outcome = await engine.send('project', 'p1', sign, { actor: 'park-1' });
 */
export class Engine {
  readonly store: Store;
  private readonly clock: () => string;
  private readonly actors = new Map<string, AnyActor>();
  private readonly queue = new KeyedQueue();
  private readonly listeners = new Set<(notice: ChangeNotice) => void>();
  private readonly liveActors: number;
  private readonly todayIn: Intl.DateTimeFormat;
  private readonly futureToleranceDays: number;
  /** Stately's inspector, when `GONGJIAN_INSPECT` asks for it. */
  private readonly inspect: EngineOptions['inspect'];
  /** What migrations may read of other entities: their current (parsed) contexts. */
  private readonly migrations: MigrationContext = {
    records: (kind) => this.store.list(kind).map((r) => ({ id: r.id, context: parseSnapshot(r).context })),
  };

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.liveActors = options.liveActors ?? 20_000;
    this.clock = options.clock ?? (() => new Date().toISOString());
    this.todayIn = new Intl.DateTimeFormat('en-CA', { timeZone: options.timeZone ?? 'Asia/Shanghai' });
    this.futureToleranceDays = options.futureToleranceDays ?? 0;
    this.inspect = options.inspect;
  }

  /** Today in the county (by the engine's clock) and the latest date an event may carry. */
  eventClock(): EventClock {
    const today = this.todayIn.format(new Date(this.clock()));
    return { today, latestDate: addDays(today, this.futureToleranceDays) };
  }

  /**
   * Opens the store, migrates old snapshots, and replays the journal after the checkpoint. A
   * failure releases the store untouched: a partial replay never becomes a checkpoint.
   */
  async open(): Promise<void> {
    const tail = await this.store.open();
    try {
      this.load(tail);
    } catch (err) {
      this.actors.clear();
      await this.store.close({ checkpoint: false });
      throw err;
    }
  }

  private load(tail: JournalEntry[]): void {
    for (const kind of ALL_KINDS) {
      for (const record of this.store.list(kind.kind)) {
        const snapshot = this.migratedSnapshot(record);
        assertKnownState(kind, record.id, snapshot);
        // Tags follow their definition (a rule of which 八未 apply may have changed since the
        // checkpoint): recomputed, and the record rewritten only when they differ.
        const tags = kind.tags(snapshot);
        if (record.machineVersion !== kind.version || stableStringify(tags) !== stableStringify(record.tags)) {
          this.store.restore({
            ...record,
            machineVersion: kind.version,
            snapshot: snapshotText(snapshot),
            tags,
          });
        }
      }
    }
    for (const entry of tail) this.applyJournalEntry(entry);
  }

  /** A stored snapshot brought up to its kind's current machine version (parsed). */
  migratedSnapshot(record: EntityRecord): PersistedSnapshot {
    return migrateSnapshot(
      kindOf(record.entity),
      record.id,
      record.machineVersion,
      parseSnapshot(record),
      this.migrations,
    );
  }

  /**
   * Re-applies one journal entry without journalling it (start-up replay, `verify`). Throws if
   * the machines disagree with the journal: an accepted event now refused or ending elsewhere,
   * or a refusal the same machine version would now accept.
   */
  applyJournalEntry(entry: JournalEntry): void {
    const kind = kindOf(entry.entity);
    if (entry.kind === 'create') {
      const input = migrateInput(kind, entry.machineVersion, entry.input, this.migrations);
      const problems = kind.validate(input);
      if (problems.length > 0)
        throw replayError(
          entry,
          `the creation input is now invalid: ${problems.map((p) => `${p.field}: ${p.en}`).join('; ')}`,
        );
      const snapshot = kind.initial(input);
      this.store.restore({
        entity: entry.entity,
        id: entry.id,
        version: 1,
        machineVersion: kind.version,
        snapshot: snapshotText(snapshot),
        tags: kind.tags(snapshot),
        seq: entry.seq,
      });
      return;
    }
    const record = this.store.get(entry.entity, entry.id);
    if (record === undefined) throw replayError(entry, `the ${entry.entity} does not exist`);
    const actor = this.actorFor(record);
    const before = shapeOf(actor);
    if (entry.kind === 'refusal') {
      if (entry.machineVersion !== kind.version) return;
      const rejection = entry.rejection as Rejection | undefined;
      // A refusal for a date in the future is checked again against the day it was refused on.
      const then =
        rejection?.today !== undefined && rejection.latestDate !== undefined
          ? { today: rejection.today, latestDate: rejection.latestDate }
          : undefined;
      const again = kind.explain(before, entry.event, then);
      if (again?.rule !== rejection?.rule)
        throw replayError(
          entry,
          `refused by rule ${String(rejection?.rule)}, now ${again === null ? 'accepted' : `refused by ${again.rule}`}`,
        );
      return;
    }
    // The journal says accepted: the machine must accept it again, not merely end in the same state.
    const refused = entry.machineVersion === kind.version ? kind.explain(before, entry.event) : null;
    if (refused !== null) {
      this.forget(entry.entity, entry.id);
      throw replayError(
        entry,
        `the journal says accepted, the machine now refuses it by rule ${refused.rule} (${refused.en})`,
      );
    }
    actor.send(entry.event as { type: string });
    const after = shapeOf(actor);
    if (stableStringify(after.value) !== stableStringify(entry.to)) {
      this.forget(entry.entity, entry.id);
      throw replayError(
        entry,
        `the machine gives ${JSON.stringify(after.value)}, the journal says ${JSON.stringify(entry.to)}`,
      );
    }
    this.store.restore({
      ...record,
      version: entry.version,
      snapshot: snapshotText(actor.getPersistedSnapshot()),
      tags: kind.tags(after),
      seq: entry.seq,
    });
  }

  /**
   * Restores live actors ahead of their first event (up to the live-actor limit), a slice at a
   * time, yielding to the event loop between slices so requests are served meanwhile. Optional:
   * without it, each entity is restored on its first event (≈ 30–60 µs once).
   */
  async warmUp(onProgress?: (done: number, total: number) => void): Promise<void> {
    const records = ALL_KINDS.flatMap((kind) => this.store.list(kind.kind)).slice(0, this.liveActors);
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      this.actorFor(this.store.get(record.entity, record.id) ?? record);
      if ((i + 1) % 500 === 0) {
        onProgress?.(i + 1, records.length);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    onProgress?.(records.length, records.length);
  }

  private forget(entity: string, id: string): void {
    this.actors.delete(`${entity} ${id}`);
  }

  /** The live actor of an entity: from the cache (most recently used first), else restored. */
  private actorFor(record: EntityRecord): AnyActor {
    const key = `${record.entity} ${record.id}`;
    let actor = this.actors.get(key);
    if (actor !== undefined) {
      this.actors.delete(key);
      this.actors.set(key, actor);
      return actor;
    }
    actor = restoreActor(record, this.inspect);
    this.actors.set(key, actor);
    if (this.actors.size > this.liveActors) {
      // Dropping the reference is enough: these actors have no timers or children to stop.
      this.actors.delete(this.actors.keys().next().value as string);
    }
    return actor;
  }

  /**
   * Registers an entity of a kind. Its input is validated in full (each problem names its
   * field; a date after today is refused); a duplicate id is refused.
   */
  async create(kindName: KindName, input: unknown, options: SendOptions): Promise<CreateOutcome> {
    const kind = kindOf(kindName);
    const id = String((input as { id?: unknown } | null)?.id);
    return this.queue.run(`${kind.kind} ${id}`, async () => {
      if (options.idempotencyKey !== undefined) {
        const prior = this.store.findByIdempotencyKey({
          actor: options.actor,
          entity: kind.kind,
          id,
          key: options.idempotencyKey,
        });
        if (prior !== undefined) {
          if (prior.kind !== 'create' || stableStringify(prior.input) !== stableStringify(input))
            return { status: 'keyReused', id, idempotencyKey: options.idempotencyKey };
          return { status: 'created', id, seq: prior.seq, version: prior.version, replayed: true };
        }
      }
      // The kind's schema checks the input's shape (the same as over HTTP), the kind its meaning.
      const parsed = parseWithProblems(kind.inputSchema, input);
      const problems = parsed.ok ? kind.validate(parsed.data, this.eventClock()) : parsed.problems;
      if (problems.length > 0) return { status: 'invalid', problems };
      if (this.store.get(kind.kind, id) !== undefined) return { status: 'exists', id };
      const snapshot = kind.initial(input);
      const record: EntityRecord = {
        entity: kind.kind,
        id,
        version: 1,
        machineVersion: kind.version,
        snapshot: snapshotText(snapshot),
        tags: kind.tags(snapshot),
        seq: 0,
      };
      const at = kind.createdOn(input);
      const entry = await this.store.commit(
        {
          kind: 'create',
          entity: kind.kind,
          id,
          at: isIsoDate(at) ? at : null,
          actor: options.actor,
          input,
          version: 1,
          machineVersion: kind.version,
          idempotencyKey: options.idempotencyKey,
          recordedAt: this.clock(),
        },
        record,
      );
      this.notify(entry);
      return { status: 'created', id, seq: entry.seq, version: 1, replayed: false };
    });
  }

  /** Sends one event to one entity; see {@link SendOutcome}. */
  async send<K extends KindName>(
    kindName: K,
    id: string,
    event: unknown,
    options: SendOptions,
  ): Promise<SendOutcome<ValueOf<K>>> {
    const kind = kindOf(kindName);
    const outcome = await this.queue.run(`${kind.kind} ${id}`, () => this.apply(kind, id, event, options));
    return outcome as SendOutcome<ValueOf<K>>;
  }

  /**
   * "What if": the outcome the event would have now — the same checks as {@link send} (If-Match,
   * the rules, today's date) on a copy of the entity — with nothing journalled, no version
   * taken and the live actor untouched.
   */
  dryRun<K extends KindName>(kindName: K, id: string, event: unknown, options: Pick<SendOptions, 'ifMatch'> = {}) {
    const kind = kindOf(kindName);
    const record = this.store.get(kind.kind, id);
    if (record === undefined) return { status: 'notFound', id } as const;
    const ifMatch = options.ifMatch;
    if (ifMatch !== undefined && ifMatch !== '*' && !ifMatch.includes(String(record.version)))
      return { status: 'conflict', id, version: record.version, ifMatch } as const;
    const copy = restoreActor(record);
    const before = shapeOf(copy);
    const rejection = kind.explain(before, event, this.eventClock());
    if (rejection !== null) return { status: 'rejected', id, version: record.version, rejection } as const;
    copy.send(event as { type: string });
    const after = shapeOf(copy);
    return {
      status: 'accepted',
      id,
      version: record.version,
      from: before.value as ValueOf<K>,
      to: after.value as ValueOf<K>,
      context: after.context as ContextOf<K>,
    } as const;
  }

  /**
   * The entity's journal replayed step by step (the inspector's time travel): after each entry,
   * the state value and context the machine gives — from the creation input through every
   * accepted event; a refusal leaves both as they were and carries its reason.
   */
  async replay<K extends KindName>(kindName: K, id: string): Promise<ReplayStep<ValueOf<K>, ContextOf<K>>[]> {
    const kind = kindOf(kindName);
    const steps: ReplayStep<ValueOf<K>, ContextOf<K>>[] = [];
    let actor: AnyActor | null = null;
    for (const entry of await this.store.history(kind.kind, id)) {
      if (entry.kind === 'create') {
        const input = migrateInput(kind, entry.machineVersion, entry.input, this.migrations);
        actor = createActor(kind.machine, { snapshot: restorable(kind.initial(input)) }).start();
      } else if (actor !== null && entry.kind === 'event') actor.send(entry.event as { type: string });
      if (actor === null) continue;
      const now = shapeOf(actor);
      steps.push({
        seq: entry.seq,
        kind: entry.kind,
        at: entry.at,
        actor: entry.actor,
        recordedAt: entry.recordedAt,
        event: (entry.event as { type: string } | undefined) ?? null,
        rejection: (entry.rejection as Rejection | undefined) ?? null,
        version: entry.version,
        value: now.value as ValueOf<K>,
        context: now.context as ContextOf<K>,
      });
    }
    return steps;
  }

  private async apply(kind: AnyEntityKind, id: string, event: unknown, options: SendOptions): Promise<SendOutcome> {
    if (options.idempotencyKey !== undefined) {
      const prior = this.store.findByIdempotencyKey({
        actor: options.actor,
        entity: kind.kind,
        id,
        key: options.idempotencyKey,
      });
      if (prior !== undefined) return replayedOutcome(prior, id, event, options.idempotencyKey);
    }
    const record = this.store.get(kind.kind, id);
    if (record === undefined) return { status: 'notFound', id };
    const ifMatch = options.ifMatch;
    if (ifMatch !== undefined && ifMatch !== '*' && !ifMatch.includes(String(record.version))) {
      return { status: 'conflict', id, version: record.version, ifMatch };
    }
    const actor = this.actorFor(record);
    const before = shapeOf(actor);
    const at = (event as { at?: unknown } | null)?.at;
    const draft = {
      entity: kind.kind,
      id,
      at: isIsoDate(at) ? at : null,
      actor: options.actor,
      event,
      machineVersion: kind.version,
      idempotencyKey: options.idempotencyKey,
      recordedAt: this.clock(),
    };
    const rejection = kind.explain(before, event, this.eventClock());
    if (rejection !== null) {
      const entry = await this.store.commit({ ...draft, kind: 'refusal', version: record.version, rejection }, null);
      this.notify(entry);
      return { status: 'rejected', id, seq: entry.seq, version: record.version, rejection, replayed: false };
    }
    actor.send(event as { type: string });
    const after = shapeOf(actor);
    let entry: JournalEntry;
    let next: EntityRecord;
    try {
      next = {
        ...record,
        version: record.version + 1,
        snapshot: snapshotText(actor.getPersistedSnapshot()),
        tags: kind.tags(after),
      };
      entry = await this.store.commit(
        { ...draft, kind: 'event', from: before.value, to: after.value, version: next.version },
        next,
      );
    } catch (err) {
      // The actor moved but the journal did not: forget it, the record still holds the truth.
      this.forget(kind.kind, id);
      throw err;
    }
    this.notify(entry);
    return {
      status: 'accepted',
      id,
      seq: entry.seq,
      version: next.version,
      from: before.value,
      to: after.value,
      replayed: false,
    };
  }

  /** An entity's current state: value, context, version and tags (typed by its kind). */
  get<K extends KindName>(kind: K, id: string): EntityView<ValueOf<K>, ContextOf<K>> | undefined {
    const record = this.store.get(kind, id);
    return record === undefined ? undefined : viewOf(record);
  }

  /** Every entity of a kind, optionally filtered by its tags (unit, stage, 八未…). */
  list<K extends KindName>(kind: K, filter?: ListFilter): EntityView<ValueOf<K>, ContextOf<K>>[] {
    return this.store.list(kind, filter).map((record) => viewOf(record));
  }

  /**
   * Id, version and tags of every entity of a kind matching the filter, without parsing a
   * snapshot: what lists of 100,000 projects are filtered, counted and sorted by.
   */
  summaries(kind: KindName, filter?: ListFilter): { id: string; version: number; tags: EntityRecord['tags'] }[] {
    return this.store.list(kind, filter);
  }

  /** An entity's tags (unit, stage…) without parsing its snapshot: cheap, for permission checks. */
  tags(kind: KindName, id: string): EntityRecord['tags'] | undefined {
    return this.store.get(kind, id)?.tags;
  }

  /** The journal of one entity: creation, accepted events and refusals, oldest first. */
  history(kind: KindName, id: string): Promise<JournalEntry[]> {
    return this.store.history(kind, id);
  }

  /** Listen to every journalled change; returns the unsubscribe function. */
  subscribe(listener: (notice: ChangeNotice) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(entry: JournalEntry): void {
    const notice: ChangeNotice = {
      seq: entry.seq,
      kind: entry.kind,
      entity: entry.entity,
      id: entry.id,
      actor: entry.actor,
      at: entry.at,
      event: entry.kind === 'create' ? { type: 'CREATE' } : entry.event,
      from: entry.from,
      to: entry.to,
      version: entry.version,
      rejection: entry.rejection as Rejection | undefined,
      unitId: this.store.get(entry.entity, entry.id)?.tags.unitId,
    };
    for (const listener of this.listeners) listener(notice);
  }

  async close(): Promise<void> {
    for (const actor of this.actors.values()) actor.stop();
    this.actors.clear();
    await this.store.close();
  }
}

/** A record's snapshot, parsed (the store keeps it as JSON text). */
function parseSnapshot(record: EntityRecord): PersistedSnapshot {
  return JSON.parse(record.snapshot) as PersistedSnapshot;
}

/** A live actor's state value and context. */
/** A new actor restored from a record's snapshot (checked to be a state its machine knows). */
function restoreActor(record: EntityRecord, inspect?: EngineOptions['inspect']): AnyActor {
  const kind = kindOf(record.entity);
  const persisted = parseSnapshot(record);
  assertKnownState(kind, record.id, persisted);
  // createActor restores the persisted snapshot itself; resolving it first would double the cost.
  const created = createActor(kind.machine, { snapshot: restorable(persisted), inspect });
  // Subscribe before start: a restored snapshot in error rethrows asynchronously otherwise.
  let failure: unknown = null;
  created.subscribe({ error: (err) => (failure = err) });
  created.start();
  if (failure !== null || created.getSnapshot().status === 'error') {
    throw new StoreError(
      'restoreFailed',
      `${record.entity} ${record.id} could not be restored: ${String(failure)}`,
      `${record.entity} ${record.id} 无法恢复:${String(failure)}`,
    );
  }
  return created;
}

function shapeOf(actor: AnyActor): { value: unknown; context: unknown } {
  const snapshot = actor.getSnapshot() as { value: unknown; context: unknown };
  return { value: snapshot.value, context: snapshot.context };
}

/** The view of a stored record; its kind's types are the caller's (`get`, `list`). */
function viewOf<V, C>(record: EntityRecord): EntityView<V, C> {
  const snapshot = JSON.parse(record.snapshot) as { value: V; context: C };
  return {
    id: record.id,
    version: record.version,
    machineVersion: record.machineVersion,
    value: snapshot.value,
    context: snapshot.context,
    tags: record.tags,
  };
}

/** Refuses a persisted snapshot whose states the current machine no longer has. */
function assertKnownState(kind: AnyEntityKind, id: string, persisted: PersistedSnapshot): void {
  if (!isKnownStateValue(kind.machine.root, persisted.value)) {
    throw new StoreError(
      'unknownState',
      `${kind.kind} ${id}: saved state ${JSON.stringify(persisted.value)} does not exist in the ${kind.kind} ` +
        `machine; register a migration`,
      `${kind.kind} ${id}:保存的状态 ${JSON.stringify(persisted.value)} 在状态机中不存在,需登记迁移`,
    );
  }
}

function replayedOutcome(prior: JournalEntry, id: string, event: unknown, key: string): SendOutcome {
  if (prior.kind === 'create' || stableStringify(prior.event) !== stableStringify(event))
    return { status: 'keyReused', id, idempotencyKey: key };
  if (prior.kind === 'refusal')
    return {
      status: 'rejected',
      id,
      seq: prior.seq,
      version: prior.version,
      rejection: prior.rejection as Rejection,
      replayed: true,
    };
  return {
    status: 'accepted',
    id,
    seq: prior.seq,
    version: prior.version,
    from: prior.from,
    to: prior.to,
    replayed: true,
  };
}

function replayError(entry: JournalEntry, why: string): StoreError {
  return new StoreError(
    'replayMismatch',
    `journal entry ${entry.seq} (${entry.entity} ${entry.id}): ${why}`,
    `日志第 ${entry.seq} 条(${entry.entity} ${entry.id}):重放结果与日志不符`,
    entry.seq,
  );
}
