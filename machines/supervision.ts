import { campaignEnd, type Period } from './campaign-calendar.ts';
import {
  DEFAULT_LIGHTS,
  TASK_CLEARS,
  TASK_LABELS,
  TASKS,
  type CampaignInput,
  type LightRules,
  type Task,
  type UnitGroup,
} from './campaign-types.ts';
import { daysBetween } from './dates.ts';
import { dayTargetReached, knownAt, pendingAt, sumMovements as sum, type Ledger, type Movement } from './ledger.ts';
import { addQuantity } from './quantity.ts';
import { ladderStep, type LadderStep, type MonthAssessment } from './unit.ts';
import { completed, eachStep } from './steps.ts';

/**
 * Supervision (每月一督查) as pure functions of the journal. Actuals are never typed in: they
 * are the accepted events dated in the period, read from journal facts.
 */

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
  /** Filed and awaiting review at the supervision (审核中): not in `actual`. */
  pending: number;
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

/** The light for a rate against the progress expected (green r ≥ t; yellow within N points; red beyond). */
export function lightFor(rate: number, elapsed: number, rules: LightRules): Light {
  if (rate >= elapsed) return 'green';
  return (elapsed - rate) * 100 <= rules.yellowWithinPoints + 1e-9 ? 'yellow' : 'red';
}

/** Competition ranking (1, 2, 2, 4) after the tie-breaks: rate, then absolute progress, then earlier completion. */
function rankUnits(
  rows: { unitId: string; rate: number; actual: number; reachedOn: string | null }[],
): Map<string, number> {
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

/** The movements a supervision counts: dated in the period, journalled no later than its cutoff. */
export function periodMovements(ledger: Ledger, period: Period, cutoffSeq: number): Movement[] {
  return ledger.movements.filter((m) => knownAt(m, cutoffSeq) && m.at >= period.from && m.at <= period.to);
}

const cellKey = (unitId: string, task: string) => `${unitId}\u0000${task}`;

/** Movements by unit and task, in their order. */
function byCell(movements: readonly Movement[]): Map<string, Movement[]> {
  const cells = new Map<string, Movement[]>();
  for (const m of movements) {
    const key = cellKey(m.unitId, m.task);
    const cell = cells.get(key);
    if (cell === undefined) cells.set(key, [m]);
    else cell.push(m);
  }
  return cells;
}

/** One cell of the supervision (a unit's task): its movements — the projects behind the figure. */
export function cellMovements(inPeriod: readonly Movement[], unitId: string, task: Task): Movement[] {
  return inPeriod.filter((m) => m.unitId === unitId && m.task === task);
}

/**
 * The supervision of one period: per unit and task the target, the actual (accepted events
 * dated in the period, journalled no later than `cutoffSeq`), the rate, the rank in the group,
 * who missed, and the ladder step (interviews, notices) given the previous month.
 */
export function superviseMonth(
  config: CampaignInput,
  ledger: Ledger,
  period: Period,
  cutoffSeq: number,
  previous: MonthSupervision | undefined,
): MonthSupervision {
  const rules = { ...DEFAULT_LIGHTS, ...config.lights };
  const bottomN = config.bottomN ?? 2;
  const minRanked = config.minRanked ?? 3;
  const sameTask = config.bottomOnMissedTask ?? true;
  // What a count task scores: every project leaving the category in the period (default), or
  // only those on the frozen day-0 list (the others are shown apart as `newActual`).
  const counts = (m: Movement) => (config.scope ?? 'all') === 'all' || m.baseline;
  const end = campaignEnd(config.start, config.days);
  const elapsed = Math.min(1, (daysBetween(config.start, period.to) + 1) / config.days);
  const inPeriod = periodMovements(ledger, period, cutoffSeq);
  const toDate = ledger.movements.filter(
    (m) => knownAt(m, cutoffSeq) && m.at >= config.start && m.at <= period.to && m.at <= end,
  );
  // Each unit's task's movements, grouped once (not filtered out of all of them per cell).
  const periodByCell = byCell(inPeriod);
  const toDateByCell = byCell(toDate);
  const waiting = pendingAt(ledger, cutoffSeq);
  const pendingOf = (unitId: string, task: string) =>
    waiting
      .filter((p) => p.unitId === unitId)
      .reduce((acc, p) => p.moves.filter((m) => m.task === task).reduce((a, m) => addQuantity(a, m.amount), acc), 0);
  const units = config.units.map((unit) => {
    const targets = config.targets[unit.id]?.[period.month] ?? {};
    const tasks: TaskResult[] = TASKS.map((task) => {
      const target = targets[task] ?? 0;
      const mine = periodByCell.get(cellKey(unit.id, task)) ?? [];
      const actual = sum(mine, counts);
      const newActual = sum(mine, (m) => !counts(m));
      const reachedOn = target > 0 ? dayTargetReached(mine.filter(counts), target) : null;
      const campaignActual = sum(toDateByCell.get(cellKey(unit.id, task)) ?? [], counts);
      // Against the plan: the targets of the months to date, each month at 100 % is on plan.
      // Against the calendar: the whole campaign's target, at 序时进度.
      const months = Object.entries(config.targets[unit.id] ?? {});
      const planned = (upTo: string) =>
        months.filter(([month]) => month <= upTo).reduce((acc, [, t]) => acc + (t[task] ?? 0), 0);
      const [basisTarget, expected] =
        rules.basis === 'plan' ? [planned(period.month), 1] : [planned('9999-12'), elapsed];
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
        light: basisTarget > 0 ? lightFor(campaignActual / basisTarget, expected, rules) : null,
        pending: pendingOf(unit.id, task),
      };
    });
    return { unitId: unit.id, name: unit.name, group: unit.group, tasks };
  });
  // Rank within each group, per single task, only units with a target for it.
  const lowRanked = new Set<string>();
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
        // A laggard on a task is one that ranked in the last N and missed it: a unit that met
        // a task's target is never marked on it, whatever its rank.
        t.bottom = rows.length >= minRanked && rank > rows.length - bottomN && t.actual < t.target;
        if (rows.length >= minRanked && rank > rows.length - bottomN) lowRanked.add(`${u.unitId} ${task}`);
      }
    }
  }
  const previousByUnit = new Map(
    previous?.units.map((u) => [
      u.unitId,
      { month: previous.month, missedTasks: u.missedTasks, bottomTasks: u.bottomTasks },
    ]),
  );
  return {
    month: period.month,
    from: period.from,
    to: period.to,
    elapsed,
    units: units.map((u) => {
      const missedTasks = u.tasks.filter((t) => t.rate !== null && t.actual < t.target).map((t) => t.task);
      // 当月未完成攻坚任务且单项工作排名后两位: by default the bottom rank must be on a task it
      // missed (`bottomOnMissedTask`); otherwise any task it ranked low on counts.
      const bottomTasks = u.tasks
        .filter((t) => (sameTask ? t.bottom : lowRanked.has(`${u.unitId} ${t.task}`)))
        .map((t) => t.task);
      const prior = previousByUnit.get(u.unitId);
      const assessment: MonthAssessment = { month: period.month, missedTasks, bottomTasks };
      const step = ladderStep(prior, assessment);
      return { ...u, missedTasks, bottomTasks, step };
    }),
  };
}

/** A count task whose targets exceed the projects that could meet them. */
export interface TargetWarning {
  unitId: string;
  task: Task;
  /** The unit's target for the task over the whole campaign. */
  target: number;
  /** The unit's projects in the category the task clears (each can count once). */
  possible: number;
  zh: string;
  en: string;
}

/**
 * Targets no unit could meet with the projects it has: for each count task, the campaign's
 * target against the unit's projects now in the 八未 the task clears. Shown at registration
 * and in the report (with scope `all`, projects registered later may still close the gap).
 */
export function targetWarnings(
  config: CampaignInput,
  projects: Iterable<{ unitId: string; wei: readonly string[] }>,
): TargetWarning[] {
  return completed(targetWarningsSteps(config, projects));
}

/** {@link targetWarnings}, pausing (yielding) every `ITEMS_PER_STEP` projects (steps.ts). */
export function* targetWarningsSteps(
  config: CampaignInput,
  projects: Iterable<{ unitId: string; wei: readonly string[] }>,
): Generator<void, TargetWarning[]> {
  const inCategory = new Map<string, number>();
  yield* eachStep(projects, (p) => {
    for (const key of p.wei) inCategory.set(`${p.unitId} ${key}`, (inCategory.get(`${p.unitId} ${key}`) ?? 0) + 1);
  });
  const warnings: TargetWarning[] = [];
  for (const unit of config.units)
    for (const task of TASKS) {
      const clears = TASK_CLEARS[task];
      if (clears === undefined) continue;
      const target = Object.values(config.targets[unit.id] ?? {}).reduce((acc, t) => acc + (t[task] ?? 0), 0);
      const possible = inCategory.get(`${unit.id} ${clears}`) ?? 0;
      if (target > possible)
        warnings.push({
          unitId: unit.id,
          task,
          target,
          possible,
          zh: `${unit.name}「${TASK_LABELS[task].zh}」目标 ${target} 个,现有可完成的项目只有 ${possible} 个`,
          en: `${unit.name}: a target of ${target} for ${task}, but only ${possible} project(s) could meet it`,
        });
    }
  return warnings;
}
