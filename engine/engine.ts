import { createActor, type AnyActor, type Snapshot } from 'xstate';
import {
  addDays,
  eventOptions,
  isIsoDate,
  type CampaignContext,
  type EventClock,
  weiKeys,
  type ProjectContext,
  type ProjectStateValue,
  type Rejection,
  type WeiKey,
} from '../machines/index.ts';
import { StoreError, type EntityKind, type EntityRecord, type JournalEntry, type ListFilter, type Store } from '../store/index.ts';
import { KeyedQueue } from './keyed-queue.ts';
import { migrate, migrateInput, type MigrationContext, type PersistedSnapshot } from './migrations.ts';
import { ENTITIES, type EntityDefinition } from './entities.ts';
import type { ChangeNotice, CreateOutcome, EngineOptions, EntitySendOutcome, EntityView, ProjectView, SendOptions, SendOutcome } from './types.ts';
import { assertKnownProjectState } from './project-entity.ts';
import { snapshotText } from './snapshot-text.ts';
import { stableStringify } from './stable-json.ts';


/**
 * The engine: projects as live XState actors over a durable store. Events for one project are
 * applied strictly one after another; an event is acknowledged only once its journal entry is
 * on disk; a refusal changes nothing but is journalled too.
 *
 * @example
 * const engine = new Engine({ store: new FileStore('./data') });
 * await engine.open();
 * const outcome = await engine.send('p1', { type: 'SIGN', contractAmount: 12000, at: '2022-08-02' }, { actor: 'hq-1' });
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

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.liveActors = options.liveActors ?? 20_000;
    this.clock = options.clock ?? (() => new Date().toISOString());
    this.todayIn = new Intl.DateTimeFormat('en-CA', { timeZone: options.timeZone ?? 'Asia/Shanghai' });
    this.futureToleranceDays = options.futureToleranceDays ?? 0;
  }

  /** Today in the county (by the engine's clock) and the latest date an event may carry. */
  eventClock(): EventClock {
    const today = this.todayIn.format(new Date(this.clock()));
    return { today, latestDate: addDays(today, this.futureToleranceDays) };
  }

  /** Opens the store, migrates old snapshots, and replays the journal after the checkpoint. */
  async open(): Promise<void> {
    const tail = await this.store.open();
    try {
      this.load(tail);
    } catch (err) {
      // A partial replay must never become a checkpoint: release the store untouched.
      this.actors.clear();
      await this.store.close({ checkpoint: false });
      throw err;
    }
  }

  /** What migrations may look up: the campaigns loaded so far. */
  private readonly migrations: MigrationContext = {
    legacyLadder: (id) => {
      const matches: { campaignId: string; unitId: string }[] = [];
      for (const record of this.store.list('campaign')) {
        const config = (JSON.parse(record.snapshot) as { context: CampaignContext }).context.config;
        for (const unit of config.units) if (`${config.id}.${unit.id}` === id) matches.push({ campaignId: config.id, unitId: unit.id });
      }
      if (matches.length !== 1) {
        const why = matches.length === 0 ? 'no campaign has such a unit' : `it could be ${matches.map((m) => `${m.campaignId} + ${m.unitId}`).join(' or ')}`;
        throw new StoreError('legacyLadder', `ladder ${id} (first-release id): ${why}; fix the data by hand`, `责任单位台账 ${id}(旧编号)无法对应到攻坚行动与单位,请人工处理`);
      }
      return matches[0]!;
    },
  };

  /** A stored snapshot brought up to the current machine version (as parsed JSON). */
  migratedSnapshot(record: EntityRecord): PersistedSnapshot {
    return migrate(record.entity, record.id, record.machineVersion, ENTITIES[record.entity].version, JSON.parse(record.snapshot) as PersistedSnapshot, this.migrations);
  }

  private load(tail: JournalEntry[]): void {
    // Campaigns first: ladders written by the first release are resolved against them.
    for (const definition of [ENTITIES.campaign, ...Object.values(ENTITIES).filter((d) => d.kind !== 'campaign')]) {
      for (const record of this.store.list(definition.kind)) {
        if (record.machineVersion !== definition.version) {
          const snapshot = this.migratedSnapshot(record);
          assertKnownState(definition, record.id, snapshot);
          this.store.restore({ ...record, machineVersion: definition.version, snapshot: snapshotText(snapshot), tags: definition.tags(snapshot as never) });
        } else {
          assertKnownState(definition, record.id, JSON.parse(record.snapshot));
        }
      }
    }
    for (const entry of tail) this.applyJournalEntry(entry);
  }

  /**
   * Re-applies one journal entry without journalling it (start-up replay, `verify`). Throws if
   * the machines disagree with the journal: an event that now ends elsewhere, or a refusal
   * the same machine version would now accept.
   */
  applyJournalEntry(entry: JournalEntry): void {
    const definition = ENTITIES[entry.entity];
    if (entry.kind === 'create') {
      const created = definition.create(migrateInput(entry.entity, entry.machineVersion, definition.version, entry.input, this.migrations));
      if ('problems' in created) throw replayError(entry, `the creation input is now invalid: ${created.problems.map((p) => `${p.field}: ${p.en}`).join('; ')}`);
      this.store.restore({ entity: entry.entity, id: entry.id, version: 1, machineVersion: definition.version, snapshot: snapshotText(created.snapshot), tags: created.tags, seq: entry.seq });
      return;
    }
    const record = this.store.get(entry.entity, entry.id);
    if (record === undefined) throw replayError(entry, `the ${entry.entity} does not exist`);
    const actor = this.actorFor(record);
    if (entry.kind === 'refusal') {
      if (entry.machineVersion !== definition.version) return;
      const rejection = entry.rejection as Rejection | undefined;
      // A refusal for a date in the future is checked again against the day it was refused on.
      const then = rejection?.today !== undefined && rejection.latestDate !== undefined ? { today: rejection.today, latestDate: rejection.latestDate } : undefined;
      const again = definition.explain(actor.getSnapshot() as never, entry.event, then);
      const rule = rejection?.rule;
      if (again?.rule !== rule) throw replayError(entry, `refused by rule ${String(rule)}, now ${again === null ? 'accepted' : `refused by ${again.rule}`}`);
      return;
    }
    const before = actor.getSnapshot() as { value: unknown; context: unknown };
    // The journal says accepted: the machine must accept it again, not merely end in the same state.
    const refused = entry.machineVersion === definition.version ? definition.explain(before, entry.event) : null;
    if (refused !== null) {
      this.actors.delete(`${entry.entity} ${entry.id}`);
      throw replayError(entry, `the journal says accepted, the machine now refuses it by rule ${refused.rule} (${refused.en})`);
    }
    actor.send(entry.event as never);
    const after = actor.getSnapshot() as { value: unknown; context: unknown };
    if (stableStringify(after.value) !== stableStringify(entry.to)) {
      this.actors.delete(`${entry.entity} ${entry.id}`);
      throw replayError(entry, `the machine gives ${JSON.stringify(after.value)}, the journal says ${JSON.stringify(entry.to)}`);
    }
    this.store.restore({ ...record, version: entry.version, snapshot: snapshotText(actor.getPersistedSnapshot()), tags: definition.tags(after), seq: entry.seq });
  }

  /**
   * Restores every project's live actor ahead of its first event, a slice at a time, yielding
   * to the event loop between slices so requests are served meanwhile. Optional: without it,
   * each project is restored on its first event (≈ 30–60 µs once).
   */
  async warmUp(onProgress?: (done: number, total: number) => void): Promise<void> {
    const records = this.store.list('project').slice(0, this.liveActors);
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      this.actorFor(this.store.get('project', record.id) ?? record);
      if ((i + 1) % 500 === 0) {
        onProgress?.(i + 1, records.length);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    onProgress?.(records.length, records.length);
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
    const definition = ENTITIES[record.entity];
    const persisted = JSON.parse(record.snapshot) as unknown;
    assertKnownState(definition, record.id, persisted);
    // createActor restores the persisted snapshot itself; resolving it first would double the cost.
    const created = createActor(definition.machine, { snapshot: persisted as Snapshot<unknown> });
    // Subscribe before start: a restored snapshot in error rethrows asynchronously otherwise.
    let failure: unknown = null;
    created.subscribe({ error: (err) => (failure = err) });
    created.start();
    if (failure !== null || created.getSnapshot().status === 'error') {
      throw new StoreError('restoreFailed', `${record.entity} ${record.id} could not be restored: ${String(failure)}`, `${record.entity} ${record.id} 无法恢复:${String(failure)}`);
    }
    actor = created;
    this.actors.set(key, actor);
    if (this.actors.size > this.liveActors) {
      // Dropping the reference is enough: these actors have no timers or children to stop.
      this.actors.delete(this.actors.keys().next().value as string);
    }
    return actor;
  }

  /** Registers an entity of any kind. Its input is validated in full; a duplicate id is refused. */
  async create(kind: EntityKind, input: unknown, options: SendOptions): Promise<CreateOutcome> {
    const id = (input as { id?: unknown } | null)?.id;
    return this.queue.run(`${kind} ${String(id)}`, async () => {
      if (options.idempotencyKey !== undefined) {
        const prior = this.store.findByIdempotencyKey({ actor: options.actor, entity: kind, id: String(id), key: options.idempotencyKey });
        if (prior !== undefined) {
          if (prior.kind !== 'create' || prior.entity !== kind || stableStringify(prior.input) !== stableStringify(input)) return { status: 'keyReused', idempotencyKey: options.idempotencyKey };
          return { status: 'created', id: prior.id, seq: prior.seq, version: prior.version, replayed: true };
        }
      }
      const definition = ENTITIES[kind];
      const created = definition.create(input, this.eventClock());
      if ('problems' in created) return { status: 'invalid', problems: created.problems };
      const entityId = String(id);
      if (this.store.get(kind, entityId) !== undefined) return { status: 'exists', id: entityId };
      const record: EntityRecord = { entity: kind, id: entityId, version: 1, machineVersion: definition.version, snapshot: snapshotText(created.snapshot), tags: created.tags, seq: 0 };
      const at = (input as { asOf?: unknown; raisedOn?: unknown; start?: unknown }).asOf ?? (input as { raisedOn?: unknown }).raisedOn ?? null;
      const entry = await this.store.commit(
        {
          kind: 'create',
          entity: kind,
          id: entityId,
          at: isIsoDate(at) ? at : null,
          actor: options.actor,
          input,
          version: 1,
          machineVersion: definition.version,
          idempotencyKey: options.idempotencyKey,
          recordedAt: this.clock(),
        },
        record,
      );
      this.notify(entry);
      return { status: 'created', id: entityId, seq: entry.seq, version: 1, replayed: false };
    });
  }

  /** Registers a project. Its input is validated in full; a duplicate id is refused. */
  createProject(input: unknown, options: SendOptions): Promise<CreateOutcome> {
    return this.create('project', input, options);
  }

  /** Sends one event to one entity of any kind; see {@link EntitySendOutcome}. */
  async sendTo(kind: EntityKind, id: string, event: unknown, options: SendOptions): Promise<EntitySendOutcome> {
    return this.queue.run(`${kind} ${id}`, async () => {
      if (options.idempotencyKey !== undefined) {
        const prior = this.store.findByIdempotencyKey({ actor: options.actor, entity: kind, id, key: options.idempotencyKey });
        if (prior !== undefined) return replayedOutcome(prior, kind, id, event, options.idempotencyKey);
      }
      const record = this.store.get(kind, id);
      if (record === undefined) return { status: 'notFound', id: id };
      const ifMatch = options.ifMatch;
      if (ifMatch !== undefined && ifMatch !== '*' && !ifMatch.includes(String(record.version))) {
        return { status: 'conflict', id: id, version: record.version, ifMatch };
      }
      const definition = ENTITIES[kind];
      const actor = this.actorFor(record);
      const before = actor.getSnapshot() as { value: unknown; context: unknown };
      const at = (event as { at?: unknown } | null)?.at;
      const draft = {
        entity: kind,
        id,
        at: isIsoDate(at) ? at : null,
        actor: options.actor,
        event,
        machineVersion: definition.version,
        idempotencyKey: options.idempotencyKey,
        recordedAt: this.clock(),
      };
      const rejection = definition.explain(before, event, this.eventClock());
      if (rejection !== null) {
        const entry = await this.store.commit({ ...draft, kind: 'refusal', version: record.version, rejection }, null);
        this.notify(entry);
        return { status: 'rejected', id: id, seq: entry.seq, version: record.version, rejection, replayed: false };
      }
      actor.send(event as never);
      const after = actor.getSnapshot() as { value: unknown; context: unknown };
      let entry: JournalEntry;
      let next: EntityRecord;
      try {
        next = { ...record, version: record.version + 1, snapshot: snapshotText(actor.getPersistedSnapshot()), tags: definition.tags(after) };
        entry = await this.store.commit({ ...draft, kind: 'event', from: before.value, to: after.value, version: next.version }, next);
      } catch (err) {
        // The actor moved but the journal did not: forget it, the record still holds the truth.
        this.actors.delete(`${kind} ${id}`);
        throw err;
      }
      const tags = next.tags;
      this.notify(entry);
      return { status: 'accepted', id: id, seq: entry.seq, version: next.version, from: before.value, to: after.value, wei: (tags.wei ?? []) as WeiKey[], replayed: false };
    });
  }

  /** Sends one event to one project; see {@link SendOutcome}. */
  send(projectId: string, event: unknown, options: SendOptions): Promise<SendOutcome> {
    return this.sendTo('project', projectId, event, options) as Promise<SendOutcome>;
  }

  /** Any entity's current state. */
  get(kind: EntityKind, id: string): EntityView | undefined {
    const record = this.store.get(kind, id);
    if (record === undefined) return undefined;
    const snapshot = JSON.parse(record.snapshot) as { value: unknown; context: unknown };
    return { id: record.id, version: record.version, value: snapshot.value, context: snapshot.context };
  }

  list(kind: EntityKind, filter?: ListFilter): EntityView[] {
    return this.store.list(kind, filter).map((r) => this.get(kind, r.id)!);
  }

  getProject(id: string): ProjectView | undefined {
    const record = this.store.get('project', id);
    return record === undefined ? undefined : toView(record);
  }

  /** The unit responsible for a project (cheap: no snapshot is parsed), or undefined. */
  projectUnit(id: string): string | undefined {
    return this.store.get('project', id)?.tags.unitId;
  }

  listProjects(filter?: ListFilter): ProjectView[] {
    return this.store.list('project', filter).map(toView);
  }

  /** The journal of one project: creation, accepted events and refusals, oldest first. */
  history(id: string, kind: EntityKind = 'project'): Promise<JournalEntry[]> {
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

/** Refuses a persisted snapshot whose states the current machine no longer has. */
function assertKnownState(definition: EntityDefinition, id: string, persisted: unknown): void {
  if (definition.kind === 'project') {
    assertKnownProjectState(id, persisted);
    return;
  }
  const value = (persisted as { value?: unknown } | null)?.value;
  if (typeof value !== 'string' || !(value in definition.machine.states)) {
    throw new StoreError(
      'unknownState',
      `${definition.kind} ${id}: saved state ${JSON.stringify(value)} does not exist in the ${definition.kind} machine; register a migration`,
      `${definition.kind} ${id}:保存的状态 ${JSON.stringify(value)} 在状态机中不存在,需登记迁移`,
    );
  }
}

function toView(record: EntityRecord): ProjectView {
  const snapshot = JSON.parse(record.snapshot) as { value: ProjectStateValue; context: ProjectContext };
  return {
    id: record.id,
    version: record.version,
    machineVersion: record.machineVersion,
    value: snapshot.value,
    context: snapshot.context,
    wei: weiKeys(snapshot),
    options: eventOptions(snapshot),
  };
}

function replayedOutcome(prior: JournalEntry, kind: EntityKind, id: string, event: unknown, key: string): EntitySendOutcome {
  if (prior.kind === 'create' || prior.entity !== kind || prior.id !== id || stableStringify(prior.event) !== stableStringify(event)) {
    return { status: 'keyReused', id: id, idempotencyKey: key };
  }
  if (prior.kind === 'refusal') {
    return { status: 'rejected', id: id, seq: prior.seq, version: prior.version, rejection: prior.rejection as Rejection, replayed: true };
  }
  const wei = kind === 'project' ? weiKeys({ value: prior.to as ProjectStateValue }) : [];
  return { status: 'accepted', id: id, seq: prior.seq, version: prior.version, from: prior.from, to: prior.to, wei, replayed: true };
}

function replayError(entry: JournalEntry, why: string): StoreError {
  return new StoreError('replayMismatch', `journal entry ${entry.seq} (${entry.entity} ${entry.id}): ${why}`, `日志第 ${entry.seq} 条(${entry.entity} ${entry.id}):重放结果与日志不符`, entry.seq);
}
