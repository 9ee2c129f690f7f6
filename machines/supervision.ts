import { campaignEnd, campaignPeriods, type Period } from './campaign-calendar.ts';
import { DEFAULT_LIGHTS, TASKS, TASK_CLEARS, type CampaignInput, type LightRules, type Task, type UnitGroup } from './campaign-types.ts';
import { addDays, daysBetween, monthsBetween } from './dates.ts';
import { valueFromInput } from './project-input.ts';
import type { ProjectInput, ProjectStateValue } from './project-types.ts';
import { addQuantity } from './quantity.ts';
import { ladderStep, type LadderStep, type MonthAssessment } from './unit.ts';
import { WEI_KEYS, weiKeys, type WeiKey } from './wei.ts';

/**
 * Supervision (每月一督查) as pure functions of the journal. Actuals are never typed in: they
 * are the accepted events dated in the period, read from journal facts.
 */

/** The fields of a journal entry that supervision reads. */
export interface Fact {
  seq: number;
  kind: 'create' | 'event' | 'refusal';
  entity: string;
  id: string;
  at: string | null;
  actor: string;
  event?: unknown;
  input?: unknown;
  from?: unknown;
  to?: unknown;
  rejection?: unknown;
}

/** ≥ 1 亿元 = planned investment of at least 10,000 万元. */
export const MAJOR_PROJECT_WAN = 10_000;

export interface ProjectFacts {
  id: string;
  name: string;
  unitId: string;
  plannedInvestment: number;
  xiangshang: boolean;
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
}

const COUNT_EVENT: Partial<Record<string, Task>> = {
  SIGN: 'signed',
  START_CONSTRUCTION: 'started',
  COMPLETE: 'completed',
  REGISTER_STATS: 'registered',
  START_PRODUCTION: 'intoProduction',
};

/** What one accepted event moves, given the project as it was. */
export function movementsOf(project: ProjectFacts, event: { type: string; [k: string]: unknown }, to: ProjectStateValue): { task: Task; amount: number }[] {
  const out: { task: Task; amount: number }[] = [];
  const count = COUNT_EVENT[event.type];
  if (count !== undefined) out.push({ task: count, amount: 1 });
  if (event.type === 'SIGN' && project.plannedInvestment >= MAJOR_PROJECT_WAN) out.push({ task: 'majorSignings', amount: 1 });
  if (event.type === 'SIGN' && project.xiangshang) out.push({ task: 'xiangshang', amount: 1 });
  if (to.lifecycle === 'atTarget' && project.value.lifecycle !== 'atTarget') out.push({ task: 'reachedTarget', amount: 1 });
  if (event.type === 'REPORT_CLEARANCE') {
    if (Number(event.mu) > 0) out.push({ task: 'landMu', amount: Number(event.mu) });
    if (Number(event.houses) > 0) out.push({ task: 'housesDemolished', amount: Number(event.houses) });
  }
  if (event.type === 'DISBURSE_BOND') out.push({ task: 'bondDisbursed', amount: Number(event.amount) });
  return out;
}

/** Every project's facts and movements, replaying project entries in journal order. */
export interface Ledger {
  projects: Map<string, ProjectFacts>;
  movements: Movement[];
  /** 八未 of each project on the frozen list (as of `baselineSeq`). */
  baseline: Map<string, WeiKey[]>;
  /** Accepted project events (seq, date, project, type) in order. */
  events: { seq: number; at: string; projectId: string; type: string; from: ProjectStateValue; to: ProjectStateValue }[];
  /** Refused project events. */
  refusals: { seq: number; at: string | null; projectId: string; actor: string; type: string; rule: string; zh: string; en: string }[];
}

/**
 * Folds the journal's project entries. `baselineSeq` freezes the 八未 list (the campaign's
 * START entry): projects in a not-yet then are scored; those entering one later are tracked
 * separately.
 */
export function buildLedger(facts: Iterable<Fact>, baselineSeq: number): Ledger {
  const ledger: Ledger = { projects: new Map(), movements: [], baseline: new Map(), events: [], refusals: [] };
  let frozen = false;
  const freeze = () => {
    for (const p of ledger.projects.values()) ledger.baseline.set(p.id, weiKeys(p));
    frozen = true;
  };
  for (const fact of facts) {
    if (!frozen && fact.seq > baselineSeq) freeze();
    if (fact.entity !== 'project') continue;
    if (fact.kind === 'create') {
      const input = fact.input as ProjectInput;
      ledger.projects.set(fact.id, {
        id: fact.id,
        name: input.name,
        unitId: input.unitId,
        plannedInvestment: input.plannedInvestment,
        xiangshang: input.flags?.xiangshang === true,
        value: valueFromInput(input),
        stageSince: input.since ?? input.asOf ?? null,
      });
      continue;
    }
    const project = ledger.projects.get(fact.id);
    const event = fact.event as { type: string; [k: string]: unknown };
    if (project === undefined) continue;
    if (fact.kind === 'refusal') {
      const rejection = fact.rejection as { rule: string; zh: string; en: string };
      ledger.refusals.push({ seq: fact.seq, at: fact.at, projectId: fact.id, actor: fact.actor, type: String(event?.type), ...rejection });
      continue;
    }
    const to = fact.to as ProjectStateValue;
    const at = fact.at!;
    const baselineKeys = ledger.baseline.get(fact.id) ?? [];
    for (const m of movementsOf(project, event, to)) {
      const clears = TASK_CLEARS[m.task];
      ledger.movements.push({ seq: fact.seq, at, projectId: fact.id, unitId: project.unitId, task: m.task, amount: m.amount, baseline: clears === undefined || (frozen && baselineKeys.includes(clears as WeiKey)) });
    }
    ledger.events.push({ seq: fact.seq, at, projectId: fact.id, type: event.type, from: project.value, to });
    ledger.projects.set(fact.id, { ...project, value: to, stageSince: to.lifecycle !== project.value.lifecycle ? at : project.stageSince });
  }
  if (!frozen) freeze();
  return ledger;
}

export type Light = 'green' | 'yellow' | 'red';

export interface TaskResult {
  task: Task;
  target: number;
  /** Progress that scores: on the frozen list (count tasks) or any (quantities). */
  actual: number;
  /** Count tasks: projects that entered the not-yet during the campaign, reported separately. */
  newActual: number;
  /** actual / target, or null without a target. */
  rate: number | null;
  /** Rank in the unit's group on this task (1 = best), null when not ranked. */
  rank: number | null;
  ranked: number;
  bottom: boolean;
  /** The day the monthly target was reached, or null. */
  reachedOn: string | null;
  /** Campaign-to-date rate against 序时进度. */
  light: Light | null;
}

export interface UnitMonth {
  unitId: string;
  name: string;
  group: UnitGroup;
  tasks: TaskResult[];
  missedTasks: Task[];
  bottomTasks: Task[];
  step: LadderStep;
}

export interface MonthSupervision {
  month: string;
  from: string;
  to: string;
  /** 序时进度 at the period's end: elapsed days / campaign days. */
  elapsed: number;
  units: UnitMonth[];
}

function sum(movements: Movement[], filter: (m: Movement) => boolean): number {
  let total = 0;
  for (const m of movements) if (filter(m)) total = addQuantity(total, m.amount);
  return total;
}

/** The light for a rate against time-elapsed progress (green r ≥ t; yellow within N points; red beyond). */
export function lightFor(rate: number, elapsed: number, rules: LightRules): Light {
  if (rate >= elapsed) return 'green';
  return (elapsed - rate) * 100 <= rules.yellowWithinPoints + 1e-9 ? 'yellow' : 'red';
}

/** Competition ranking (1, 2, 2, 4) after the tie-breaks: rate, then absolute progress, then earlier completion. */
function rankUnits(rows: { unitId: string; rate: number; actual: number; reachedOn: string | null }[]): Map<string, number> {
  const key = (r: (typeof rows)[number]) => [r.rate, r.actual, r.reachedOn ?? '9999-12-31'] as const;
  const sorted = [...rows].sort((a, b) => {
    const [ra, aa, da] = key(a);
    const [rb, ab, db] = key(b);
    return rb - ra || ab - aa || (da < db ? -1 : da > db ? 1 : 0) || (a.unitId < b.unitId ? -1 : 1);
  });
  const ranks = new Map<string, number>();
  sorted.forEach((row, i) => {
    const prev = sorted[i - 1];
    const tied = prev !== undefined && key(prev).every((v, j) => v === key(row)[j]);
    ranks.set(row.unitId, tied ? ranks.get(prev.unitId)! : i + 1);
  });
  return ranks;
}

/**
 * The supervision of one period: per unit and task the target, the actual (accepted events
 * dated in the period, journalled no later than `cutoffSeq`), the rate, the rank in the group,
 * who missed, and the ladder step (interviews, notices) given the previous month.
 */
export function superviseMonth(config: CampaignInput, ledger: Ledger, period: Period, cutoffSeq: number, previous: MonthSupervision | undefined): MonthSupervision {
  const rules = { ...DEFAULT_LIGHTS, ...config.lights };
  const bottomN = config.bottomN ?? 2;
  const minRanked = config.minRanked ?? 3;
  const end = campaignEnd(config.start, config.days);
  const elapsed = Math.min(1, (daysBetween(config.start, period.to) + 1) / config.days);
  const inPeriod = ledger.movements.filter((m) => m.seq <= cutoffSeq && m.at >= period.from && m.at <= period.to);
  const toDate = ledger.movements.filter((m) => m.seq <= cutoffSeq && m.at >= config.start && m.at <= period.to && m.at <= end);
  const units = config.units.map((unit) => {
    const targets = config.targets[unit.id]?.[period.month] ?? {};
    const tasks: TaskResult[] = TASKS.map((task) => {
      const target = targets[task] ?? 0;
      const mine = inPeriod.filter((m) => m.unitId === unit.id && m.task === task);
      const actual = sum(mine, (m) => m.baseline);
      const newActual = sum(mine, (m) => !m.baseline);
      let reachedOn: string | null = null;
      if (target > 0) {
        let running = 0;
        for (const m of mine.filter((x) => x.baseline).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.seq - b.seq))) {
          running = addQuantity(running, m.amount);
          if (running >= target) {
            reachedOn = m.at;
            break;
          }
        }
      }
      const campaignTarget = Object.values(config.targets[unit.id] ?? {}).reduce((acc, t) => acc + (t[task] ?? 0), 0);
      const campaignActual = sum(toDate, (m) => m.unitId === unit.id && m.task === task && m.baseline);
      return {
        task,
        target,
        actual,
        newActual,
        rate: target > 0 ? actual / target : null,
        rank: null,
        ranked: 0,
        bottom: false,
        reachedOn,
        light: campaignTarget > 0 ? lightFor(campaignActual / campaignTarget, elapsed, rules) : null,
      };
    });
    return { unitId: unit.id, name: unit.name, group: unit.group, tasks };
  });
  // Rank within each group, per single task, only units with a target for it.
  for (const group of new Set(config.units.map((u) => u.group))) {
    const members = units.filter((u) => u.group === group);
    for (const task of TASKS) {
      const rows = members.flatMap((u) => {
        const t = u.tasks.find((x) => x.task === task)!;
        return t.rate === null ? [] : [{ unitId: u.unitId, rate: t.rate, actual: t.actual, reachedOn: t.reachedOn }];
      });
      const ranks = rankUnits(rows);
      for (const u of members) {
        const t = u.tasks.find((x) => x.task === task)!;
        const rank = ranks.get(u.unitId);
        if (rank === undefined) continue;
        t.rank = rank;
        t.ranked = rows.length;
        t.bottom = rows.length >= minRanked && rank > rows.length - bottomN;
      }
    }
  }
  const previousByUnit = new Map(previous?.units.map((u) => [u.unitId, { month: previous.month, missedTasks: u.missedTasks, bottomTasks: u.bottomTasks }]));
  return {
    month: period.month,
    from: period.from,
    to: period.to,
    elapsed,
    units: units.map((u) => {
      const missedTasks = u.tasks.filter((t) => t.rate !== null && t.actual < t.target).map((t) => t.task);
      const bottomTasks = u.tasks.filter((t) => t.bottom).map((t) => t.task);
      const prior = previousByUnit.get(u.unitId);
      const assessment: MonthAssessment = { month: period.month, missedTasks, bottomTasks };
      const step = ladderStep(prior, assessment);
      return { ...u, missedTasks, bottomTasks, step };
    }),
  };
}

/** The campaign's published figures, computed from the events (the report's `totals`). */
export interface CampaignTotals {
  intoProduction: number;
  reachedTarget: number;
  bondProjectsAdvanced: number;
  landSuppliedMu: number;
  housesDemolished: number;
  majorSignings: number;
  majorStarted: number;
  xiangshangProjects: number;
  parkSignings: number;
  parkStarts: number;
  parkCompletions: number;
  bondDisbursedWan: number;
  landTaskMu: number | null;
  landTaskMet: boolean;
  landTaskMetOn: string | null;
  landTaskMetDay: number | null;
}

const ADVANCES = new Set(['SIGN', 'START_CONSTRUCTION', 'COMPLETE', 'START_PRODUCTION']);

/**
 * Totals over the campaign window (all accepted events dated from day 1 to the last day, on
 * the frozen list or not): into production, 达产, bond projects advanced (distinct projects
 * with a disbursement), land and houses, ≥ 1 亿元 signings and starts, 湘商回株 projects that
 * moved forward a stage, and the park's signings, starts and completions.
 */
export function campaignTotals(config: CampaignInput, ledger: Ledger): CampaignTotals {
  const end = campaignEnd(config.start, config.days);
  const inWindow = (at: string) => at >= config.start && at <= end;
  const events = ledger.events.filter((e) => inWindow(e.at));
  const park = new Set(config.units.filter((u) => u.group === 'park').map((u) => u.id));
  const project = (id: string) => ledger.projects.get(id)!;
  const countEvents = (type: string, filter: (p: ProjectFacts) => boolean = () => true) => events.filter((e) => e.type === type && filter(project(e.projectId))).length;
  const movements = ledger.movements.filter((m) => inWindow(m.at));
  let landTaskMetOn: string | null = null;
  if (config.landTaskMu !== undefined) {
    let running = 0;
    for (const m of [...movements].filter((x) => x.task === 'landMu').sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.seq - b.seq))) {
      running = addQuantity(running, m.amount);
      if (running >= config.landTaskMu) {
        landTaskMetOn = m.at;
        break;
      }
    }
  }
  const distinct = (filter: (e: (typeof events)[number]) => boolean) => new Set(events.filter(filter).map((e) => e.projectId)).size;
  return {
    intoProduction: countEvents('START_PRODUCTION'),
    reachedTarget: events.filter((e) => e.to.lifecycle === 'atTarget' && e.from.lifecycle !== 'atTarget').length,
    bondProjectsAdvanced: distinct((e) => e.type === 'DISBURSE_BOND'),
    landSuppliedMu: sum(movements, (m) => m.task === 'landMu'),
    housesDemolished: sum(movements, (m) => m.task === 'housesDemolished'),
    majorSignings: countEvents('SIGN', (p) => p.plannedInvestment >= MAJOR_PROJECT_WAN),
    majorStarted: countEvents('START_CONSTRUCTION', (p) => p.plannedInvestment >= MAJOR_PROJECT_WAN),
    xiangshangProjects: distinct((e) => ADVANCES.has(e.type) && project(e.projectId).xiangshang),
    parkSignings: countEvents('SIGN', (p) => park.has(p.unitId)),
    parkStarts: countEvents('START_CONSTRUCTION', (p) => park.has(p.unitId)),
    parkCompletions: countEvents('COMPLETE', (p) => park.has(p.unitId)),
    bondDisbursedWan: sum(movements, (m) => m.task === 'bondDisbursed'),
    landTaskMu: config.landTaskMu ?? null,
    landTaskMet: landTaskMetOn !== null,
    landTaskMetOn,
    landTaskMetDay: landTaskMetOn === null ? null : daysBetween(config.start, landTaskMetOn) + 1,
  };
}

/** Counts of the eight 八未 at the end of each campaign day (the burn-down). */
export function burnDown(config: CampaignInput, facts: Iterable<Fact>): { day: number; date: string; counts: Record<WeiKey, number> }[] {
  const values = new Map<string, ProjectStateValue>();
  const series: { day: number; date: string; counts: Record<WeiKey, number> }[] = [];
  const snapshotDay = (day: number, date: string) => {
    const counts = Object.fromEntries(WEI_KEYS.map((k) => [k, 0])) as Record<WeiKey, number>;
    for (const value of values.values()) for (const key of weiKeys({ value })) counts[key] += 1;
    series.push({ day, date, counts });
  };
  const sorted = [...facts].filter((f) => f.entity === 'project' && f.kind !== 'refusal').sort((a, b) => ((a.at ?? '') < (b.at ?? '') ? -1 : (a.at ?? '') > (b.at ?? '') ? 1 : a.seq - b.seq));
  let i = 0;
  for (let day = 0; day <= config.days; day++) {
    // Day 0 is the eve of the campaign: everything dated before day 1.
    const date = addDays(config.start, day - 1);
    while (i < sorted.length && (sorted[i]!.at ?? '') <= date) {
      const f = sorted[i]!;
      values.set(f.id, f.kind === 'create' ? valueFromInput(f.input as ProjectInput) : (f.to as ProjectStateValue));
      i += 1;
    }
    snapshotDay(day, date);
  }
  return series;
}

/** Per-project traffic lights on a date: 入库 a month late → yellow, two → red; signed three months unstarted → red. */
export function projectLights(config: CampaignInput, ledger: Ledger, date: string): { projectId: string; unitId: string; light: Light; reason: { zh: string; en: string } }[] {
  const rules = { ...DEFAULT_LIGHTS, ...config.lights };
  const out: { projectId: string; unitId: string; light: Light; reason: { zh: string; en: string } }[] = [];
  for (const p of ledger.projects.values()) {
    if (p.stageSince === null) continue;
    const months = monthsBetween(p.stageSince, date);
    if (p.value.lifecycle === 'underConstruction' && p.value.statistics === 'unregistered' && months >= rules.unregisteredYellowMonths) {
      const light: Light = months >= rules.unregisteredRedMonths ? 'red' : 'yellow';
      out.push({ projectId: p.id, unitId: p.unitId, light, reason: { zh: `开工 ${months} 个月未入库`, en: `under construction ${months} months, not registered` } });
    }
    if (p.value.lifecycle === 'signed' && months >= rules.unstartedRedMonths) {
      out.push({ projectId: p.id, unitId: p.unitId, light: 'red', reason: { zh: `签约 ${months} 个月未开工`, en: `signed ${months} months, not started` } });
    }
  }
  return out.sort((a, b) => (a.projectId < b.projectId ? -1 : 1));
}

export { campaignPeriods };
