import { investmentSummarySteps, type InvestmentSummary } from './investment.ts';
import { programmeRollup, type ProgrammeContext, type ProgrammeRollup } from './programme.ts';
import { campaignEnd, campaignPeriods, type Period } from './campaign-calendar.ts';
import type { CampaignInput, Task, UnitGroup } from './campaign-types.ts';
import type { CampaignContext, Measure } from './campaign.ts';
import { isOverdue } from './problem.ts';
import {
  BurnDownFold,
  campaignTotalsSteps,
  type BurnDownDay,
  projectLightsSteps,
  reportedTotals,
  type CampaignTotals,
  type Contribution,
  type CountedTotal,
} from './campaign-totals.ts';
import { LedgerFold, type Fact, type Ledger } from './ledger.ts';
import { ReportRecordsFold, type LadderRecord, type ProblemRecord } from './report-records.ts';
import { completed, eachStep, filterSteps, ITEMS_PER_STEP } from './steps.ts';
import type { Milestones, ProjectContext, ProjectStateValue, ResponsibilityChain } from './project-types.ts';
import {
  cellMovements,
  periodMovements,
  superviseMonth,
  targetWarningsSteps,
  type Light,
  type MonthSupervision,
  type TargetWarning,
} from './supervision.ts';
import type { LadderStep } from './unit.ts';
import { weiKeys, type WeiKey } from './wei.ts';

/** One row of the report's 项目台账. */
export interface ProjectLedgerRow {
  id: string;
  name: string;
  unitId: string;
  stage: string;
  wei: WeiKey[];
  plannedInvestment: number;
  purpose: 'productive' | 'public';
  land: { requiredMu: number; clearedMu: number; houses: number; demolished: number } | null;
  bond: { allocated: number; disbursed: number };
  milestones: Milestones;
  chain: ResponsibilityChain | null;
}

/** The campaign report (督查通报 per month and the final 考核总结), all computed from the journal. */
export interface CampaignReport {
  campaign: {
    id: string;
    name: string;
    start: string;
    end: string;
    days: number;
    state: string;
    supervisedMonths: string[];
    bottomN: number;
    locality: 'county' | 'city' | 'district';
    scope: 'all' | 'frozen';
    /** What the lights measure against: the plan to date (default) or 序时进度. */
    lightsBasis: 'plan' | 'calendar';
  };
  totals: CampaignTotals;
  /** Which of the totals this campaign reports, in order (see {@link reportedTotals}). */
  totalsShown: CountedTotal[];
  /** Projects in each 八未 on the frozen day-0 list, and how many entered one later (tracked separately). */
  baseline: { counts: Record<string, number>; projectsInAny: number; enteredLater: number };
  supervisions: MonthSupervision[];
  /** Per unit: the ladder month by month, interviews, notices and accountability. */
  ladders: {
    unitId: string;
    name: string;
    group: UnitGroup;
    state: string;
    months: { month: string; step: LadderStep; missedTasks: string[]; bottomTasks: string[] }[];
    accountability: { at: string; reason: string }[];
  }[];
  /** The 问题清单 of the campaign's projects, each as the journal left it, and whether it is overdue. */
  problems: (ProblemRecord & { overdue: boolean })[];
  refusals: {
    count: number;
    byRule: Record<string, number>;
    list: { at: string | null; projectId: string; actor: string; type: string; rule: string; zh: string; en: string }[];
  };
  /** The 八未 counts at the end of each day, and the projects dropped (终止) by then, counted apart. */
  burnDown: BurnDownDay[];
  projectLights: { projectId: string; unitId: string; light: Light; reason: { zh: string; en: string } }[];
  /**
   * 项目台账: every project of the campaign's units as it stands — stage, 八未, investment, land,
   * bond, milestones with their dates, the responsible leaders — in unit then id order.
   */
  projects: ProjectLedgerRow[];
  /** The article's other measures (外出招商, 企业办事不求人, 施工环境保障): records counted, by unit. */
  measures: { measure: Measure; total: number; records: number; byUnit: Record<string, number> }[];
  /** Invented data in this report (示例数据): the campaign as a whole, or how many of its projects. */
  illustrative: { campaign: boolean; projects: number };
  /** Names people read for the ids the report mentions: every unit, and the projects it names. */
  names: { units: Record<string, string>; projects: Record<string, string> };
  /** Count targets above the projects that could meet them (the day-0 list, or today's before the start). */
  warnings: TargetWarning[];
  /**
   * 填报审核: filings pending review and overdue now, by unit (slow reviewing stalls campaigns),
   * and every correction (更正) of an accepted event — what, when, by whom and why.
   */
  reviews: ReviewOverview & {
    corrections: {
      seq: number;
      supersedes: number;
      projectId: string;
      type: string;
      void: boolean;
      reason: string;
      actor: string;
    }[];
  };
  /** Programmes (项目群) with sub-projects in the campaign's units, rolled up from them. */
  programmes: ({ id: string; name: string; enterprise: string | null } & ProgrammeRollup)[];
  /** Money: planned, annual plan, 完成投资 this campaign, per unit; 入库 projects missing a month's report. */
  investment: InvestmentSummary;
  /** Final assessment per unit (考核总结), when the campaign has been assessed. */
  assessment:
    | {
        unitId: string;
        name: string;
        group: UnitGroup;
        /** Null: the unit had no target in any month — not scored, not ranked. */
        score: number | null;
        /** Competition ranking in the group (ties share a rank: 1, 2, 2, 4); null when not scored. */
        rankInGroup: number | null;
        monthsMissed: number;
        interviews: number;
        notified: number;
        accountability: number;
      }[]
    | null;
}

/** Filings awaiting review as of a day: how many, how many past their deadline, by unit. */
export interface ReviewOverview {
  asOf: string | null;
  pending: number;
  overdue: number;
  byUnit: { unitId: string; pending: number; overdue: number }[];
}

export interface CampaignSnapshotView {
  value: string;
  context: CampaignContext;
}

/** A campaign's ledger, the supervisions held so far, and each supervision's journal position by month. */
export interface CampaignDerived {
  ledger: Ledger;
  supervisions: MonthSupervision[];
  cutoffs: Map<string, number>;
  /** The 八未 burn-down of the same facts. */
  burnDown: BurnDownDay[];
  /** Every ladder's state and 问责, every problem, the campaign's measures, from the same facts. */
  records: ReportRecords;
}

/** {@link ReportRecordsFold} as its readers see it (they do not add to it). */
export type ReportRecords = Pick<ReportRecordsFold, 'ladders' | 'problems' | 'measures'>;

/**
 * The campaign's ledger (the 八未 list frozen at its START) and the supervisions held so far,
 * each as it found things: events journalled up to that supervision, the previous month
 * deciding "two months in a row".
 */
export function campaignSupervisions(config: CampaignInput, facts: Iterable<Fact>): CampaignDerived {
  const fold = new CampaignFold(config);
  for (const fact of facts) fold.add(fact);
  return fold.derived();
}

/**
 * `campaignSupervisions` folded forward: entries are added as the journal grows, and a
 * supervision is computed once, when first asked for after its SUPERVISE entry. The same
 * journal gives the same result either way: a supervision counts only what was known at its
 * own entry (`knownAt`), so facts added later never change it.
 */
export class CampaignFold {
  private readonly ledger: LedgerFold;
  private readonly burnDown: BurnDownFold;
  private readonly records: ReportRecordsFold;
  private readonly periods: Period[];
  private readonly supervisions: MonthSupervision[] = [];
  private readonly cutoffs = new Map<string, number>();
  /** SUPERVISE entries folded but not yet computed: the month and the entry's seq. */
  private readonly held: { month: string; seq: number }[] = [];
  private started = false;
  /** The seq of the last entry added. */
  position = 0;

  constructor(private readonly config: CampaignInput) {
    this.ledger = new LedgerFold({
      countIn: config.review?.countIn ?? 'filed',
      programmes: config.programmes ?? 'once',
    });
    this.periods = campaignPeriods(config.start, config.days);
    this.burnDown = new BurnDownFold(config);
    this.records = new ReportRecordsFold(config.id);
  }

  add(fact: Fact): void {
    if (fact.entity === 'campaign' && fact.id === this.config.id && fact.kind === 'event') {
      const event = fact.event as { type: string; month?: string };
      if (event.type === 'START' && !this.started) {
        this.started = true;
        this.ledger.freezeAfter(fact.seq);
      }
      if (event.type === 'SUPERVISE') {
        this.cutoffs.set(event.month!, fact.seq);
        this.held.push({ month: event.month!, seq: fact.seq });
      }
    }
    this.ledger.add(fact);
    this.burnDown.add(fact);
    this.records.add(fact);
    this.position = fact.seq;
  }

  /**
   * The ledger and supervisions as of the entries added (the lists and map are copies; the
   * ledger and records are the fold's own, moved by the next entry added).
   */
  derived(): CampaignDerived {
    const ledger = this.ledger.view();
    for (const { month, seq } of this.held.splice(0))
      this.supervisions.push(
        superviseMonth(
          this.config,
          ledger,
          this.periods.find((p) => p.month === month)!,
          seq,
          this.supervisions.at(-1),
        ),
      );
    return {
      ledger,
      supervisions: [...this.supervisions],
      cutoffs: new Map(this.cutoffs),
      burnDown: this.burnDown.series(),
      records: this.records,
    };
  }
}

/**
 * The projects behind one figure of a held supervision — a unit's task in a month (every unit's
 * if none is named) — counted exactly as the supervision counted them (the same period, the
 * same cutoff). Undefined when that month's supervision has not been held.
 */
export function supervisionCellProjects(
  config: CampaignInput,
  facts: Fact[] | Pick<CampaignDerived, 'ledger' | 'cutoffs'>,
  month: string,
  task: Task,
  unitId?: string,
): Set<string> | undefined {
  const { ledger, cutoffs } = Array.isArray(facts) ? campaignSupervisions(config, facts) : facts;
  const cutoff = cutoffs.get(month);
  const period = campaignPeriods(config.start, config.days).find((p) => p.month === month);
  if (cutoff === undefined || period === undefined) return undefined;
  const inPeriod = periodMovements(ledger, period, cutoff);
  const units = unitId === undefined ? config.units.map((u) => u.id) : [unitId];
  return new Set(units.flatMap((u) => cellMovements(inPeriod, u, task).map((m) => m.projectId)));
}

/**
 * Builds the campaign report from the campaign's snapshot, every journal fact, and which
 * ladder entities are this campaign's units' (entity id → unit id). Pure: the same journal
 * gives the same report, byte for byte once serialised.
 */
export function campaignReport(
  campaign: CampaignSnapshotView,
  facts: Iterable<Fact>,
  ladderIds: ReadonlyMap<string, string>,
  ...rest: ReportSources
): CampaignReport {
  return completed(
    campaignReportSteps(campaign, campaignSupervisions(campaign.context.config, facts), ladderIds, ...rest),
  );
}

/**
 * What a report reads besides the journal: the projects, the reviews pending, the programmes —
 * and, if already computed for the same ledger (a drill-down's), the totals' contributions.
 */
type ReportSources = [
  /** The projects as they stand now (their snapshots, replayed from the same journal), for the 台账. */
  projects?: readonly { value: ProjectStateValue; context: ProjectContext }[],
  reviews?: ReviewOverview,
  programmes?: readonly ProgrammeContext[],
  contributions?: Record<CountedTotal, Contribution[]>,
];

/**
 * {@link campaignReport} from the journal already folded (`CampaignFold`: O(one entry) for each
 * entry), a part at a time: it pauses (yields) between its parts and every
 * {@link ITEMS_PER_STEP} projects, so that a server computing one at 100,000 projects can let the
 * requests waiting meanwhile in between. The same report, whoever drives it.
 */
export function* campaignReportSteps(
  campaign: CampaignSnapshotView,
  derived: CampaignDerived,
  ladderIds: ReadonlyMap<string, string>,
  ...[
    projects = [],
    reviews = { asOf: null, pending: 0, overdue: 0, byUnit: [] },
    programmes = [],
    contributions,
  ]: ReportSources
): Generator<void, CampaignReport> {
  const config: CampaignInput = campaign.context.config;
  const { ledger, supervisions } = derived;
  const end = campaignEnd(config.start, config.days);
  const ladders = config.units.map((u) => ({
    unitId: u.id,
    name: u.name,
    group: u.group,
    state: 'goodStanding',
    months: [] as CampaignReport['ladders'][number]['months'],
    accountability: [] as { at: string; reason: string }[],
  }));
  const byUnit = new Map(ladders.map((l) => [l.unitId, l]));
  // Each ladder's state and 问责 from its entity (`ladderIds`: entity id → unit id); were a unit
  // given several, in journal order across them.
  for (const ladder of ladders) {
    const records = [...ladderIds]
      .filter(([, unitId]) => unitId === ladder.unitId)
      .flatMap(([entityId]) => derived.records.ladders.get(entityId) ?? []);
    const last = records.reduce<LadderRecord | undefined>(
      (a, r) => (a === undefined || r.stateSeq > a.stateSeq ? r : a),
      undefined,
    );
    if (last !== undefined) ladder.state = last.state;
    ladder.accountability = records
      .flatMap((r) => r.accountability)
      .sort((a, b) => a.seq - b.seq)
      .map(({ at, reason }) => ({ at, reason }));
  }
  for (const s of supervisions) {
    for (const u of s.units)
      byUnit
        .get(u.unitId)
        ?.months.push({ month: s.month, step: u.step, missedTasks: u.missedTasks, bottomTasks: u.bottomTasks });
  }
  const lastDay = supervisions.at(-1)?.to ?? config.start;
  const refusals = yield* filterSteps(ledger.refusals, (r) => r.at === null || (r.at >= config.start && r.at <= end));
  const byRule: Record<string, number> = {};
  for (const r of refusals) byRule[r.rule] = (byRule[r.rule] ?? 0) + 1;
  const baselineCounts: Record<string, number> = {};
  let inAny = 0;
  yield* eachStep(ledger.baseline.values(), (keys) => {
    if (keys.length > 0) inAny += 1;
    for (const k of keys) baselineCounts[k] = (baselineCounts[k] ?? 0) + 1;
  });
  const laterIds = new Set<string>();
  yield* eachStep(ledger.movements, (m) => {
    if (!m.baseline) laterIds.add(m.projectId);
  });
  const enteredLater = laterIds.size;
  const reportedProblems = (yield* filterSteps(derived.records.problems.values(), (p) =>
    ledger.projects.has(p.projectId),
  )).map((p) => ({ ...p, overdue: isOverdue(p, lastDay) }));
  const lights = yield* projectLightsSteps(config, ledger, lastDay);
  const investment = yield* investmentSummarySteps(config, ledger, projects, reviews.asOf);
  // Each programme's sub-projects of the campaign's units, in one pass over the projects.
  const unitIds = new Set(config.units.map((u) => u.id));
  const subProjects = new Map<string, (typeof projects)[number][]>();
  yield* eachStep(projects, (p) => {
    const programmeId = p.context.programmeId;
    if (programmeId === undefined || !unitIds.has(p.context.unitId)) return;
    const subs = subProjects.get(programmeId);
    if (subs === undefined) subProjects.set(programmeId, [p]);
    else subs.push(p);
  });
  const named = new Set<string>();
  for (const list of [reportedProblems, refusals, lights, investment.missing])
    yield* eachStep(list, (x: { projectId: string }) => named.add(x.projectId));
  const totals = yield* campaignTotalsSteps(config, ledger, contributions);
  const ledgerRows = yield* projectLedgerSteps(config, projects);
  const measures = derived.records.measures();
  const categories: { unitId: string; wei: readonly string[] }[] = [];
  let illustrative = 0;
  yield* eachStep(ledger.projects.values(), (p) => {
    categories.push({ unitId: p.unitId, wei: ledger.baseline.get(p.id) ?? weiKeys(p) });
    if (p.illustrative) illustrative += 1;
  });
  const warnings = yield* targetWarningsSteps(config, categories);
  const namedSorted = [...named].sort();
  yield;
  const projectNames: Record<string, string> = {};
  yield* eachStep(namedSorted, (id) => {
    projectNames[id] = ledger.projects.get(id)?.name ?? id;
  });
  const programmeRows: CampaignReport['programmes'] = [];
  yield* eachStep(programmes, (programme) => {
    const subs = subProjects.get(programme.id) ?? [];
    if (subs.length > 0)
      programmeRows.push({
        id: programme.id,
        name: programme.name,
        enterprise: programme.enterprise ?? null,
        ...programmeRollup(programme, subs),
      });
  });
  const corrections = ledger.corrections
    .filter((c) => ledger.projects.has(c.projectId))
    .map(({ seq, supersedes, projectId, type, void: voided, reason, actor }) => ({
      seq,
      supersedes,
      projectId,
      type,
      void: voided,
      reason,
      actor,
    }));
  yield;
  return {
    campaign: {
      id: config.id,
      name: config.name,
      start: config.start,
      end,
      days: config.days,
      state: campaign.value,
      supervisedMonths: supervisions.map((s) => s.month),
      bottomN: config.bottomN ?? 2,
      locality: config.locality ?? 'county',
      scope: config.scope ?? 'all',
      lightsBasis: config.lights?.basis ?? 'plan',
    },
    totals,
    baseline: { counts: baselineCounts, projectsInAny: inAny, enteredLater },
    supervisions,
    ladders,
    problems: reportedProblems,
    refusals: {
      count: refusals.length,
      byRule,
      list: refusals.map(({ at, projectId, actor, type, rule, zh, en }) => ({
        at,
        projectId,
        actor,
        type,
        rule,
        zh,
        en,
      })),
    },
    burnDown: derived.burnDown,
    reviews: {
      ...reviews,
      corrections,
    },
    programmes: programmeRows,
    investment,
    totalsShown: reportedTotals(investment.tracked),
    projectLights: lights,
    projects: ledgerRows,
    measures,
    illustrative: {
      campaign: config.illustrative === true,
      projects: illustrative,
    },
    names: {
      units: Object.fromEntries(config.units.map((u) => [u.id, u.name])),
      projects: projectNames,
    },
    warnings,
    assessment:
      campaign.value === 'assessment' || campaign.value === 'closed' ? assess(config, supervisions, ladders) : null,
  };
}

/**
 * 考核总结: per unit, the mean completion rate (capped at 100%) over every month and task it
 * had a target for, as a score out of 100, ranked within its group (ties share a rank; a unit
 * with no target at all is neither scored nor ranked); with months missed, interviews, notices
 * and accountability, for the annual performance review.
 */
function assess(
  config: CampaignInput,
  supervisions: MonthSupervision[],
  ladders: CampaignReport['ladders'],
): NonNullable<CampaignReport['assessment']> {
  const rows = config.units.map((unit) => {
    const rates: number[] = [];
    let monthsMissed = 0;
    for (const s of supervisions) {
      const u = s.units.find((x) => x.unitId === unit.id)!;
      if (u.missedTasks.length > 0) monthsMissed += 1;
      for (const t of u.tasks) if (t.rate !== null) rates.push(Math.min(1, t.rate));
    }
    const ladder = ladders.find((l) => l.unitId === unit.id)!;
    return {
      unitId: unit.id,
      name: unit.name,
      group: unit.group,
      score: rates.length === 0 ? null : Math.round((rates.reduce((a, b) => a + b, 0) / rates.length) * 1000) / 10,
      rankInGroup: null as number | null,
      monthsMissed,
      interviews: ladder.months.filter((m) => m.step === 'deputyInterview' || m.step === 'secretaryInterview').length,
      notified: ladder.months.filter((m) => m.step === 'secretaryInterview').length,
      accountability: ladder.accountability.length,
    };
  });
  // Ranked in the group by score, then fewer months missed; equal on both, equal rank.
  for (const group of new Set(rows.map((r) => r.group))) {
    const members = rows
      .filter((r) => r.group === group && r.score !== null)
      .sort((a, b) => b.score! - a.score! || a.monthsMissed - b.monthsMissed || (a.unitId < b.unitId ? -1 : 1));
    members.forEach((r, i) => {
      const prev = members[i - 1];
      const tied = prev !== undefined && prev.score === r.score && prev.monthsMissed === r.monthsMissed;
      r.rankInGroup = tied ? prev.rankInGroup : i + 1;
    });
  }
  return rows;
}

/**
 * 项目台账: the campaign units' projects, as they stand, in unit order (as listed) then by id —
 * pausing (yielding) every {@link ITEMS_PER_STEP} projects and between the units' sorts.
 */
function* projectLedgerSteps(
  config: CampaignInput,
  projects: readonly { value: ProjectStateValue; context: ProjectContext }[],
): Generator<void, ProjectLedgerRow[]> {
  // Each unit's rows apart, each sorted by id: sorts of a unit's projects, with pauses between.
  const byUnit = new Map(config.units.map((u) => [u.id, [] as ProjectLedgerRow[]]));
  yield* eachStep(projects, (p) => byUnit.get(p.context.unitId)?.push(ledgerRow(p)));
  const rows: ProjectLedgerRow[] = [];
  for (const own of byUnit.values()) {
    yield;
    own.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    yield* eachStep(own, (row) => rows.push(row));
  }
  return rows;
}

function ledgerRow({ value, context: c }: { value: ProjectStateValue; context: ProjectContext }): ProjectLedgerRow {
  return {
    id: c.id,
    name: c.name,
    unitId: c.unitId,
    stage: value.lifecycle,
    wei: weiKeys({ value, context: c }),
    plannedInvestment: c.plannedInvestment,
    purpose: c.purpose === 'public' ? ('public' as const) : ('productive' as const),
    land: c.land,
    bond: c.bond,
    milestones: c.milestones,
    chain: c.chain,
  };
}
