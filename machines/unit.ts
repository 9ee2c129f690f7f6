import { assertEvent, assign, raise, setup } from 'xstate';
import { isIsoMonth } from './dates.ts';
import type { UnitGroup } from './campaign-types.ts';
import {
  datedInOrder,
  explainerFor,
  guardsFrom,
  ruleKit,
  type Bilingual,
  type Check as RuleCheck,
  type Rejection,
} from './rules.ts';

/** 2: the ladder names its campaign and unit as two fields (1 had one dotted `id`). */
export const UNIT_MACHINE_VERSION = 2;

/**
 * The entity id of a unit's ladder in a campaign. Each part is percent-encoded, so the `:`
 * between them cannot occur inside either: no two (campaign, unit) pairs share a key. (The first
 * release joined them with `.`, which both ids could contain.)
 *
 * @example
 * ladderKey('chaling-2022', 'xiadong') // 'chaling-2022:xiadong'
 */
export function ladderKey(campaignId: string, unitId: string): string {
  return `${encodeURIComponent(campaignId)}:${encodeURIComponent(unitId)}`;
}

/** What a ladder is created from (`id`: its entity id, `ladderKey(campaignId, unitId)`). */
export interface LadderInput {
  id: string;
  campaignId: string;
  unitId: string;
  name: string;
  group: UnitGroup;
}

/** A month's finding for one unit (from `superviseMonth`). */
export interface MonthAssessment {
  month: string;
  /** Tasks with a target this month that the unit did not reach. */
  missedTasks: string[];
  /** Tasks on which the unit ranked in the last N of its group. */
  bottomTasks: string[];
}

/** What a month did to the unit (the article's rules). */
export type LadderStep = 'good' | 'missed' | 'deputyInterview' | 'secretaryInterview';

/**
 * Where the campaign runs — 县, 县级市 or 区 — decides the titles in the ladder and the 通报
 * (常务副县长 / 常务副市长 / 常务副区长; 全县通报 / 全市通报 / 全区通报).
 */
export const LOCALITIES = {
  county: { zh: '县', en: 'county' },
  city: { zh: '市', en: 'city' },
  district: { zh: '区', en: 'district' },
} as const satisfies Record<string, Bilingual>;
export type Locality = keyof typeof LOCALITIES;

/** The ladder's steps as people read them, titled for the locality. */
export function ladderLabels(locality: Locality = 'county'): Record<LadderStep | 'accountability', Bilingual> {
  const { zh: z, en: e } = LOCALITIES[locality];
  return {
    good: { zh: '完成月度任务', en: 'met its monthly tasks' },
    missed: { zh: '未完成月度任务', en: 'missed its monthly tasks' },
    deputyInterview: {
      zh: `由${z}委常委、常务副${z}长约谈单位主要负责人、分管负责人`,
      en: `interview of the unit head and deputy by the executive deputy ${e} head`,
    },
    secretaryInterview: {
      zh: `由${z}委、${z}政府主要负责同志约谈单位党、政主要负责人,约谈情况全${z}通报`,
      en:
        `interview of the party and government heads by the ${e} party secretary and ${e} head, ` +
        `notified ${e}-wide`,
    },
    accountability: { zh: `${z}纪委监委问责追责`, en: 'held accountable by the discipline commission' },
  };
}

export const LADDER_LABELS = ladderLabels('county');

/** The ladder's states as people read them, titled for the locality. */
export function unitStateLabels(locality: Locality = 'county'): Record<string, Bilingual> {
  const { zh: z, en: e } = LOCALITIES[locality];
  return {
    goodStanding: { zh: '正常', en: 'good standing' },
    deputyInterview: { zh: `常务副${z}长约谈`, en: `interviewed by the executive deputy ${e} head` },
    secretaryInterview: { zh: `书记${z}长约谈并通报`, en: `interviewed by the secretary and ${e} head, notified` },
    accountability: { zh: '问责', en: 'held accountable' },
  };
}

export interface UnitContext {
  campaignId: string;
  unitId: string;
  name: string;
  group: UnitGroup;
  assessments: (MonthAssessment & { step: LadderStep; at: string })[];
  accountability: { at: string; reason: string }[];
  lastEventAt: string | null;
}

export type UnitEvent =
  | ({ type: 'MONTH_ASSESSED'; at: string } & MonthAssessment)
  | { type: 'RECORD_ACCOUNTABILITY'; at: string; reason: string }
  | { type: 'ladder.good' }
  | { type: 'ladder.missed' }
  | { type: 'ladder.deputyInterview' }
  | { type: 'ladder.secretaryInterview' };

export const UNIT_EVENT_LABELS: Record<'MONTH_ASSESSED' | 'RECORD_ACCOUNTABILITY', Bilingual> = {
  MONTH_ASSESSED: { zh: '记录月度督查结果', en: 'record a month’s supervision' },
  RECORD_ACCOUNTABILITY: { zh: '记录问责', en: 'record accountability' },
};

export const UNIT_STATE_LABELS = unitStateLabels('county');

/**
 * The article's rules, for one month: all tasks met → good; missed two months in a row →
 * interview by the county party secretary and county head, notified county-wide; missed and
 * in the last N of its group on a single task → interview by the executive deputy county
 * head; missed otherwise → no interview.
 */
export function ladderStep(previous: MonthAssessment | undefined, month: MonthAssessment): LadderStep {
  if (month.missedTasks.length === 0) return 'good';
  if (previous !== undefined && previous.missedTasks.length > 0) return 'secretaryInterview';
  return month.bottomTasks.length > 0 ? 'deputyInterview' : 'missed';
}

type Check = RuleCheck<UnitContext, UnitEvent>;
const kit = ruleKit<UnitContext, UnitEvent>({ common: [datedInOrder] });
const r = (rule: string, zh: string, en: string): Rejection => ({ rule, zh, en });

const nextMonth: Check = (c, e) => {
  if (e.type !== 'MONTH_ASSESSED') return null;
  if (!isIsoMonth(e.month) || !Array.isArray(e.missedTasks) || !Array.isArray(e.bottomTasks))
    return r('assessmentShape', '督查结果格式有误', 'malformed assessment');
  const last = c.assessments.at(-1);
  return last !== undefined && e.month <= last.month
    ? r(
        'assessmentOrder',
        `${e.month} 的督查结果不在 ${last.month} 之后`,
        `the ${e.month} assessment does not follow ${last.month}`,
      )
    : null;
};

const reasonGiven: Check = (_c, e) =>
  e.type === 'RECORD_ACCOUNTABILITY' && typeof e.reason === 'string' && e.reason.trim() !== ''
    ? null
    : r('reasonMissing', '问责须写明事由', 'accountability needs a reason');

export const unitRules = {
  canRecordAssessment: kit.rule([], [nextMonth]),
  canRecordAccountability: kit.rule([], [reasonGiven]),
};

/**
 * The accountability ladder of one responsible unit (责任单位). A month's assessment moves it
 * up — good standing → 约谈 by the executive deputy county head → 约谈 by the secretary and
 * county head with a county-wide notice — and a month with every task met brings it back to
 * good standing; 问责 is recorded by hand. Its history stays in context.
 */
export const unitMachine = setup({
  types: { context: {} as UnitContext, events: {} as UnitEvent },
  guards: guardsFrom<UnitContext, UnitEvent, typeof unitRules>(unitRules),
  actions: {
    recordAssessment: assign(({ context, event }) => {
      assertEvent(event, 'MONTH_ASSESSED');
      const month: MonthAssessment = {
        month: event.month,
        missedTasks: event.missedTasks,
        bottomTasks: event.bottomTasks,
      };
      const step = ladderStep(context.assessments.at(-1), month);
      return { assessments: [...context.assessments, { ...month, step, at: event.at }], lastEventAt: event.at };
    }),
    climb: raise(({ context }) => {
      const step = context.assessments.at(-1)?.step;
      return { type: `ladder.${step ?? 'missed'}` } as UnitEvent;
    }),
    recordAccountability: assign(({ context, event }) => {
      assertEvent(event, 'RECORD_ACCOUNTABILITY');
      return {
        accountability: [...context.accountability, { at: event.at, reason: event.reason.trim() }],
        lastEventAt: event.at,
      };
    }),
  },
}).createMachine({
  id: 'unit',
  initial: 'goodStanding',
  context: ({ input }) => {
    const ladder = input as LadderInput;
    return {
      campaignId: ladder.campaignId,
      unitId: ladder.unitId,
      name: ladder.name,
      group: ladder.group,
      assessments: [],
      accountability: [],
      lastEventAt: null,
    };
  },
  on: {
    // The month's step is raised as an internal event the ladder states react to; a month that
    // only missed (no interview) raises one that no state handles, so nothing moves.
    MONTH_ASSESSED: { guard: 'canRecordAssessment', actions: ['recordAssessment', 'climb'] },
    RECORD_ACCOUNTABILITY: {
      target: '.accountability',
      guard: 'canRecordAccountability',
      actions: 'recordAccountability',
    },
  },
  states: {
    goodStanding: {
      on: { 'ladder.deputyInterview': 'deputyInterview', 'ladder.secretaryInterview': 'secretaryInterview' },
    },
    deputyInterview: { on: { 'ladder.good': 'goodStanding', 'ladder.secretaryInterview': 'secretaryInterview' } },
    secretaryInterview: { on: { 'ladder.good': 'goodStanding' } },
    accountability: { on: { 'ladder.good': 'goodStanding' } },
  },
});

/** Why the unit machine would refuse an event (or null), and what its states take now. */
export const unitExplainer = explainerFor<UnitContext>(
  unitMachine,
  unitRules,
  { events: UNIT_EVENT_LABELS, states: UNIT_STATE_LABELS },
  [datedInOrder],
);
