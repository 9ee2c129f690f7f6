import { TASK_CLEARS, type Task } from './campaign-types.ts';
import { endOfMonth, isIsoMonth } from './dates.ts';
import { valueFromInput } from './project-input.ts';
import type { ProjectInput, ProjectStateValue } from './project-types.ts';
import { addQuantity } from './quantity.ts';
import { weiKeys, type WeiKey } from './wei.ts';

/**
 * The campaign's ledger: what each accepted project event moved (tasks, amounts), read from
 * journal facts, with the 八未 list frozen at the campaign's start.
 */

/** The fields of a journal entry that supervision reads. */
export interface Fact {
  seq: number;
  kind: 'create' | 'event' | 'refusal' | 'correction';
  entity: string;
  id: string;
  at: string | null;
  actor: string;
  event?: unknown;
  input?: unknown;
  from?: unknown;
  to?: unknown;
  rejection?: unknown;
  /** A correction: the entry it supersedes, and whether it voids it. */
  supersedes?: number;
  void?: boolean;
  reason?: string;
  /** The entity it was made with (a project event applied by a filing's approval, and that date). */
  link?: { entity: string; id: string; at?: string };
}

/** ≥ 1 亿元 = planned investment of at least 10,000 万元. */
export const MAJOR_PROJECT_WAN = 10_000;

export interface ProjectFacts {
  id: string;
  name: string;
  unitId: string;
  plannedInvestment: number;
  xiangshang: boolean;
  /** Invented data (a scenario's 示例数据). */
  illustrative: boolean;
  /** Public works (公益性) end at completion (absent: productive). */
  purpose?: 'productive' | 'public';
  /** The programme (项目群) it is a sub-project of. */
  programmeId?: string;
  value: ProjectStateValue;
  /** Date the project reached its current lifecycle stage (from input `since`/`asOf` or the event). */
  stageSince: string | null;
}

/** One accepted project event's contribution to a task. */
export interface Movement {
  seq: number;
  at: string;
  projectId: string;
  unitId: string;
  task: Task;
  amount: number;
  /** For count tasks: the project was in the task's 八未 on the frozen day-0 list. */
  baseline: boolean;
  /** Journal seq of the correction that took it back (counted only by supervisions held before it). */
  retractedSeq?: number;
}

/** Whether a movement was on the books as of journal entry `cutoffSeq`. */
export function knownAt(m: Movement, cutoffSeq: number): boolean {
  return m.seq <= cutoffSeq && (m.retractedSeq === undefined || m.retractedSeq > cutoffSeq);
}

/** A filing's time waiting for review (from its submission to its decision), and what it would move. */
export interface PendingSpan {
  filingId: string;
  projectId: string;
  unitId: string;
  type: string;
  at: string;
  fromSeq: number;
  /** The seq that decided it (approved, returned, withdrawn), or null while pending. */
  toSeq: number | null;
  moves: { task: Task; amount: number }[];
}

const COUNT_EVENT: Partial<Record<string, Task>> = {
  SIGN: 'signed',
  START_CONSTRUCTION: 'started',
  COMPLETE: 'completed',
  REGISTER_STATS: 'registered',
  START_PRODUCTION: 'intoProduction',
};

/** What one accepted event moves, given the project as it was. */
export function movementsOf(
  project: ProjectFacts,
  event: { type: string; [k: string]: unknown },
  to: ProjectStateValue,
): { task: Task; amount: number }[] {
  const out: { task: Task; amount: number }[] = [];
  const count = COUNT_EVENT[event.type];
  if (count !== undefined) out.push({ task: count, amount: 1 });
  if (event.type === 'SIGN' && project.plannedInvestment >= MAJOR_PROJECT_WAN)
    out.push({ task: 'majorSignings', amount: 1 });
  if (event.type === 'SIGN' && project.xiangshang) out.push({ task: 'xiangshang', amount: 1 });
  if (to.lifecycle === 'atTarget' && project.value.lifecycle !== 'atTarget')
    out.push({ task: 'reachedTarget', amount: 1 });
  if (event.type === 'REPORT_CLEARANCE') {
    if (Number(event.mu) > 0) out.push({ task: 'landMu', amount: Number(event.mu) });
    if (Number(event.houses) > 0) out.push({ task: 'housesDemolished', amount: Number(event.houses) });
  }
  if (event.type === 'DISBURSE_BOND') out.push({ task: 'bondDisbursed', amount: Number(event.amount) });
  if (event.type === 'REPORT_INVESTMENT') out.push({ task: 'investment', amount: Number(event.amount) });
  return out;
}

/** Every project's facts and movements, replaying project entries in journal order. */
export interface Ledger {
  projects: Map<string, ProjectFacts>;
  movements: Movement[];
  /** 八未 of each project on the frozen list (as of `baselineSeq`). */
  baseline: Map<string, WeiKey[]>;
  /** Accepted project events (seq, date, project, type) in order. */
  events: {
    seq: number;
    at: string;
    projectId: string;
    type: string;
    from: ProjectStateValue;
    to: ProjectStateValue;
  }[];
  /** Corrections (更正) of accepted project events, in journal order. */
  corrections: {
    seq: number;
    supersedes: number;
    projectId: string;
    at: string | null;
    type: string;
    void: boolean;
    reason: string;
    actor: string;
  }[];
  /** Every filing's pending spans (审核中), for supervisions to count as pending. */
  pending: PendingSpan[];
  /** Programmes (项目群) registered, with their declared planned total (万元). */
  programmes: Map<string, { id: string; name: string; plannedInvestment: number }>;
  /** Refused project events. */
  refusals: {
    seq: number;
    at: string | null;
    projectId: string;
    actor: string;
    type: string;
    rule: string;
    zh: string;
    en: string;
  }[];
}

/**
 * Folds the journal's project entries. `baselineSeq` freezes the 八未 list (the campaign's
 * START entry): projects in a not-yet then are scored; those entering one later are tracked
 * separately.
 */
export function buildLedger(facts: Iterable<Fact>, baselineSeq: number, options: LedgerOptions = {}): Ledger {
  const fold = new LedgerFold(options);
  fold.freezeAfter(baselineSeq);
  for (const fact of facts) fold.add(fact);
  return fold.view();
}

export interface LedgerOptions {
  countIn?: 'filed' | 'approved';
  programmes?: 'once' | 'each';
}

/**
 * The ledger folded forward a journal entry at a time, so that a figure reflecting a later
 * position adds only the entries since (`buildLedger` folds them all at once). The ledger it
 * holds keeps growing: a movement's `retractedSeq` is set when a later correction supersedes it,
 * which is why readers count movements as known at a cutoff (`knownAt`).
 */
export class LedgerFold {
  private readonly ledger: Ledger = {
    projects: new Map(),
    movements: [],
    baseline: new Map(),
    events: [],
    refusals: [],
    corrections: [],
    pending: [],
    programmes: new Map(),
  };
  // A programme's ≥ 1 亿元 signing counts once, for its first sub-project to sign.
  private readonly programmesSigned = new Set<string>();
  // What each accepted event moved and the project as it was, by seq (for corrections).
  private readonly moved = new Map<number, { movements: Movement[]; before: ProjectFacts; to: ProjectStateValue }>();
  private readonly openSpans = new Map<string, PendingSpan>();
  private frozen = false;
  private baselineSeq = Number.MAX_SAFE_INTEGER;

  constructor(private readonly options: LedgerOptions = {}) {}

  /** The 八未 list is frozen as it stands after entry `seq` (the campaign's START), once. */
  freezeAfter(seq: number): void {
    if (!this.frozen) this.baselineSeq = seq;
  }

  /**
   * The ledger of the entries added so far. Before the list is frozen, its baseline is every
   * project's 八未 now (in a copy: the fold itself stays unfrozen).
   */
  view(): Ledger {
    if (this.frozen) return this.ledger;
    return { ...this.ledger, baseline: new Map([...this.ledger.projects.values()].map((p) => [p.id, weiKeys(p)])) };
  }

  /** A sub-project's ≥ 1 亿元 signing is its programme's, counted once (unless `programmes: each`). */
  private atProgrammeLevel(
    project: ProjectFacts,
    event: { type: string },
    moves: { task: Task; amount: number }[],
  ): { task: Task; amount: number }[] {
    const programme = project.programmeId === undefined ? undefined : this.ledger.programmes.get(project.programmeId);
    if (programme === undefined || this.options.programmes === 'each') return moves;
    const rest = moves.filter((m) => m.task !== 'majorSignings');
    if (
      event.type !== 'SIGN' ||
      programme.plannedInvestment < MAJOR_PROJECT_WAN ||
      this.programmesSigned.has(programme.id)
    )
      return rest;
    this.programmesSigned.add(programme.id);
    return [...rest, { task: 'majorSignings', amount: 1 }];
  }

  add(fact: Fact): void {
    const { ledger, moved } = this;
    if (!this.frozen && fact.seq > this.baselineSeq) {
      for (const p of ledger.projects.values()) ledger.baseline.set(p.id, weiKeys(p));
      this.frozen = true;
    }
    if (fact.entity === 'filing') {
      trackFiling(ledger, this.openSpans, fact);
      return;
    }
    if (fact.entity === 'programme' && fact.kind !== 'refusal') {
      const input = (fact.kind === 'create' ? fact.input : fact.event) as { name?: string; plannedInvestment?: number };
      const known = ledger.programmes.get(fact.id);
      ledger.programmes.set(fact.id, {
        id: fact.id,
        name: input.name ?? known?.name ?? fact.id,
        plannedInvestment: input.plannedInvestment ?? known?.plannedInvestment ?? 0,
      });
      return;
    }
    if (fact.entity !== 'project') return;
    if (fact.kind === 'create') {
      const input = fact.input as ProjectInput;
      ledger.projects.set(fact.id, {
        id: fact.id,
        name: input.name,
        unitId: input.unitId,
        plannedInvestment: input.plannedInvestment,
        xiangshang: input.flags?.xiangshang === true,
        illustrative: input.flags?.illustrative === true,
        ...(input.purpose === undefined ? {} : { purpose: input.purpose }),
        ...(input.programmeId === undefined ? {} : { programmeId: input.programmeId }),
        value: valueFromInput(input),
        stageSince: input.since ?? input.asOf ?? null,
      });
      return;
    }
    const project = ledger.projects.get(fact.id);
    const event = fact.event as { type: string; [k: string]: unknown };
    if (project === undefined) return;
    if (fact.kind === 'refusal') {
      const rejection = fact.rejection as { rule: string; zh: string; en: string };
      ledger.refusals.push({
        seq: fact.seq,
        at: fact.at,
        projectId: fact.id,
        actor: fact.actor,
        type: String(event?.type),
        ...rejection,
      });
      return;
    }
    const to = fact.to as ProjectStateValue;
    const baselineKeys = ledger.baseline.get(fact.id) ?? [];
    const movementsFor = (before: ProjectFacts, e: typeof event, at: string, after: ProjectStateValue) =>
      this.atProgrammeLevel(before, e, movementsOf(before, e, after)).map((m) => {
        const clears = TASK_CLEARS[m.task];
        return {
          seq: fact.seq,
          // 完成投资 counts in the month it is for: its last day, or the report's day within it.
          at: m.task === 'investment' && isIsoMonth(e.month) ? minDate(endOfMonth(`${e.month}-01`), at) : at,
          projectId: fact.id,
          unitId: before.unitId,
          task: m.task,
          amount: m.amount,
          baseline: clears === undefined || (this.frozen && baselineKeys.includes(clears as WeiKey)),
        };
      });
    if (fact.kind === 'correction') {
      const original = moved.get(fact.supersedes!);
      if (original === undefined) return;
      for (const m of original.movements) m.retractedSeq ??= fact.seq;
      const replacement =
        fact.void === true ? [] : movementsFor(original.before, event, String(event.at ?? fact.at), original.to);
      ledger.movements.push(...replacement);
      moved.set(fact.supersedes!, { ...original, movements: replacement });
      ledger.corrections.push({
        seq: fact.seq,
        supersedes: fact.supersedes!,
        projectId: fact.id,
        at: fact.at,
        type: String(ledger.events.find((e) => e.seq === fact.supersedes)?.type),
        void: fact.void === true,
        reason: fact.reason ?? '',
        actor: fact.actor,
      });
      // The events as they stand now: a voided one is gone, a corrected one has its new date.
      const index = ledger.events.findIndex((e) => e.seq === fact.supersedes);
      if (index >= 0) {
        if (fact.void === true) ledger.events.splice(index, 1);
        else ledger.events[index] = { ...ledger.events[index]!, at: String(event.at ?? ledger.events[index]!.at) };
      }
      ledger.projects.set(fact.id, { ...project, value: to });
      return;
    }
    // A filing's event counts in the month it is dated, or (countIn approved) the month approved.
    const at =
      this.options.countIn === 'approved' && fact.link?.entity === 'filing' && fact.link.at !== undefined
        ? fact.link.at
        : fact.at!;
    const movements = movementsFor(project, event, at, to);
    ledger.movements.push(...movements);
    moved.set(fact.seq, { movements, before: project, to });
    ledger.events.push({ seq: fact.seq, at, projectId: fact.id, type: event.type, from: project.value, to });
    ledger.projects.set(fact.id, {
      ...project,
      value: to,
      stageSince: to.lifecycle !== project.value.lifecycle ? at : project.stageSince,
    });
  }
}

/** A filing's submission opens a pending span; its decision closes it; a resubmission opens another. */
function trackFiling(ledger: Ledger, open: Map<string, PendingSpan>, fact: Fact): void {
  if (fact.kind === 'refusal' || fact.kind === 'correction') return;
  const close = () => {
    const span = open.get(fact.id);
    if (span !== undefined) span.toSeq = fact.seq;
    open.delete(fact.id);
  };
  const start = (projectId: string, unitId: string, event: { type: string; at?: unknown; [k: string]: unknown }) => {
    const project = ledger.projects.get(projectId);
    const span: PendingSpan = {
      filingId: fact.id,
      projectId,
      unitId,
      type: event.type,
      at: String(event.at),
      fromSeq: fact.seq,
      toSeq: null,
      moves: project === undefined ? [] : movementsOf(project, event, project.value),
    };
    ledger.pending.push(span);
    open.set(fact.id, span);
  };
  if (fact.kind === 'create') {
    const input = fact.input as { projectId: string; unitId: string; event: { type: string; at: string } };
    start(input.projectId, input.unitId, input.event);
    return;
  }
  const event = fact.event as { type: string; event?: { type: string; at: string } };
  if (event.type === 'RESUBMIT' && event.event !== undefined) {
    const last = ledger.pending.findLast((p) => p.filingId === fact.id);
    if (last !== undefined) start(last.projectId, last.unitId, event.event);
    return;
  }
  close();
}

/** What filings were pending at journal entry `cutoffSeq` would move, per unit and task. */
export function pendingAt(ledger: Ledger, cutoffSeq: number): PendingSpan[] {
  return ledger.pending.filter((p) => p.fromSeq <= cutoffSeq && (p.toSeq === null || p.toSeq > cutoffSeq));
}

/** Sum of movement amounts matching `filter`, rounded like every stored quantity. */
export function sumMovements(movements: Movement[], filter: (m: Movement) => boolean): number {
  let total = 0;
  for (const m of movements) if (filter(m)) total = addQuantity(total, m.amount);
  return total;
}

/** Journal order by event date, then by seq (the order things happened, ties as journalled). */
export function byDateThenSeq(a: { at: string | null; seq: number }, b: { at: string | null; seq: number }): number {
  const [x, y] = [a.at ?? '', b.at ?? ''];
  return x < y ? -1 : x > y ? 1 : a.seq - b.seq;
}

/** The day a running sum of `movements` (in date order) first reaches `target`, or null. */
export function dayTargetReached(movements: readonly Movement[], target: number): string | null {
  let running = 0;
  for (const m of [...movements].sort(byDateThenSeq)) {
    running = addQuantity(running, m.amount);
    if (running >= target) return m.at;
  }
  return null;
}

function minDate(a: string, b: string): string {
  return a < b ? a : b;
}
