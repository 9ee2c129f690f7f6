import { campaignEnd } from './campaign-calendar.ts';
import { DEFAULT_LIGHTS, type CampaignInput } from './campaign-types.ts';
import { addDays, daysBetween, monthsBetween } from './dates.ts';
import { addQuantity } from './quantity.ts';
import { completed, eachStep, filterSteps } from './steps.ts';
import {
  MAJOR_PROJECT_WAN,
  byDateThenSeq,
  dayTargetReached,
  type Fact,
  type Ledger,
  type ProjectFacts,
} from './ledger.ts';
import { valueFromInput } from './project-input.ts';
import type { ProjectInput, ProjectStateValue } from './project-types.ts';
import type { Bilingual } from './rules.ts';
import type { Light } from './supervision.ts';
import { isDropped, WEI_KEYS, weiKeys, type ProjectAttributes, type WeiKey } from './wei.ts';

/** The campaign's published figures, computed from the events (the report's `totals`). */
export interface CampaignTotals {
  intoProduction: number;
  reachedTarget: number;
  bondProjectsAdvanced: number;
  landSuppliedMu: number;
  housesDemolished: number;
  majorSignings: number;
  majorStarted: number;
  /** ≥ 1 亿元 signings and starts counted project by project (a programme's sub-projects each on their own). */
  majorSigningsProjects: number;
  majorStartedProjects: number;
  xiangshangProjects: number;
  parkSignings: number;
  parkStarts: number;
  parkCompletions: number;
  bondDisbursedWan: number;
  /** 完成投资 reported for months of the campaign, 万元. */
  investmentWan: number;
  landTaskMu: number | null;
  landTaskMet: boolean;
  landTaskMetOn: string | null;
  landTaskMetDay: number | null;
}

export type CountedTotal = Exclude<
  keyof CampaignTotals,
  'landTaskMu' | 'landTaskMet' | 'landTaskMetOn' | 'landTaskMetDay'
>;

/** The article's totals, labelled for people, in the order the article gives them. */
export const TOTAL_LABELS: Record<CountedTotal, Bilingual & { unit: Bilingual }> = {
  intoProduction: { zh: '投产项目', en: 'projects into production', unit: { zh: '个', en: 'projects' } },
  reachedTarget: { zh: '达产项目', en: 'projects at target', unit: { zh: '个', en: 'projects' } },
  bondProjectsAdvanced: { zh: '推进专项债项目', en: 'bond projects advanced', unit: { zh: '个', en: 'projects' } },
  landSuppliedMu: { zh: '完成征拆供地', en: 'land cleared and supplied', unit: { zh: '亩', en: 'mu' } },
  housesDemolished: { zh: '完成房屋拆迁', en: 'houses demolished', unit: { zh: '栋', en: 'houses' } },
  majorSignings: { zh: '签约引进亿元以上项目', en: 'signings of ≥ 100m yuan', unit: { zh: '个', en: 'projects' } },
  majorStarted: { zh: '亿元以上重点项目履约开工', en: 'major projects started', unit: { zh: '个', en: 'projects' } },
  xiangshangProjects: { zh: '湘商回株投资项目', en: 'returning-merchant projects', unit: { zh: '个', en: 'projects' } },
  parkSignings: { zh: '园区新签约项目', en: 'park signings', unit: { zh: '个', en: 'projects' } },
  parkStarts: { zh: '园区新开工项目', en: 'park starts', unit: { zh: '个', en: 'projects' } },
  parkCompletions: { zh: '园区新竣工项目', en: 'park completions', unit: { zh: '个', en: 'projects' } },
  bondDisbursedWan: { zh: '拨付专项债资金', en: 'bond funds disbursed', unit: { zh: '万元', en: '10k yuan' } },
  investmentWan: { zh: '完成投资', en: 'investment completed', unit: { zh: '万元', en: '10k yuan' } },
  majorSigningsProjects: {
    zh: '亿元以上签约(按单个项目计)',
    en: 'signings of ≥ 100m yuan, project by project',
    unit: { zh: '个', en: 'projects' },
  },
  majorStartedProjects: {
    zh: '亿元以上开工(按单个项目计)',
    en: 'major starts, project by project',
    unit: { zh: '个', en: 'projects' },
  },
};

const ADVANCES = new Set(['SIGN', 'START_CONSTRUCTION', 'COMPLETE', 'START_PRODUCTION']);

/**
 * Totals over the campaign window (all accepted events dated from day 1 to the last day, on
 * the frozen list or not): into production, 达产, bond projects advanced (distinct projects
 * with a disbursement), land and houses, ≥ 1 亿元 signings and starts, 湘商回株 projects that
 * moved forward a stage, and the park's signings, starts and completions.
 */
export function campaignTotals(config: CampaignInput, ledger: Ledger): CampaignTotals {
  return completed(campaignTotalsSteps(config, ledger));
}

/** {@link campaignTotals}, pausing (yielding) between its parts (see `campaignReportSteps`). */
export function* campaignTotalsSteps(
  config: CampaignInput,
  ledger: Ledger,
  /** {@link totalContributions} of the same ledger, if already computed. */
  given?: Record<CountedTotal, Contribution[]>,
): Generator<void, CampaignTotals> {
  const end = campaignEnd(config.start, config.days);
  const landTaskMetOn =
    config.landTaskMu === undefined
      ? null
      : dayTargetReached(
          yield* filterSteps(
            ledger.movements,
            (m) => m.task === 'landMu' && m.retractedSeq === undefined && m.at >= config.start && m.at <= end,
          ),
          config.landTaskMu,
        );
  const contributions = given ?? (yield* totalContributionsSteps(config, ledger));
  const counted = Object.fromEntries(
    COUNTED_TOTALS.map((key) => [key, contributions[key].reduce((t, c) => addQuantity(t, c.amount), 0)]),
  ) as Record<CountedTotal, number>;
  return {
    ...counted,
    landTaskMu: config.landTaskMu ?? null,
    landTaskMet: landTaskMetOn !== null,
    landTaskMetOn,
    landTaskMetDay: landTaskMetOn === null ? null : daysBetween(config.start, landTaskMetOn) + 1,
  };
}

/** The totals counted from events and movements, in the article's order. */
export const COUNTED_TOTALS = Object.keys(TOTAL_LABELS) as CountedTotal[];

/**
 * The totals a campaign reports: 完成投资 only for one that tracks investment (a target, an
 * annual plan or a report) — elsewhere a 0 there reads as "nothing was invested".
 */
export function reportedTotals(tracksInvestment: boolean): CountedTotal[] {
  return COUNTED_TOTALS.filter((key) => key !== 'investmentWan' || tracksInvestment);
}

/** One project's part in a total: 1 for a counted event or project, the quantity for a sum. */
export interface Contribution {
  projectId: string;
  amount: number;
}

/**
 * What each total is made of, project by project — the one definition of every total, so that
 * a figure and the projects behind it (the dashboard's drill-down) can never disagree.
 */
export function totalContributions(config: CampaignInput, ledger: Ledger): Record<CountedTotal, Contribution[]> {
  return completed(totalContributionsSteps(config, ledger));
}

/** {@link totalContributions}, pausing (yielding) inside its parts (see `campaignReportSteps`). */
export function* totalContributionsSteps(
  config: CampaignInput,
  ledger: Ledger,
): Generator<void, Record<CountedTotal, Contribution[]>> {
  const end = campaignEnd(config.start, config.days);
  const inWindow = (at: string) => at >= config.start && at <= end;
  const events = yield* filterSteps(ledger.events, (e) => inWindow(e.at));
  const movements = yield* filterSteps(ledger.movements, (m) => m.retractedSeq === undefined && inWindow(m.at));
  // Each type's events, in journal order (the filters below read one type each, not every event).
  const byType = new Map<string, (typeof events)[number][]>();
  yield* eachStep(events, (e) => {
    const list = byType.get(e.type);
    if (list === undefined) byType.set(e.type, [e]);
    else list.push(e);
  });
  const park = new Set(config.units.filter((u) => u.group === 'park').map((u) => u.id));
  const project = (id: string) => ledger.projects.get(id)!;
  function* each(
    from: readonly (typeof events)[number][],
    filter: (e: (typeof events)[number]) => boolean,
  ): Generator<void, Contribution[]> {
    const out: Contribution[] = [];
    yield* eachStep(from, (e) => {
      if (filter(e)) out.push({ projectId: e.projectId, amount: 1 });
    });
    return out;
  }
  const ofType = (type: string, filter: (p: ProjectFacts) => boolean = () => true) =>
    each(byType.get(type) ?? [], (e) => filter(project(e.projectId)));
  // A programme (项目群) counts once, when its first sub-project signs / starts, at the
  // programme's planned total (setting `programmes`: 'once', the default; 'each': per project).
  const once = config.programmes !== 'each';
  function* atLevel(type: string): Generator<void, Contribution[]> {
    const seen = new Set<string>();
    const out: Contribution[] = [];
    // Only this type's events sorted (the same order as sorting all and skipping the rest).
    const sorted = [...(byType.get(type) ?? [])].sort(byDateThenSeq);
    yield;
    yield* eachStep(sorted, (e) => {
      const p = project(e.projectId);
      const programme = p.programmeId === undefined ? undefined : ledger.programmes.get(p.programmeId);
      const key = programme === undefined ? `p:${p.id}` : `g:${programme.id}`;
      const planned = programme === undefined ? p.plannedInvestment : programme.plannedInvestment;
      if (planned < MAJOR_PROJECT_WAN || seen.has(key)) return;
      seen.add(key);
      out.push({ projectId: e.projectId, amount: 1 });
    });
    return out;
  }
  function* distinct(
    from: readonly (typeof events)[number][],
    filter: (e: (typeof events)[number]) => boolean,
  ): Generator<void, Contribution[]> {
    const ids = new Set<string>();
    yield* eachStep(from, (e) => {
      if (filter(e)) ids.add(e.projectId);
    });
    return [...ids].map((projectId) => ({ projectId, amount: 1 }));
  }
  function* moved(task: string): Generator<void, Contribution[]> {
    const out: Contribution[] = [];
    yield* eachStep(movements, (m) => {
      if (m.task === task) out.push({ projectId: m.projectId, amount: m.amount });
    });
    return out;
  }
  const major = (p: ProjectFacts) => p.plannedInvestment >= MAJOR_PROJECT_WAN;
  return {
    intoProduction: yield* ofType('START_PRODUCTION'),
    reachedTarget: yield* each(events, (e) => e.to.lifecycle === 'atTarget' && e.from.lifecycle !== 'atTarget'),
    bondProjectsAdvanced: yield* distinct(byType.get('DISBURSE_BOND') ?? [], () => true),
    landSuppliedMu: yield* moved('landMu'),
    housesDemolished: yield* moved('housesDemolished'),
    majorSignings: once ? yield* atLevel('SIGN') : yield* ofType('SIGN', major),
    majorStarted: once ? yield* atLevel('START_CONSTRUCTION') : yield* ofType('START_CONSTRUCTION', major),
    majorSigningsProjects: yield* ofType('SIGN', major),
    majorStartedProjects: yield* ofType('START_CONSTRUCTION', major),
    xiangshangProjects: yield* distinct(events, (e) => ADVANCES.has(e.type) && project(e.projectId).xiangshang),
    parkSignings: yield* ofType('SIGN', (p) => park.has(p.unitId)),
    parkStarts: yield* ofType('START_CONSTRUCTION', (p) => park.has(p.unitId)),
    parkCompletions: yield* ofType('COMPLETE', (p) => park.has(p.unitId)),
    bondDisbursedWan: yield* moved('bondDisbursed'),
    investmentWan: yield* moved('investment'),
  };
}

/** Counts of the eight 八未 at the end of each campaign day (the burn-down). */
export function burnDown(config: CampaignInput, facts: Iterable<Fact>): BurnDownDay[] {
  const fold = new BurnDownFold(config);
  for (const fact of facts) fold.add(fact);
  return fold.series();
}

/** A day of the 八未 burn-down: how many projects are in each, and how many are dropped. */
export type BurnDownDay = { day: number; date: string; counts: Record<WeiKey, number>; dropped: number };

/** One project's fact as the burn-down needs it. */
interface BurnDownFact {
  at: string;
  seq: number;
  value: ProjectStateValue;
  /**
   * A creation's: investment and purpose decide which 八未 apply (在建未入库 from 500 万元; none
   * of production for public works).
   */
  attributes?: ProjectAttributes;
}

/**
 * The burn-down kept as facts arrive, whatever their dates. On day `d` (day 0 the campaign's eve)
 * a project counts in the 八未 of its state after its last fact dated on or before that day — its
 * facts taken in date order, then journal order; from its creation's investment and purpose on. A
 * fact changes only its own project's days: that project's part is taken out of each day's counts
 * and put back as it now is (counts kept as per-day differences, summed when asked for).
 */
export class BurnDownFold {
  private readonly dates: string[] = [];
  /** Per 八未 (and for the dropped), the change of the count from the day before, day by day. */
  private readonly deltas = new Map<WeiKey | 'dropped', Int32Array>();
  private readonly facts = new Map<string, BurnDownFact[]>();
  /** Each project's part as last counted: from which day (to the next part's), in which 八未. */
  private readonly parts = new Map<string, { from: number; keys: WeiKey[]; dropped: boolean }[]>();

  constructor(config: CampaignInput) {
    for (let day = 0; day <= config.days; day++) this.dates.push(addDays(config.start, day - 1));
    for (const key of [...WEI_KEYS, 'dropped' as const]) this.deltas.set(key, new Int32Array(this.dates.length + 1));
  }

  add(fact: Fact): void {
    if (fact.entity !== 'project' || fact.kind === 'refusal') return;
    const input = fact.kind === 'create' ? (fact.input as ProjectInput) : undefined;
    const mine: BurnDownFact = {
      at: fact.at ?? '',
      seq: fact.seq,
      value: input === undefined ? (fact.to as ProjectStateValue) : valueFromInput(input),
      ...(input === undefined
        ? {}
        : { attributes: { plannedInvestment: input.plannedInvestment, purpose: input.purpose } }),
    };
    const list = this.facts.get(fact.id) ?? [];
    this.facts.set(fact.id, list);
    // Usually the latest: found from the end.
    let i = list.length;
    while (i > 0 && byDateThenSeq(list[i - 1]!, mine) > 0) i -= 1;
    list.splice(i, 0, mine);
    this.count(fact.id, -1);
    this.parts.set(fact.id, this.partsOf(list));
    this.count(fact.id, 1);
  }

  /** The counts at the end of each day. */
  series(): BurnDownDay[] {
    const running = new Map<WeiKey | 'dropped', number>();
    return this.dates.map((date, day) => {
      for (const [key, delta] of this.deltas) running.set(key, (running.get(key) ?? 0) + delta[day]!);
      const counts = Object.fromEntries(WEI_KEYS.map((k) => [k, running.get(k)!])) as Record<WeiKey, number>;
      return { day, date, counts, dropped: running.get('dropped')! };
    });
  }

  /** The first day whose date is on or after `at` (every fact dated before the campaign: day 0), or none. */
  private dayOf(at: string): number | undefined {
    let low = 0;
    let high = this.dates.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (at <= this.dates[mid]!) high = mid;
      else low = mid + 1;
    }
    return low < this.dates.length ? low : undefined;
  }

  private partsOf(list: readonly BurnDownFact[]): { from: number; keys: WeiKey[]; dropped: boolean }[] {
    const parts: { from: number; keys: WeiKey[]; dropped: boolean }[] = [];
    let attributes: ProjectAttributes | undefined;
    for (const f of list) {
      const from = this.dayOf(f.at);
      if (from === undefined) break;
      if (f.attributes !== undefined) attributes = f.attributes;
      const part = { from, keys: weiKeys({ value: f.value, ...attributes }), dropped: isDropped(f.value) };
      // Two facts on one day: the later one is what the day ends with.
      if (parts.at(-1)?.from === from) parts[parts.length - 1] = part;
      else parts.push(part);
    }
    return parts;
  }

  private count(id: string, sign: 1 | -1): void {
    const parts = this.parts.get(id) ?? [];
    parts.forEach((part, i) => {
      const to = parts[i + 1]?.from ?? this.dates.length;
      for (const key of part.dropped ? [...part.keys, 'dropped' as const] : part.keys) {
        const delta = this.deltas.get(key)!;
        delta[part.from]! += sign;
        delta[to]! -= sign;
      }
    });
  }
}

/** Per-project traffic lights on a date: 入库 a month late → yellow, two → red; signed three months unstarted → red. */
export function projectLights(config: CampaignInput, ledger: Ledger, date: string): ProjectLight[] {
  return completed(projectLightsSteps(config, ledger, date));
}

/** A project's traffic light and why. */
export type ProjectLight = { projectId: string; unitId: string; light: Light; reason: { zh: string; en: string } };

/** {@link projectLights}, pausing (yielding) every `ITEMS_PER_STEP` projects (steps.ts). */
export function* projectLightsSteps(
  config: CampaignInput,
  ledger: Ledger,
  date: string,
): Generator<void, ProjectLight[]> {
  const rules = { ...DEFAULT_LIGHTS, ...config.lights };
  const out: ProjectLight[] = [];
  yield* eachStep(ledger.projects.values(), (p) => {
    if (p.stageSince === null) return;
    const months = monthsBetween(p.stageSince, date);
    if (
      p.value.lifecycle === 'underConstruction' &&
      p.value.statistics === 'unregistered' &&
      months >= rules.unregisteredYellowMonths
    ) {
      const light: Light = months >= rules.unregisteredRedMonths ? 'red' : 'yellow';
      out.push({
        projectId: p.id,
        unitId: p.unitId,
        light,
        reason: { zh: `开工 ${months} 个月未入库`, en: `under construction ${months} months, not registered` },
      });
    }
    if (p.value.lifecycle === 'signed' && months >= rules.unstartedRedMonths) {
      out.push({
        projectId: p.id,
        unitId: p.unitId,
        light: 'red',
        reason: { zh: `签约 ${months} 个月未开工`, en: `signed ${months} months, not started` },
      });
    }
  });
  yield;
  return out.sort((a, b) => (a.projectId < b.projectId ? -1 : 1));
}
