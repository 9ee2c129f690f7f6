import { createActor, type Actor, type Snapshot } from 'xstate';
import {
  PROJECT_MACHINE_VERSION,
  ProjectInputError,
  eventOptions,
  explainRejection,
  isIsoDate,
  projectMachine,
  weiKeys,
  type EventOption,
  type InputProblem,
  type ProjectContext,
  type ProjectStateValue,
  type Rejection,
  type WeiKey,
} from '../machines/index.ts';
import { StoreError, type EntityRecord, type JournalEntry, type ListFilter, type Store } from '../store/index.ts';
import { KeyedQueue } from './keyed-queue.ts';
import { migrate, type PersistedSnapshot } from './migrations.ts';
import { assertKnownProjectState, newProjectRecord, projectTags, resolveProject } from './project-entity.ts';
import { stableStringify } from './stable-json.ts';

type ProjectActor = Actor<typeof projectMachine>;

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
}

/** Who sends, and how. */
export interface SendOptions {
  /** Staff id, journalled with the event. */
  actor: string;
  /** The project version the sender saw (HTTP `If-Match`); a mismatch is a conflict. */
  expectedVersion?: number;
  /** A retry with the same key returns the first outcome and applies nothing twice. */
  idempotencyKey?: string;
}

export type SendOutcome =
  | { status: 'accepted'; projectId: string; seq: number; version: number; from: ProjectStateValue; to: ProjectStateValue; wei: WeiKey[]; replayed: boolean }
  | { status: 'rejected'; projectId: string; seq: number; version: number; rejection: Rejection; replayed: boolean }
  | { status: 'conflict'; projectId: string; version: number; expectedVersion: number }
  | { status: 'notFound'; projectId: string }
  | { status: 'keyReused'; projectId: string; idempotencyKey: string };

export type CreateOutcome =
  | { status: 'created'; projectId: string; seq: number; version: number; replayed: boolean }
  | { status: 'invalid'; problems: InputProblem[] }
  | { status: 'exists'; projectId: string }
  | { status: 'keyReused'; idempotencyKey: string };

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
}

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
  private readonly actors = new Map<string, ProjectActor>();
  private readonly queue = new KeyedQueue();
  private readonly listeners = new Set<(notice: ChangeNotice) => void>();
  private readonly liveActors: number;

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.liveActors = options.liveActors ?? 20_000;
    this.clock = options.clock ?? (() => new Date().toISOString());
  }

  /** Opens the store, migrates old snapshots, and replays the journal after the checkpoint. */
  async open(): Promise<void> {
    const tail = await this.store.open();
    for (const record of this.store.list('project')) {
      if (record.machineVersion !== PROJECT_MACHINE_VERSION) {
        const snapshot = migrate('project', record.id, record.machineVersion, JSON.parse(record.snapshot) as PersistedSnapshot);
        const resolved = resolveProject(record.id, snapshot);
        this.store.restore({ ...record, machineVersion: PROJECT_MACHINE_VERSION, snapshot: JSON.stringify(snapshot), tags: projectTags(resolved) });
      } else {
        assertKnownProjectState(record.id, JSON.parse(record.snapshot));
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
    if (entry.entity !== 'project') return;
    if (entry.kind === 'refusal') {
      const record = this.store.get('project', entry.id);
      if (record === undefined || entry.machineVersion !== PROJECT_MACHINE_VERSION) return;
      const again = explainRejection(this.actorFor(record).getSnapshot(), entry.event);
      const rule = (entry.rejection as Rejection | undefined)?.rule;
      if (again?.rule !== rule) throw replayError(entry, `refused by rule ${String(rule)}, now ${again === null ? 'accepted' : `refused by ${again.rule}`}`);
      return;
    }
    if (entry.kind === 'create') {
      this.store.restore({ ...newProjectRecord(entry.input as never), seq: entry.seq });
      return;
    }
    const record = this.store.get('project', entry.id);
    if (record === undefined) throw replayError(entry, 'the project does not exist');
    const actor = this.actorFor(record);
    actor.send(entry.event as never);
    const after = actor.getSnapshot();
    if (stableStringify(after.value) !== stableStringify(entry.to)) {
      throw replayError(entry, `the machine gives ${JSON.stringify(after.value)}, the journal says ${JSON.stringify(entry.to)}`);
    }
    this.store.restore({ ...record, version: entry.version, snapshot: JSON.stringify(actor.getPersistedSnapshot()), tags: projectTags(after), seq: entry.seq });
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
      if (!this.actors.has(record.id)) this.actorFor(this.store.get('project', record.id) ?? record);
      if ((i + 1) % 500 === 0) {
        onProgress?.(i + 1, records.length);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    onProgress?.(records.length, records.length);
  }

  /** The live actor of a project: from the cache (most recently used first), else restored. */
  private actorFor(record: EntityRecord): ProjectActor {
    let actor = this.actors.get(record.id);
    if (actor !== undefined) {
      this.actors.delete(record.id);
      this.actors.set(record.id, actor);
    } else {
      const persisted = JSON.parse(record.snapshot) as unknown;
      assertKnownProjectState(record.id, persisted);
      // createActor restores the persisted snapshot itself; resolving it first would double the cost.
      const created = createActor(projectMachine, { snapshot: persisted as Snapshot<unknown> });
      // Subscribe before start: a restored snapshot in error rethrows asynchronously otherwise.
      let failure: unknown = null;
      created.subscribe({ error: (err) => (failure = err) });
      created.start();
      if (failure !== null || created.getSnapshot().status !== 'active') {
        throw new StoreError('restoreFailed', `project ${record.id} could not be restored: ${String(failure)}`, `项目 ${record.id} 无法恢复:${String(failure)}`);
      }
      actor = created;
      this.actors.set(record.id, actor);
      if (this.actors.size > this.liveActors) {
        // Dropping the reference is enough: project actors have no timers or children to stop.
        this.actors.delete(this.actors.keys().next().value as string);
      }
    }
    return actor;
  }

  /** Registers a project. Its input is validated in full; a duplicate id is refused. */
  async createProject(input: unknown, options: SendOptions): Promise<CreateOutcome> {
    const id = (input as { id?: unknown } | null)?.id;
    return this.queue.run(`project ${String(id)}`, async () => {
      if (options.idempotencyKey !== undefined) {
        const prior = this.store.findByIdempotencyKey(options.idempotencyKey);
        if (prior !== undefined) {
          if (prior.kind !== 'create' || stableStringify(prior.input) !== stableStringify(input)) return { status: 'keyReused', idempotencyKey: options.idempotencyKey };
          return { status: 'created', projectId: prior.id, seq: prior.seq, version: prior.version, replayed: true };
        }
      }
      let record: EntityRecord;
      try {
        record = newProjectRecord(input as never);
      } catch (err) {
        if (err instanceof ProjectInputError) return { status: 'invalid', problems: err.problems };
        throw err;
      }
      if (this.store.get('project', record.id) !== undefined) return { status: 'exists', projectId: record.id };
      const entry = await this.store.commit(
        {
          kind: 'create',
          entity: 'project',
          id: record.id,
          at: (input as { asOf?: string }).asOf ?? null,
          actor: options.actor,
          input,
          version: 1,
          machineVersion: PROJECT_MACHINE_VERSION,
          idempotencyKey: options.idempotencyKey,
          recordedAt: this.clock(),
        },
        record,
      );
      this.notify(entry);
      return { status: 'created', projectId: record.id, seq: entry.seq, version: 1, replayed: false };
    });
  }

  /** Sends one event to one project; see {@link SendOutcome}. */
  async send(projectId: string, event: unknown, options: SendOptions): Promise<SendOutcome> {
    return this.queue.run(`project ${projectId}`, async () => {
      if (options.idempotencyKey !== undefined) {
        const prior = this.store.findByIdempotencyKey(options.idempotencyKey);
        if (prior !== undefined) return replayedOutcome(prior, projectId, event, options.idempotencyKey);
      }
      const record = this.store.get('project', projectId);
      if (record === undefined) return { status: 'notFound', projectId };
      if (options.expectedVersion !== undefined && options.expectedVersion !== record.version) {
        return { status: 'conflict', projectId, version: record.version, expectedVersion: options.expectedVersion };
      }
      const actor = this.actorFor(record);
      const before = actor.getSnapshot();
      const at = (event as { at?: unknown } | null)?.at;
      const draft = {
        entity: 'project' as const,
        id: projectId,
        at: isIsoDate(at) ? at : null,
        actor: options.actor,
        event,
        machineVersion: PROJECT_MACHINE_VERSION,
        idempotencyKey: options.idempotencyKey,
        recordedAt: this.clock(),
      };
      const rejection = explainRejection(before, event);
      if (rejection !== null) {
        const entry = await this.store.commit({ ...draft, kind: 'refusal', version: record.version, rejection }, null);
        this.notify(entry);
        return { status: 'rejected', projectId, seq: entry.seq, version: record.version, rejection, replayed: false };
      }
      actor.send(event as never);
      const after = actor.getSnapshot();
      const tags = projectTags(after);
      const next: EntityRecord = { ...record, version: record.version + 1, snapshot: JSON.stringify(actor.getPersistedSnapshot()), tags };
      let entry: JournalEntry;
      try {
        entry = await this.store.commit({ ...draft, kind: 'event', from: before.value, to: after.value, version: next.version }, next);
      } catch (err) {
        // The actor moved but the journal did not: forget it, the record still holds the truth.
        this.actors.get(projectId)?.stop();
        this.actors.delete(projectId);
        throw err;
      }
      this.notify(entry);
      return { status: 'accepted', projectId, seq: entry.seq, version: next.version, from: before.value, to: after.value, wei: tags.wei as WeiKey[], replayed: false };
    });
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
  history(id: string): Promise<JournalEntry[]> {
    return this.store.history('project', id);
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
    };
    for (const listener of this.listeners) listener(notice);
  }

  async close(): Promise<void> {
    for (const actor of this.actors.values()) actor.stop();
    this.actors.clear();
    await this.store.close();
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

function replayedOutcome(prior: JournalEntry, projectId: string, event: unknown, key: string): SendOutcome {
  if (prior.kind === 'create' || prior.id !== projectId || stableStringify(prior.event) !== stableStringify(event)) {
    return { status: 'keyReused', projectId, idempotencyKey: key };
  }
  if (prior.kind === 'refusal') {
    return { status: 'rejected', projectId, seq: prior.seq, version: prior.version, rejection: prior.rejection as Rejection, replayed: true };
  }
  const to = prior.to as ProjectStateValue;
  return { status: 'accepted', projectId, seq: prior.seq, version: prior.version, from: prior.from as ProjectStateValue, to, wei: weiKeys({ value: to }), replayed: true };
}

function replayError(entry: JournalEntry, why: string): StoreError {
  return new StoreError('replayMismatch', `journal entry ${entry.seq} (${entry.entity} ${entry.id}): ${why}`, `日志第 ${entry.seq} 条(${entry.entity} ${entry.id}):重放结果与日志不符`);
}
