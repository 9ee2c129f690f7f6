import type { CampaignInput } from './campaign-types.ts';
import { campaignEnd } from './campaign-calendar.ts';
import { monthOf } from './dates.ts';
import type { Ledger } from './ledger.ts';
import type { ProjectContext, ProjectStateValue } from './project-types.ts';
import { addQuantity } from './quantity.ts';
import { completed, eachStep, filterSteps } from './steps.ts';

/** A campaign's money: planned, annual plans, 完成投资 during the campaign — per unit and in all. */
export interface InvestmentSummary {
  /**
   * Whether the campaign tracks investment at all: an investment target, an annual plan or a
   * 完成投资 report. A campaign that does not is not told every 入库 project misses its reports.
   */
  tracked: boolean;
  /** Σ 计划总投资 of the units' projects (not dropped), 万元. */
  planned: number;
  /** Σ 年度计划 of the campaign's year(s). */
  annualPlan: number;
  /** 完成投资 reported for months of the campaign. */
  completed: number;
  /** completed / annualPlan, or null without an annual plan. */
  rate: number | null;
  byUnit: { unitId: string; planned: number; annualPlan: number; completed: number; rate: number | null }[];
  /**
   * 入库 projects without a 完成投资 report for a month since they were registered (the
   * statistics bureau's first question): each month from registration to the last full month
   * before `asOf`.
   */
  missing: { projectId: string; unitId: string; months: string[] }[];
  asOf: string | null;
}

/** The months from `from` to `to` (YYYY-MM), both included. */
function monthsFrom(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  for (let guard = 0; guard < 600; guard++) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > to) break;
    out.push(month);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

/** The month before `month` (YYYY-MM). */
function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/**
 * The campaign's investment figures from the ledger (完成投资 counted in its month, as
 * supervisions count it) and the projects as they stand (plans, 入库, reports made).
 */
export function investmentSummary(...args: Parameters<typeof investmentSummarySteps>): InvestmentSummary {
  return completed(investmentSummarySteps(...args));
}

/** {@link investmentSummary}, pausing (yielding) every `ITEMS_PER_STEP` projects or movements (steps.ts). */
export function* investmentSummarySteps(
  config: CampaignInput,
  ledger: Ledger,
  projects: readonly { value: ProjectStateValue; context: ProjectContext }[],
  asOf: string | null,
): Generator<void, InvestmentSummary> {
  const end = campaignEnd(config.start, config.days);
  const years = [...new Set([config.start.slice(0, 4), end.slice(0, 4)])];
  const units = new Set(config.units.map((u) => u.id));
  const mine = yield* filterSteps(projects, (p) => units.has(p.context.unitId) && p.value.lifecycle !== 'dropped');
  const completedBy = new Map<string, number>();
  yield* eachStep(ledger.movements, (m) => {
    if (m.task === 'investment' && m.retractedSeq === undefined && m.at >= config.start && m.at <= end)
      completedBy.set(m.unitId, addQuantity(completedBy.get(m.unitId) ?? 0, m.amount));
  });
  const rate = (done: number, plan: number) => (plan > 0 ? done / plan : null);
  // Each unit's sums in one pass over its projects, in their order (so the sums add up as before).
  const sums = new Map<string, { planned: number; annualPlan: number }>();
  yield* eachStep(mine, (p) => {
    let sum = sums.get(p.context.unitId);
    if (sum === undefined) {
      sum = { planned: 0, annualPlan: 0 };
      sums.set(p.context.unitId, sum);
    }
    sum.planned = addQuantity(sum.planned, p.context.plannedInvestment);
    for (const y of years) sum.annualPlan = addQuantity(sum.annualPlan, p.context.annualPlan?.[y] ?? 0);
  });
  const byUnit = config.units.map((u) => {
    const { planned, annualPlan } = sums.get(u.id) ?? { planned: 0, annualPlan: 0 };
    const completed = completedBy.get(u.id) ?? 0;
    return { unitId: u.id, planned, annualPlan, completed, rate: rate(completed, annualPlan) };
  });
  const tracked =
    Object.values(config.targets).some((months) => Object.values(months).some((t) => (t.investment ?? 0) > 0)) ||
    byUnit.some((u) => u.annualPlan > 0) ||
    ledger.movements.some((m) => m.task === 'investment');
  const lastFull = asOf === null || !tracked ? null : previousMonth(monthOf(asOf));
  const missing: InvestmentSummary['missing'] = [];
  if (lastFull !== null)
    yield* eachStep(mine, (p) => {
      const since =
        p.context.milestones.registered ?? (p.value.statistics === 'registered' ? p.context.milestones.started : null);
      if (p.value.statistics !== 'registered' || since === null) return;
      const reported = new Set((p.context.investments ?? []).map((r) => r.month));
      const months = monthsFrom(monthOf(since), lastFull).filter((m) => !reported.has(m));
      if (months.length > 0) missing.push({ projectId: p.context.id, unitId: p.context.unitId, months });
    });
  const sum = (key: 'planned' | 'annualPlan' | 'completed') => byUnit.reduce((acc, u) => addQuantity(acc, u[key]), 0);
  return {
    tracked,
    planned: sum('planned'),
    annualPlan: sum('annualPlan'),
    completed: sum('completed'),
    rate: rate(sum('completed'), sum('annualPlan')),
    byUnit,
    missing,
    asOf,
  };
}
