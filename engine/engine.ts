import { setImmediate } from 'node:timers/promises';
import { createActor, type AnyActor, type AnyActorScope, type Snapshot } from 'xstate';
import { addDays, isIsoDate, reject, type EventClock, type Rejection } from '../machines/index.ts';
import {
  StoreError,
  type CommitExpectation,
  type EntityRecord,
  type JournalDraft,
  type JournalEntry,
  type ListFilter,
  type Store,
  type VersionCheck,
} from '../store/index.ts';
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
import { assertStepSerialisable, createdRecord, snapshotText, steppedRecord, unreadSnapshot } from './snapshot-text.ts';
import { stableStringify } from './stable-json.ts';
import type {
  ChangeNotice,
  CorrectionRequest,
  CorrectOutcome,
  CreateOutcome,
  LinkedStep,
  TogetherOutcome,
  EngineOptions,
  EntityView,
  ReplayStep,
  SendOptions,
  SendOutcome,
} from './types.ts';

type AnySnapshot = Snapshot<unknown>;

/** How often a long replay (a start, `verify`) reports its progress: every so many entries. */
export const REPLAY_PROGRESS_EVERY = 100_000;

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
  /** Snapshots parsed by bulk reads ({@link statesInSlices}), each held while its record is current. */
  private readonly parsed = new WeakMap<EntityRecord, unknown>();
  /** Entities a replay moved whose records are not yet written: the snapshot reached, version, seq. */
  private readonly replayed = new Map<string, Replayed>();
  /** Entries replayed so far: an entity's `Replayed.turn` is the last one that moved it. */
  private replayTurn = 0;
  private readonly scopes = new Map<string, AnyActorScope>();
  private readonly queue = new KeyedQueue();
  private readonly listeners = new Set<(notice: ChangeNotice) => void>();
  private readonly liveActors: number;
  private readonly replayCache: number;
  private readonly todayIn: Intl.DateTimeFormat;
  private readonly futureToleranceDays: number;
  private lastClock: { minute: string; clock: EventClock } | null = null;
  /** Stately's inspector, when `GONGJIAN_INSPECT` asks for it. */
  private readonly inspect: EngineOptions['inspect'];
  /** What migrations may read of other entities: their current (parsed) contexts. */
  private readonly migrations: MigrationContext = {
    records: (kind) => this.store.list(kind).map((r) => ({ id: r.id, context: parseSnapshot(r).context })),
  };

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.liveActors = options.liveActors ?? 20_000;
    this.replayCache = options.replayCache ?? 200_000;
    this.clock = options.clock ?? (() => new Date().toISOString());
    this.todayIn = new Intl.DateTimeFormat('en-CA', { timeZone: options.timeZone ?? 'Asia/Shanghai' });
    this.futureToleranceDays = options.futureToleranceDays ?? 0;
    this.inspect = options.inspect;
  }

  /**
   * Today in the county (by the engine's clock, or at `now`, a time the clock gave) and the
   * latest date an event may carry.
   */
  eventClock(now: string = this.clock()): EventClock {
    // Formatting a date in the county's time zone is done once a minute (the clock's ISO time to
    // the minute, with its offset: time zones are whole minutes off UTC), not for every event.
    const minute = `${now.slice(0, 16)}${now.slice(23)}`;
    if (this.lastClock?.minute !== minute) {
      const today = this.todayIn.format(new Date(now));
      this.lastClock = { minute, clock: { today, latestDate: addDays(today, this.futureToleranceDays) } };
    }
    return this.lastClock.clock;
  }

  /**
   * Opens the store, migrates old snapshots, and replays the journal after the checkpoint. A
   * failure releases the store untouched: a partial replay never becomes a checkpoint.
   * `onReplay` hears how many entries have been replayed, every `progressEvery`
   * ({@link REPLAY_PROGRESS_EVERY} unless said).
   */
  async open(options: { onReplay?: (entries: number) => void; progressEvery?: number } = {}): Promise<void> {
    let migrated = false;
    let replayed = 0;
    const every = options.progressEvery ?? REPLAY_PROGRESS_EVERY;
    try {
      // The journal after the checkpoint is replayed as it is read, onto the migrated records.
      // Synchronous for all but corrections (which read the entity's history): no promise per entry.
      await this.store.open((entry) => {
        if (!migrated) this.migrateRecords();
        migrated = true;
        replayed += 1;
        if (replayed % every === 0) options.onReplay?.(replayed);
        return this.applyJournalEntry(entry, undefined, { defer: true });
      });
      if (!migrated) this.migrateRecords();
      this.settleReplay({ lazy: true });
      this.store.watch?.((entries) => this.remote(entries));
    } catch (err) {
      this.actors.clear();
      this.replayed.clear();
      await this.store.close({ checkpoint: false });
      throw err;
    }
  }

  private migrateRecords(): void {
    for (const kind of ALL_KINDS) {
      for (const record of this.store.list(kind.kind)) {
        const snapshot = this.migratedSnapshot(record);
        assertKnownState(kind, record.id, snapshot);
        // Tags follow their definition (a rule of which 八未 apply may have changed since the
        // checkpoint): recomputed, and the record rewritten only when they differ (compared as
        // written: the same function wrote them in the same order; a reordering only rewrites).
        const tags = kind.tags(snapshot);
        if (record.machineVersion !== kind.version || JSON.stringify(tags) !== JSON.stringify(record.tags)) {
          this.store.restore({
            ...record,
            machineVersion: kind.version,
            snapshot: snapshotText(snapshot),
            tags,
          });
        }
      }
    }
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
   * or a refusal the same machine version would now accept. With `defer`, an accepted event
   * moves the entity's live actor only: its record is written once, when the actor leaves the
   * live cache or at {@link settleReplay} — not serialised again after every entry of a long
   * replay (the caller settles before reading records).
   */
  applyJournalEntry(
    entry: JournalEntry,
    history: (entity: string, id: string) => Promise<JournalEntry[]> = (entity, id) => this.store.history(entity, id),
    options: { defer?: boolean } = {},
  ): void | Promise<void> {
    const kind = kindOf(entry.entity);
    if (entry.kind === 'correction' || (entry.kind === 'refusal' && entry.supersedes !== undefined)) {
      // A correction re-derives the entity from its history: the one kind of entry read asynchronously.
      return history(entry.entity, entry.id).then((all) =>
        this.replayCorrection(
          kind,
          entry,
          all.filter((e) => e.seq < entry.seq),
        ),
      );
    }
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
    const key = `${entry.entity} ${entry.id}`;
    // A replay steps the machine's snapshot (no actor): from the replay cache, a live actor, or the record.
    const cached = this.replayed.get(key);
    let current = cached?.snapshot ?? this.actors.get(key)?.getSnapshot();
    if (current === undefined) {
      const record = this.store.get(entry.entity, entry.id);
      if (record === undefined) throw replayError(entry, `the ${entry.entity} does not exist`);
      current = this.snapshotOf(record);
    }
    const before = current as unknown as { value: unknown; context: unknown };
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
    const next = kind.machine.transition(current as never, entry.event as never, this.scopeOf(kind)) as AnySnapshot;
    // The journal says accepted: the machine must accept it again, not merely end in the same state.
    // A machine that takes no transition gives back the snapshot it was given (XState's
    // `microstep`), and a guard is its rule (`explain(s, e) === null` ⇔ `s.can(e)`, machines/rules.ts):
    // so the rules are asked only then — to tell a refusal from a transition that changed nothing.
    const refused =
      next === current && entry.machineVersion === kind.version ? kind.explain(before, entry.event) : null;
    if (refused !== null) {
      this.forget(entry.entity, entry.id);
      throw replayError(
        entry,
        `the journal says accepted, the machine now refuses it by rule ${refused.rule} (${refused.en})`,
      );
    }
    const after = next as unknown as { value: unknown };
    if (!sameValue(after.value, entry.to)) {
      this.forget(entry.entity, entry.id);
      throw replayError(
        entry,
        `the machine gives ${JSON.stringify(after.value)}, the journal says ${JSON.stringify(entry.to)}`,
      );
    }
    // A live actor of this entity is behind now: it is restored from the record when next needed.
    if (this.actors.size > 0) this.actors.delete(key);
    const turn = ++this.replayTurn;
    // Moved in place when cached: no new cache entry, no Map delete and insert, for most entries.
    if (cached !== undefined) {
      cached.snapshot = next;
      cached.version = entry.version;
      cached.seq = entry.seq;
      cached.turn = turn;
    } else this.replayed.set(key, { snapshot: next, version: entry.version, seq: entry.seq, turn });
    if (options.defer !== true) this.saveReplayed(key);
    else if (this.replayed.size > this.replayCache) this.evictReplayed();
  }

  /**
   * Writes the records of the least recently replayed sixteenth of the replay cache (and what it
   * is over its bound), freeing their snapshots: the entities replayed longest ago first.
   */
  private evictReplayed(): void {
    const over = this.replayed.size - this.replayCache + Math.ceil(this.replayCache / 16);
    const turns = new Float64Array(this.replayed.size);
    let i = 0;
    for (const cached of this.replayed.values()) turns[i++] = cached.turn;
    // Turns are distinct: those up to the over-th smallest are exactly the `over` oldest.
    const last = turns.sort()[over - 1]!;
    for (const [key, cached] of this.replayed) if (cached.turn <= last) this.saveReplayed(key);
  }

  /** A record's snapshot resolved for its machine (checked to be a state the machine knows). */
  private snapshotOf(record: EntityRecord): AnySnapshot {
    const kind = kindOf(record.entity);
    const persisted = (unreadSnapshot(record) as PersistedSnapshot | undefined) ?? parseSnapshot(record);
    assertKnownState(kind, record.id, persisted);
    return kind.machine.restoreSnapshot(restorable(persisted) as never, this.scopeOf(kind) as never) as AnySnapshot;
  }

  /**
   * What `machine.transition` needs to step a snapshot outside an actor, made once per kind
   * (XState's own `transition()` builds a whole actor for it on every call). Its action
   * executor does nothing: the machines' actions are all `assign`, resolved in the step.
   */
  private scopeOf(kind: AnyEntityKind): AnyActorScope {
    let scope = this.scopes.get(kind.kind);
    if (scope === undefined) {
      const self = createActor(kind.machine);
      scope = {
        self,
        id: '',
        sessionId: '',
        system: self.system,
        defer: () => {},
        logger: () => {},
        stopChild: () => {},
        emit: () => {},
        actionExecutor: () => {},
      } as unknown as AnyActorScope;
      this.scopes.set(kind.kind, scope);
    }
    return scope;
  }

  /**
   * Writes the records of every entity replayed since the last call (see {@link applyJournalEntry}).
   * `lazy` (a start): their snapshot texts are made when first read (the next checkpoint, a
   * restore), as an accepted event's are — the replay cache holds these states already, so a
   * start is ready ≈ 1.5 s sooner at 100,000 projects, and no bigger. Otherwise (`verify`, which
   * reads every text at once to compare it) they are made now.
   */
  settleReplay(options: { lazy?: boolean } = {}): void {
    for (const key of [...this.replayed.keys()]) this.saveReplayed(key, options.lazy === true);
  }

  /**
   * The record of a replayed entity, from the snapshot its replay reached: proven serialisable,
   * its text made now (an entity leaving the bounded replay cache: text is what memory holds
   * best) or, `lazy`, when first read.
   */
  private saveReplayed(key: string, lazy = false): void {
    const moved = this.replayed.get(key);
    this.replayed.delete(key);
    if (moved === undefined) return;
    const [entity, id] = [key.slice(0, key.indexOf(' ')), key.slice(key.indexOf(' ') + 1)];
    const record = this.store.get(entity, id)!;
    const kind = kindOf(entity);
    const shape = moved.snapshot as unknown as { value: unknown; context: unknown };
    const persisted = kind.machine.getPersistedSnapshot(moved.snapshot as never) as unknown as PersistedSnapshot;
    const fields = {
      entity: record.entity,
      id: record.id,
      version: moved.version,
      machineVersion: record.machineVersion,
      tags: kind.tags(shape),
      seq: moved.seq,
    };
    this.store.restore(lazy ? createdRecord(fields, persisted) : { ...fields, snapshot: snapshotText(persisted) });
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
        await setImmediate();
      }
    }
    onProgress?.(records.length, records.length);
  }

  private forget(entity: string, id: string): void {
    this.actors.delete(`${entity} ${id}`);
    this.replayed.delete(`${entity} ${id}`);
  }

  /**
   * The record after an accepted step: its state proven serialisable now, its snapshot text made
   * when first read (see `steppedRecord`).
   */
  private stepped(
    kind: AnyEntityKind,
    record: EntityRecord,
    actor: AnyActor,
    before: { value: unknown; context: unknown },
    after: { value: unknown; context: unknown },
  ): EntityRecord {
    assertStepSerialisable(before, after);
    const reached = actor.getSnapshot() as AnySnapshot;
    return steppedRecord(
      {
        entity: record.entity,
        id: record.id,
        version: record.version + 1,
        machineVersion: record.machineVersion,
        tags: kind.tags(after),
        seq: record.seq,
      },
      () => kind.machine.getPersistedSnapshot(reached as never),
    );
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
    return this.queue.run(`${kind.kind} ${id}`, () =>
      this.retrying(async () => {
        const prior = await this.prior(options, kind.kind, id);
        if (prior !== undefined && options.idempotencyKey !== undefined) {
          if (prior.kind !== 'create' || stableStringify(prior.input) !== stableStringify(input))
            return { status: 'keyReused', id, idempotencyKey: options.idempotencyKey };
          return { status: 'created', id, seq: prior.seq, version: prior.version, replayed: true };
        }
        // The kind's schema checks the input's shape (the same as over HTTP), the kind its meaning.
        const parsed = parseWithProblems(kind.inputSchema, input);
        const problems = parsed.ok ? kind.validate(parsed.data, this.eventClock()) : parsed.problems;
        if (problems.length > 0) return { status: 'invalid', problems };
        if (this.store.get(kind.kind, id) !== undefined) return { status: 'exists', id };
        const snapshot = kind.initial(input);
        // Its text made when first read (a checkpoint): most entities are sent an event first.
        const record = createdRecord(
          { entity: kind.kind, id, version: 1, machineVersion: kind.version, tags: kind.tags(snapshot), seq: 0 },
          snapshot,
        );
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
          { version: null },
        );
        this.notify(entry);
        return { status: 'created', id, seq: entry.seq, version: 1, replayed: false };
      }),
    );
  }

  /** Sends one event to one entity; see {@link SendOutcome}. */
  async send<K extends KindName>(
    kindName: K,
    id: string,
    event: unknown,
    options: SendOptions,
  ): Promise<SendOutcome<ValueOf<K>>> {
    const kind = kindOf(kindName);
    const outcome = await this.queue.run(`${kind.kind} ${id}`, () =>
      this.retrying(() => this.apply(kind, id, event, options)),
    );
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
    if (stale(ifMatch, record.version)) return { status: 'conflict', id, version: record.version, ifMatch } as const;
    // The machine stepped from the current state, as a replay steps it: no actor restored for a
    // copy (a parse and an actor per request made a dry run cost as much as a durable event), and
    // the live actor, whose snapshot is immutable, untouched.
    const current = this.actors.get(`${kind.kind} ${id}`)?.getSnapshot() ?? this.snapshotOf(record);
    const before = current as unknown as { value: unknown; context: unknown };
    const rejection = kind.explain(before, event, this.eventClock());
    if (rejection !== null) return { status: 'rejected', id, version: record.version, rejection } as const;
    const after = kind.machine.transition(current as never, event as never, this.scopeOf(kind)) as unknown as {
      value: unknown;
      context: unknown;
    };
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
    const seen: JournalEntry[] = [];
    let actor: AnyActor | null = null;
    for (const entry of await this.store.history(kind.kind, id)) {
      if (entry.kind === 'create') {
        const input = migrateInput(kind, entry.machineVersion, entry.input, this.migrations);
        actor = createActor(kind.machine, { snapshot: restorable(kind.initial(input)) }).start();
      } else if (actor !== null && entry.kind === 'event') actor.send(entry.event as { type: string });
      else if (actor !== null && entry.kind === 'correction') {
        // The state after a correction: the history so far re-derived with it applied.
        const derived = this.rederive(kind, [...seen, entry]);
        if (derived.ok) actor = createActor(kind.machine, { snapshot: restorable(derived.snapshot) }).start();
      }
      seen.push(entry);
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
        ...(entry.supersedes === undefined
          ? {}
          : { supersedes: entry.supersedes, void: entry.void === true, reason: entry.reason ?? '' }),
        version: entry.version,
        value: now.value as ValueOf<K>,
        context: now.context as ContextOf<K>,
      });
    }
    return steps;
  }

  private async apply(kind: AnyEntityKind, id: string, event: unknown, options: SendOptions): Promise<SendOutcome> {
    // Without a key there is nothing to look up: no turn of the microtask queue for it either.
    const prior = options.idempotencyKey === undefined ? undefined : await this.prior(options, kind.kind, id);
    if (prior !== undefined) return replayedOutcome(prior, id, event, options.idempotencyKey!);
    const record = this.store.get(kind.kind, id);
    if (record === undefined) return { status: 'notFound', id };
    const ifMatch = options.ifMatch;
    if (stale(ifMatch, record.version)) return { status: 'conflict', id, version: record.version, ifMatch };
    const actor = this.actorFor(record);
    const before = shapeOf(actor);
    const at = (event as { at?: unknown } | null)?.at;
    // One reading of the clock for the entry's time and the rules' today.
    const now = this.clock();
    const draft = {
      entity: kind.kind,
      id,
      at: isIsoDate(at) ? at : null,
      actor: options.actor,
      event,
      machineVersion: kind.version,
      idempotencyKey: options.idempotencyKey,
      recordedAt: now,
    };
    const rejection = kind.explain(before, event, this.eventClock(now));
    if (rejection !== null) {
      const entry = await this.store.commit({ ...draft, kind: 'refusal', version: record.version, rejection }, null, {
        version: record.version,
      });
      this.notify(entry);
      return { status: 'rejected', id, seq: entry.seq, version: record.version, rejection, replayed: false };
    }
    actor.send(event as { type: string });
    const after = shapeOf(actor);
    let entry: JournalEntry;
    let next: EntityRecord;
    try {
      next = this.stepped(kind, record, actor, before, after);
      entry = await this.store.commit(
        { ...draft, kind: 'event', from: before.value, to: after.value, version: next.version },
        next,
        { version: record.version },
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

  /**
   * An entity's state re-derived from its journal with every correction in `entries` applied:
   * its creation, then each accepted event — replaced by its latest correction, or skipped if
   * voided — through the same machine, each checked by the machine's rules. `checkSeq` is
   * checked against `clock` too (the corrected event must not be dated after today). The first
   * event the corrected history refuses ends it, naming that event.
   */
  private rederive(
    kind: AnyEntityKind,
    entries: readonly JournalEntry[],
    check?: { seq: number; clock: EventClock },
  ):
    | { ok: true; snapshot: PersistedSnapshot; value: unknown; context: unknown }
    | { ok: false; seq: number; rejection: Rejection } {
    const corrections = new Map<number, JournalEntry>();
    for (const e of entries)
      if (e.kind === 'correction' && e.supersedes !== undefined) corrections.set(e.supersedes, e);
    let actor: AnyActor | null = null;
    for (const e of entries) {
      if (e.kind === 'create') {
        const input = migrateInput(kind, e.machineVersion, e.input, this.migrations);
        actor = createActor(kind.machine, { snapshot: restorable(kind.initial(input)) }).start();
        continue;
      }
      if (actor === null || e.kind !== 'event') continue;
      const correction = corrections.get(e.seq);
      if (correction?.void === true) continue;
      const event = correction === undefined ? e.event : correction.event;
      const before = shapeOf(actor);
      const corrected = correction !== undefined;
      // As at start-up: an entry written by another machine version is not judged again.
      const judged = corrected || e.machineVersion === kind.version;
      const refused = judged ? kind.explain(before, event, check?.seq === e.seq ? check.clock : undefined) : null;
      if (refused !== null) return { ok: false, seq: e.seq, rejection: refused };
      actor.send(event as { type: string });
    }
    if (actor === null) return { ok: false, seq: 0, rejection: reject('notFound', '记录不存在', 'no such entity') };
    const after = shapeOf(actor);
    return {
      ok: true,
      snapshot: JSON.parse(snapshotText(actor.getPersistedSnapshot())) as PersistedSnapshot,
      value: after.value,
      context: after.context,
    };
  }

  /** Start-up replay of a correction (or a refused one): re-derived again, it must come out the same. */
  private replayCorrection(kind: AnyEntityKind, entry: JournalEntry, before: JournalEntry[]): void {
    const record = this.store.get(entry.entity, entry.id);
    if (record === undefined) throw replayError(entry, `the ${entry.entity} does not exist`);
    const derived = this.rederive(kind, [
      ...before,
      entry.kind === 'refusal' ? { ...entry, kind: 'correction' } : entry,
    ]);
    if (entry.kind === 'refusal') {
      if (entry.machineVersion !== kind.version) return;
      const rule = (entry.rejection as Rejection | undefined)?.rule;
      if (derived.ok || derived.rejection.rule !== rule)
        throw replayError(
          entry,
          `correction refused by rule ${String(rule)}, ` +
            `now ${derived.ok ? 'accepted' : `refused by ${derived.rejection.rule}`}`,
        );
      return;
    }
    if (!derived.ok)
      throw replayError(
        entry,
        `the correction is now refused by rule ${derived.rejection.rule} (${derived.rejection.en})`,
      );
    if (stableStringify(derived.value) !== stableStringify(entry.to))
      throw replayError(
        entry,
        `the corrected history gives ${JSON.stringify(derived.value)}, the journal says ${JSON.stringify(entry.to)}`,
      );
    this.forget(entry.entity, entry.id);
    this.store.restore({
      ...record,
      version: entry.version,
      snapshot: snapshotText(derived.snapshot),
      tags: kind.tags({ value: derived.value, context: derived.context }),
      seq: entry.seq,
    });
  }

  /**
   * Corrects (更正) an accepted event of an entity — a replacement event of the same type (a new
   * amount or date) or `void` — with a reason. Nothing is rewritten: a `correction` entry names
   * the entry it supersedes, and the entity is re-derived through its machine with it applied.
   * A correction the corrected history refuses (a later event relied on what is voided) is
   * refused, journalled, naming that rule and its numbers.
   */
  async correct<K extends KindName>(
    kindName: K,
    id: string,
    request: CorrectionRequest,
    options: SendOptions,
  ): Promise<CorrectOutcome<ValueOf<K>>> {
    const kind = kindOf(kindName);
    const outcome = await this.queue.run(`${kind.kind} ${id}`, () =>
      this.retrying(() => this.applyCorrection(kind, id, request, options)),
    );
    return outcome as CorrectOutcome<ValueOf<K>>;
  }

  private async applyCorrection(
    kind: AnyEntityKind,
    id: string,
    request: CorrectionRequest,
    options: SendOptions,
  ): Promise<CorrectOutcome> {
    const asked = {
      supersedes: request.seq,
      event: request.event,
      void: request.void === true,
      reason: request.reason,
    };
    const prior = await this.prior(options, kind.kind, id);
    if (prior !== undefined) {
      const was = { supersedes: prior.supersedes, event: prior.event, void: prior.void === true, reason: prior.reason };
      if (prior.supersedes === undefined || stableStringify(was) !== stableStringify(asked))
        return { status: 'keyReused', id, idempotencyKey: options.idempotencyKey! };
      return outcomeOf(prior, id);
    }
    const record = this.store.get(kind.kind, id);
    if (record === undefined) return { status: 'notFound', id };
    const ifMatch = options.ifMatch;
    if (stale(ifMatch, record.version)) return { status: 'conflict', id, version: record.version, ifMatch };
    const invalid = (field: string, zh: string, en: string): CorrectOutcome => ({
      status: 'invalid',
      id,
      field,
      zh,
      en,
    });
    if (typeof request.reason !== 'string' || request.reason.trim() === '')
      return invalid('reason', '更正须说明原因', 'a correction needs a reason');
    const history = await this.store.history(kind.kind, id);
    const target = history.find((e) => e.seq === request.seq);
    if (target === undefined || target.kind !== 'event')
      return invalid(
        'seq',
        `第 ${request.seq} 条不是${kind.label.zh} ${id} 已受理的事件`,
        `entry ${request.seq} is not an accepted event of ${kind.label.en} ${id}`,
      );
    if (request.void === true && request.event !== undefined)
      return invalid('event', '作废时不能同时给出更正后的事件', 'a void correction carries no replacement event');
    if (request.void !== true) {
      const type = (request.event as { type?: unknown } | undefined)?.type;
      if (type !== (target.event as { type: string }).type)
        return invalid(
          'event',
          `更正后的事件须与原事件同类(${(target.event as { type: string }).type}),收到 ${String(type)}`,
          `the corrected event must be of the original's type (${(target.event as { type: string }).type}), ` +
            `not ${String(type)}`,
        );
    }
    const actor = this.actorFor(record);
    const before = shapeOf(actor);
    const at = (request.event as { at?: unknown } | undefined)?.at;
    const draft = {
      entity: kind.kind,
      id,
      at: isIsoDate(at) ? at : target.at,
      actor: options.actor,
      ...(request.void === true ? { void: true } : { event: request.event }),
      supersedes: request.seq,
      reason: request.reason.trim(),
      machineVersion: kind.version,
      idempotencyKey: options.idempotencyKey,
      recordedAt: this.clock(),
    };
    const proposed = { ...draft, kind: 'correction', seq: Number.MAX_SAFE_INTEGER } as JournalEntry;
    const derived = this.rederive(kind, [...history, proposed], { seq: request.seq, clock: this.eventClock() });
    if (!derived.ok) {
      const broken = history.find((e) => e.seq === derived.seq);
      const what = `${String((broken?.event as { type?: string } | undefined)?.type)}, ${String(broken?.at)}`;
      const rejection: Rejection =
        derived.seq === request.seq
          ? derived.rejection
          : {
              ...derived.rejection,
              zh: `更正后,第 ${derived.seq} 条(${what})不再成立:${derived.rejection.zh}`,
              en: `with the correction, entry ${derived.seq} (${what}) no longer holds: ${derived.rejection.en}`,
            };
      const entry = await this.store.commit({ ...draft, kind: 'refusal', version: record.version, rejection }, null, {
        version: record.version,
      });
      this.notify(entry);
      return { status: 'rejected', id, seq: entry.seq, version: record.version, rejection, replayed: false };
    }
    const next: EntityRecord = {
      ...record,
      version: record.version + 1,
      snapshot: snapshotText(derived.snapshot),
      tags: kind.tags({ value: derived.value, context: derived.context }),
    };
    const entry = await this.store.commit(
      { ...draft, kind: 'correction', from: before.value, to: derived.value, version: next.version },
      next,
      { version: record.version },
    );
    // The live actor holds the uncorrected history: the next event restores the corrected one.
    this.forget(kind.kind, id);
    this.notify(entry);
    return {
      status: 'accepted',
      id,
      seq: entry.seq,
      version: next.version,
      from: before.value,
      to: derived.value,
      replayed: false,
    };
  }

  /**
   * Several entities changed as one (a filing approved and its event applied to the project):
   * every step checked, then all journalled together (`commitAll`: one write, and after any
   * crash all or none). A step refused stops it: that refusal alone is journalled, on the
   * refusing entity, linked to the others. A `checkOnly` step is checked, not applied.
   * Steps on one entity each, run under every entity's queue (taken in a fixed order).
   */
  async together(steps: readonly LinkedStep[], options: SendOptions): Promise<TogetherOutcome> {
    const keys = [...new Set(steps.map((s) => `${s.kind} ${s.id}`))].sort();
    const run = (i: number): Promise<TogetherOutcome> =>
      i === keys.length
        ? this.retrying(() => this.applyTogether(steps, options))
        : this.queue.run(keys[i]!, () => run(i + 1));
    return run(0);
  }

  private async applyTogether(steps: readonly LinkedStep[], options: SendOptions): Promise<TogetherOutcome> {
    // The key goes with the entry journalled: the first step applied, or the refusal.
    const keyed = steps.findIndex((s) => !('checkOnly' in s && s.checkOnly === true));
    const key = options.idempotencyKey;
    if (key !== undefined) {
      const priors = await Promise.all(steps.map((s) => this.prior(options, s.kind, s.id)));
      const found = priors.map((prior, i) => ({ i, prior })).find((f) => f.prior !== undefined);
      const prior = found?.prior;
      if (found !== undefined && prior !== undefined) {
        const step = steps[found.i]!;
        const asked = 'create' in step ? step.create : step.event;
        const was = prior.kind === 'create' ? prior.input : prior.event;
        if (stableStringify(was) !== stableStringify(asked))
          return { status: 'keyReused', id: step.id, idempotencyKey: key };
        if (prior.kind === 'refusal')
          return {
            status: 'rejected',
            step: found.i,
            kind: prior.entity,
            id: prior.id,
            seq: prior.seq,
            rejection: prior.rejection as Rejection,
            replayed: true,
          };
        return {
          status: 'accepted',
          replayed: true,
          steps: [
            {
              kind: prior.entity,
              id: prior.id,
              seq: prior.seq,
              version: prior.version,
              from: prior.from,
              to: prior.to,
            },
          ],
        };
      }
    }
    const clock = this.eventClock();
    const recordedAt = this.clock();
    const items: { draft: JournalDraft; record: EntityRecord | null; expect: CommitExpectation }[] = [];
    // What was read and not changed: a shared store refuses the group if another node moved it.
    const checks: VersionCheck[] = [];
    const moved: { kind: string; id: string }[] = [];
    for (const [i, step] of steps.entries()) {
      const kind = kindOf(step.kind);
      const stepKey = i === keyed ? key : undefined;
      if ('create' in step) {
        const parsed = parseWithProblems(kind.inputSchema, step.create);
        const problems = parsed.ok ? kind.validate(parsed.data, clock) : parsed.problems;
        if (problems.length > 0) return { status: 'invalid', step: i, problems };
        if (this.store.get(kind.kind, step.id) !== undefined) return { status: 'exists', step: i, id: step.id };
        const snapshot = kind.initial(step.create);
        const at = kind.createdOn(step.create);
        items.push({
          draft: {
            kind: 'create',
            entity: kind.kind,
            id: step.id,
            at: isIsoDate(at) ? at : null,
            actor: options.actor,
            input: step.create,
            version: 1,
            machineVersion: kind.version,
            idempotencyKey: stepKey,
            link: step.link,
            blobs: step.blobs,
            recordedAt,
          },
          record: {
            entity: kind.kind,
            id: step.id,
            version: 1,
            machineVersion: kind.version,
            snapshot: snapshotText(snapshot),
            tags: kind.tags(snapshot),
            seq: 0,
          },
          expect: { version: null },
        });
        continue;
      }
      const record = this.store.get(kind.kind, step.id);
      if (record === undefined) return { status: 'notFound', step: i, id: step.id };
      if (stale(step.ifMatch, record.version)) {
        for (const m of moved) this.forget(m.kind, m.id);
        return { status: 'conflict', step: i, id: step.id, version: record.version, ifMatch: step.ifMatch };
      }
      const actor = this.actorFor(record);
      const before = shapeOf(actor);
      const at = (step.event as { at?: unknown } | null)?.at;
      const draft = {
        entity: kind.kind,
        id: step.id,
        at: isIsoDate(at) ? at : null,
        actor: options.actor,
        event: step.event,
        machineVersion: kind.version,
        idempotencyKey: stepKey,
        link: step.link,
        blobs: step.blobs,
        recordedAt,
      };
      const rejection = kind.explain(before, step.event, clock);
      if (rejection !== null) {
        for (const m of moved) this.forget(m.kind, m.id);
        const entry = await this.store.commit({ ...draft, kind: 'refusal', version: record.version, rejection }, null, {
          version: record.version,
        });
        this.notify(entry);
        return {
          status: 'rejected',
          step: i,
          kind: kind.kind,
          id: step.id,
          seq: entry.seq,
          rejection,
          replayed: false,
        };
      }
      if (step.checkOnly === true) {
        checks.push({ entity: kind.kind, id: step.id, version: record.version });
        continue;
      }
      actor.send(step.event as { type: string });
      moved.push({ kind: kind.kind, id: step.id });
      const after = shapeOf(actor);
      const next = this.stepped(kind, record, actor, before, after);
      items.push({
        draft: { ...draft, kind: 'event', from: before.value, to: after.value, version: next.version },
        record: next,
        expect: { version: record.version },
      });
    }
    let entries: JournalEntry[];
    try {
      entries = await this.store.commitAll(items, checks);
    } catch (err) {
      // The actors moved but the journal did not: forget them, the records still hold the truth.
      for (const m of moved) this.forget(m.kind, m.id);
      throw err;
    }
    for (const entry of entries) this.notify(entry);
    return {
      status: 'accepted',
      replayed: false,
      steps: entries.map((e) => ({ kind: e.entity, id: e.id, seq: e.seq, version: e.version, from: e.from, to: e.to })),
    };
  }

  /** The entry journalled before with this request's Idempotency-Key (same caller, same entity), if any. */
  private async prior(options: SendOptions, entity: string, id: string): Promise<JournalEntry | undefined> {
    return options.idempotencyKey === undefined
      ? undefined
      : this.store.findByIdempotencyKey({ actor: options.actor, entity, id, key: options.idempotencyKey });
  }

  /** Actors kept live in memory now (`/metrics`). */
  get liveActorCount(): number {
    return this.actors.size;
  }

  /** An entity's current state: value, context, version and tags (typed by its kind). */
  get<K extends KindName>(kind: K, id: string): EntityView<ValueOf<K>, ContextOf<K>> | undefined {
    const record = this.store.get(kind, id);
    return record === undefined ? undefined : viewOf(record);
  }

  /**
   * An entity's current state to read and not to change (the request path's checks): from its
   * live actor where there is one — no parse of its snapshot, no snapshot text made — else as `get`.
   */
  peek<K extends KindName>(kind: K, id: string): Readonly<EntityView<ValueOf<K>, ContextOf<K>>> | undefined {
    const record = this.store.get(kind, id);
    return record === undefined ? undefined : viewOf(record, this.stateOf<K>(record));
  }

  /**
   * The state value and context of every entity of a kind, to read and not to change: taken from
   * the live actor where there is one (no parse of its snapshot), else from the record.
   */
  states<K extends KindName>(kind: K): readonly { readonly value: ValueOf<K>; readonly context: ContextOf<K> }[] {
    return this.store.list(kind).map((record) => this.stateOf<K>(record));
  }

  /**
   * As {@link states}, a slice of records at a time with the event loop free between slices: at
   * 100,000 projects, parsing every snapshot takes most of a second (a report's read, BENCHMARKS.md
   * session 12). The records are those listed when it was called; an entity changed meanwhile may
   * be read as it is now (a live actor's state).
   */
  async statesInSlices<K extends KindName>(
    kind: K,
    slice = 1_000,
  ): Promise<readonly { readonly value: ValueOf<K>; readonly context: ContextOf<K> }[]> {
    const records = this.store.list(kind);
    const states = new Array<{ value: ValueOf<K>; context: ContextOf<K> }>(records.length);
    for (let i = 0; i < records.length; i++) {
      if (i > 0 && i % slice === 0) await setImmediate();
      states[i] = this.stateOf<K>(records[i]!, true);
    }
    return states;
  }

  /**
   * A record's state to read: its live actor's (kept in step with the record), else its snapshot
   * not yet made into text, else its text parsed — with `keep`, kept parsed for the next bulk read
   * while the record is current (a report reads every project's: at 100,000 projects, ≈ 1 s of
   * parsing for each report after any entry, ≈ 90 MB to keep them; BENCHMARKS.md, session 13).
   */
  private stateOf<K extends KindName>(
    record: EntityRecord,
    keep = false,
  ): { value: ValueOf<K>; context: ContextOf<K> } {
    const live = this.actors.get(`${record.entity} ${record.id}`);
    let state = live?.getSnapshot() ?? unreadSnapshot(record) ?? this.parsed.get(record);
    if (state === undefined) {
      state = parseSnapshot(record);
      // Records are replaced, never changed (RecordTable): the parse is the record's while it lives.
      if (keep) this.parsed.set(record, state);
    }
    return state as { value: ValueOf<K>; context: ContextOf<K> };
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

  /**
   * Runs `work` again when a store shared with other processes refuses its commit because one of
   * them changed the entity meanwhile (`versionConflict`) or journalled the same idempotency key
   * (`commitConflict`): their entries are taken in first, so the next attempt decides on them
   * (a retried key then finds its entry and replays it). A store one process owns never refuses so.
   */
  private retrying<T>(work: () => Promise<T>): Promise<T> {
    // A store with no other writer to take in: the work alone, no wrapper around it.
    return this.store.sync === undefined ? work() : this.retryingShared(work);
  }

  private async retryingShared<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (err) {
        const raced = err instanceof StoreError && (err.code === 'versionConflict' || err.code === 'commitConflict');
        if (!raced || this.store.sync === undefined || attempt >= RACE_ATTEMPTS) throw err;
        // Nodes racing for one entity take turns: each waits a little, at random, before trying again.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 5 * 2 ** attempt)));
        await this.store.sync();
      }
    }
  }

  /** Entries another process journalled: its live actors and replay snapshots dropped, listeners told. */
  private remote(entries: readonly JournalEntry[]): void {
    for (const entry of entries) {
      this.forget(entry.entity, entry.id);
      this.notify(entry);
    }
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

/** How many times a commit refused by a race with another process is decided again before the refusal is passed on. */
const RACE_ATTEMPTS = 30;

/** A record's snapshot, parsed (the store keeps it as JSON text). */
function parseSnapshot(record: EntityRecord): PersistedSnapshot {
  return JSON.parse(record.snapshot) as PersistedSnapshot;
}

/** A new actor restored from a record's snapshot (checked to be a state its machine knows). */
function restoreActor(record: EntityRecord, inspect?: EngineOptions['inspect']): AnyActor {
  const kind = kindOf(record.entity);
  // A snapshot not yet made into text is restored as it is: serialising it to parse it back
  // would give the same state (it was proven serialisable when reached).
  const persisted = (unreadSnapshot(record) as PersistedSnapshot | undefined) ?? parseSnapshot(record);
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

/** A live actor's state value and context. */
function shapeOf(actor: AnyActor): { value: unknown; context: unknown } {
  const snapshot = actor.getSnapshot() as { value: unknown; context: unknown };
  return { value: snapshot.value, context: snapshot.context };
}

/**
 * A stored record as a view: its state given (a live actor's, `peek`) or parsed from its snapshot
 * (`get`, `list`); its kind's types are the caller's.
 */
function viewOf<V, C>(
  record: EntityRecord,
  state = parseSnapshot(record) as unknown as { value: V; context: C },
): EntityView<V, C> {
  return {
    id: record.id,
    version: record.version,
    machineVersion: record.machineVersion,
    value: state.value,
    context: state.context,
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

/** An entity a replay moved whose record is not yet written: the snapshot reached, its version and seq. */
interface Replayed {
  snapshot: AnySnapshot;
  version: number;
  seq: number;
  /** The replay's count of entries when it last moved the entity (least recent is written first). */
  turn: number;
}

/** Whether two state values (strings, or objects of them, nested) are equal, in any key order. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  // Keys counted, not listed (every replayed entry compares two state values).
  let keys = 0;
  for (const k in a) {
    keys += 1;
    if (!sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  for (const _ in b) keys -= 1;
  return keys === 0;
}

function replayedOutcome(prior: JournalEntry, id: string, event: unknown, key: string): SendOutcome {
  if (prior.kind === 'create' || stableStringify(prior.event) !== stableStringify(event))
    return { status: 'keyReused', id, idempotencyKey: key };
  return outcomeOf(prior, id);
}

/** The outcome an entry recorded (an acceptance or a refusal), as a retry with its key gets it again. */
function outcomeOf(prior: JournalEntry, id: string): SendOutcome {
  return prior.kind === 'refusal'
    ? {
        status: 'rejected',
        id,
        seq: prior.seq,
        version: prior.version,
        rejection: prior.rejection as Rejection,
        replayed: true,
      }
    : {
        status: 'accepted',
        id,
        seq: prior.seq,
        version: prior.version,
        from: prior.from,
        to: prior.to,
        replayed: true,
      };
}

/** Whether If-Match names versions and the entity's is not among them (`*` matches any). */
function stale(ifMatch: '*' | readonly string[] | undefined, version: number): ifMatch is readonly string[] {
  return ifMatch !== undefined && ifMatch !== '*' && !ifMatch.includes(String(version));
}

function replayError(entry: JournalEntry, why: string): StoreError {
  return new StoreError(
    'replayMismatch',
    `journal entry ${entry.seq} (${entry.entity} ${entry.id}): ${why}`,
    `日志第 ${entry.seq} 条(${entry.entity} ${entry.id}):重放结果与日志不符`,
    entry.seq,
  );
}
