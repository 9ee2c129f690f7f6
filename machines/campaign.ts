import { assertEvent, assign, setup } from 'xstate';
import { isIsoDate } from './dates.ts';
import { campaignEnd, campaignPeriods } from './campaign-calendar.ts';
import { TASK_QUANTITY, TASKS, UNIT_GROUPS, type CampaignInput, type Task } from './campaign-types.ts';
import type { InputProblem } from './project-input.ts';
import { quantityBoundProblem } from './quantity.ts';
import {
  datedInOrder,
  explainerFor,
  guardsFrom,
  ruleKit,
  type Bilingual,
  type Check as RuleCheck,
  type Rejection,
} from './rules.ts';

export const CAMPAIGN_MACHINE_VERSION = 1;

export interface CampaignContext {
  config: CampaignInput;
  startedOn: string | null;
  /** Supervisions held, in order: the month and the day it was held. */
  supervisions: { month: string; at: string }[];
  assessedOn: string | null;
  closedOn: string | null;
  lastEventAt: string | null;
}

/**
 * The article's other measures, counted as records while the campaign runs: 外出招商 (trips to
 * attract investment), 企业办事不求人 (enterprise requests handled for them), 施工环境保障
 * (construction-environment cases resolved).
 */
export const MEASURES = ['investmentTrip', 'enterpriseService', 'constructionEnvironment'] as const;
export type Measure = (typeof MEASURES)[number];
export const MEASURE_LABELS: Record<Measure, Bilingual & { unit: Bilingual }> = {
  investmentTrip: { zh: '外出招商', en: 'investment-attraction trips', unit: { zh: '次', en: 'trips' } },
  enterpriseService: { zh: '企业办事不求人', en: 'enterprise requests handled', unit: { zh: '件', en: 'requests' } },
  constructionEnvironment: {
    zh: '施工环境保障',
    en: 'construction-environment cases resolved',
    unit: { zh: '件', en: 'cases' },
  },
};

export type CampaignEvent =
  | { type: 'START'; at: string }
  | { type: 'SUPERVISE'; month: string; at: string }
  | { type: 'ASSESS'; at: string }
  | { type: 'CLOSE'; at: string }
  | { type: 'RECORD_MEASURE'; at: string; measure: Measure; unitId: string; count: number; note: string };

export const CAMPAIGN_EVENT_LABELS: Record<CampaignEvent['type'], Bilingual> = {
  START: { zh: '启动攻坚', en: 'start the campaign' },
  SUPERVISE: { zh: '月度督查', en: 'hold the monthly supervision' },
  ASSESS: { zh: '考核总结', en: 'assess' },
  CLOSE: { zh: '结束', en: 'close' },
  RECORD_MEASURE: { zh: '登记攻坚举措', en: 'record a measure' },
};

export const CAMPAIGN_STATE_LABELS: Record<string, Bilingual> = {
  draft: { zh: '筹备', en: 'draft' },
  active: { zh: '攻坚中', en: 'active' },
  assessment: { zh: '考核', en: 'assessment' },
  closed: { zh: '已结束', en: 'closed' },
};

type Check = RuleCheck<CampaignContext, CampaignEvent>;
const kit = ruleKit<CampaignContext, CampaignEvent>({ common: [datedInOrder] });
const r = (rule: string, zh: string, en: string): Rejection => ({ rule, zh, en });

const onStartDay: Check = (c, e) =>
  e.at === c.config.start
    ? null
    : r(
        'startDate',
        `攻坚行动定于 ${c.config.start} 启动(收到 ${e.at})`,
        `the campaign starts on ${c.config.start} (got ${e.at})`,
      );

/** The next month due for supervision, its period ended, held no earlier than its last day. */
const nextSupervisionDue: Check = (c, e) => {
  if (e.type !== 'SUPERVISE') return null;
  const periods = campaignPeriods(c.config.start, c.config.days);
  const next = periods[c.supervisions.length];
  if (next === undefined)
    return r('allSupervised', '本次攻坚的月度督查已全部完成', 'every supervision of this campaign has been held');
  if (e.month !== next.month)
    return r(
      'supervisionOrder',
      `应督查 ${next.month}(收到 ${String(e.month)})`,
      `the supervision due is ${next.month} (got ${String(e.month)})`,
    );
  if (e.at < next.to)
    return r(
      'supervisionEarly',
      `${next.month} 督查须在 ${next.to} 当期结束后进行(收到 ${e.at})`,
      `the ${next.month} supervision is held once the period ends on ${next.to} (got ${e.at})`,
    );
  return null;
};

const allSupervisedAndEnded: Check = (c, e) => {
  const periods = campaignPeriods(c.config.start, c.config.days);
  const end = campaignEnd(c.config.start, c.config.days);
  if (c.supervisions.length < periods.length) {
    return r(
      'supervisionsPending',
      `尚有 ${periods.length - c.supervisions.length} 次督查未进行(共 ${periods.length} 次)`,
      `${periods.length - c.supervisions.length} of ${periods.length} supervisions are still due`,
    );
  }
  return e.at < end
    ? r('campaignNotOver', `攻坚期至 ${end} 结束(收到 ${e.at})`, `the campaign runs until ${end} (got ${e.at})`)
    : null;
};

/** A measure record: a known measure, by a unit of the campaign, a count of 1–10,000, what was done. */
const measureValid: Check = (c, e) => {
  if (e.type !== 'RECORD_MEASURE') return null;
  if (!(MEASURES as readonly string[]).includes(e.measure))
    return r('measureUnknown', `未知举措「${String(e.measure)}」`, `unknown measure "${String(e.measure)}"`);
  if (!c.config.units.some((u) => u.id === e.unitId))
    return r('measureUnit', `单位 ${e.unitId} 不在本次攻坚行动中`, `${e.unitId} is not a unit of this campaign`);
  if (!Number.isInteger(e.count) || e.count < 1 || e.count > 10_000)
    return r(
      'measureCount',
      `次数须为 1–10000 的整数(收到 ${String(e.count)})`,
      'count must be a whole number 1–10000',
    );
  if (typeof e.note !== 'string' || e.note.trim() === '')
    return r('measureNote', '须写明办理情况', 'say what was done (note)');
  return null;
};

export const campaignRules = {
  canStart: kit.rule([], [onStartDay]),
  canSupervise: kit.rule([], [nextSupervisionDue]),
  canAssess: kit.rule([], [allSupervisedAndEnded]),
  canClose: kit.rule([]),
  canRecordMeasure: kit.rule([], [measureValid]),
};

/**
 * Everything wrong with a campaign's configuration, each naming its field (empty when sound):
 * dates and length, units (listed once, in a known group), targets (known units, months in the
 * campaign, known tasks, non-negative and within bounds), and the optional settings.
 */
export function validateCampaignInput(input: unknown): InputProblem[] {
  const problems: InputProblem[] = [];
  const add = (field: string, zh: string, en: string) => problems.push({ field, zh, en });
  if (typeof input !== 'object' || input === null)
    return [{ field: '', zh: '攻坚行动配置须为对象', en: 'a campaign must be an object' }];
  const c = input as Partial<Record<keyof CampaignInput, unknown>>;
  if (typeof c.id !== 'string' || c.id.trim() === '') add('id', 'id 不能为空', 'id must be a non-empty string');
  if (typeof c.name !== 'string' || c.name.trim() === '')
    add('name', 'name 不能为空', 'name must be a non-empty string');
  if (!isIsoDate(c.start)) add('start', `启动日期无效:${String(c.start)}`, `invalid start date ${String(c.start)}`);
  if (!Number.isInteger(c.days) || (c.days as number) < 1 || (c.days as number) > 366)
    add('days', '攻坚天数须为 1–366 的整数', 'days must be a whole number from 1 to 366');
  const ids = new Set<string>();
  const units = Array.isArray(c.units) ? (c.units as Partial<CampaignInput['units'][number]>[]) : [];
  if (!Array.isArray(c.units) || units.length === 0)
    add('units', '须列出参加单位', 'units must list the responsible units');
  for (const [i, unit] of units.entries()) {
    if (typeof unit?.id !== 'string' || unit.id === '') {
      add(`units.${i}.id`, '单位编号不能为空', 'a unit needs an id');
      continue;
    }
    if (ids.has(unit.id)) add(`units.${i}.id`, `单位 ${unit.id} 重复`, `unit ${unit.id} is listed twice`);
    ids.add(unit.id);
    if (!(UNIT_GROUPS as readonly unknown[]).includes(unit.group))
      add(
        `units.${i}.group`,
        `单位 ${unit.id} 的分组「${String(unit.group)}」无效`,
        `unit ${unit.id} has an unknown group "${String(unit.group)}"`,
      );
  }
  if (c.landTaskMu !== undefined) {
    const mu = c.landTaskMu;
    if (typeof mu !== 'number' || !Number.isFinite(mu) || mu <= 0)
      add('landTaskMu', '征拆任务须大于 0', 'landTaskMu must be above 0');
    else {
      const tooMuch = quantityBoundProblem('land', 'landTaskMu', '征拆任务', mu);
      if (tooMuch !== null) add('landTaskMu', tooMuch.zh, tooMuch.en);
    }
  }
  if (c.locality !== undefined && !['county', 'city', 'district'].includes(c.locality as string))
    add(
      'locality',
      `行政区划须为 county(县)、city(县级市)或 district(区)`,
      'locality must be county, city or district',
    );
  for (const key of ['bottomN', 'minRanked'] as const) {
    const n = c[key];
    if (n !== undefined && (!Number.isInteger(n) || (n as number) < 1 || (n as number) > 1000))
      add(key, `${key} 须为 1–1000 的整数`, `${key} must be a whole number from 1 to 1000`);
  }
  for (const [key, value] of Object.entries((c.lights ?? {}) as Record<string, unknown>)) {
    if (key === 'basis') {
      if (value !== 'plan' && value !== 'calendar')
        add('lights.basis', `红黄灯依据须为 plan(按计划)或 calendar(按序时)`, 'lights.basis must be plan or calendar');
      continue;
    }
    const max = key === 'yellowWithinPoints' ? 100 : 120;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max)
      add(`lights.${key}`, `红黄灯参数 ${key} 须为 0–${max} 的数`, `lights.${key} must be a number from 0 to ${max}`);
  }
  const calendarOk =
    isIsoDate(c.start) && Number.isInteger(c.days) && (c.days as number) >= 1 && (c.days as number) <= 366;
  const months = calendarOk
    ? new Set(campaignPeriods(c.start as string, c.days as number).map((p) => p.month))
    : new Set<string>();
  const targets =
    typeof c.targets === 'object' && c.targets !== null
      ? (c.targets as Record<string, Record<string, Record<string, unknown>>>)
      : {};
  if (typeof c.targets !== 'object' || c.targets === null)
    add(
      'targets',
      'targets 须为对象(单位 → 月份 → 任务 → 目标)',
      'targets must be an object: unit → month → task → target',
    );
  for (const [unitId, byMonth] of Object.entries(targets)) {
    const at = `targets.${unitId}`;
    if (!ids.has(unitId))
      add(
        at,
        `目标中的单位 ${unitId} 不在单位名单中`,
        `targets name unit ${unitId}, which is not in the list of units`,
      );
    for (const [month, tasks] of Object.entries(byMonth ?? {})) {
      if (months.size > 0 && !months.has(month))
        add(
          `${at}.${month}`,
          `${unitId} 的目标月份 ${month} 不在攻坚期内`,
          `${unitId}: month ${month} is outside the campaign`,
        );
      for (const [task, target] of Object.entries(tasks ?? {})) {
        const field = `${at}.${month}.${task}`;
        if (!(TASKS as readonly string[]).includes(task)) add(field, `未知任务「${task}」`, `unknown task "${task}"`);
        else if (typeof target !== 'number' || !Number.isFinite(target) || target < 0)
          add(field, `${unitId} ${month} ${task} 的目标须为非负数`, `${unitId} ${month} ${task}: target must be ≥ 0`);
        else {
          const tooMuch = quantityBoundProblem(
            TASK_QUANTITY[task as Task],
            `${unitId} ${month} ${task}`,
            `${unitId} ${month} ${task} 的目标`,
            target,
          );
          if (tooMuch !== null) add(field, tooMuch.zh, tooMuch.en);
        }
      }
    }
  }
  return problems;
}

/**
 * The campaign (攻坚行动): draft → active (a supervision at each month's close and at the end)
 * → assessment → closed. What a supervision finds is computed from the journal by
 * `superviseMonth`; this machine records that it was held, in order and on time.
 */
export const campaignMachine = setup({
  types: { context: {} as CampaignContext, events: {} as CampaignEvent },
  guards: guardsFrom<CampaignContext, CampaignEvent, typeof campaignRules>(campaignRules),
  actions: {
    recordStart: assign(({ event }) => {
      assertEvent(event, 'START');
      return { startedOn: event.at, lastEventAt: event.at };
    }),
    recordSupervision: assign(({ context, event }) => {
      assertEvent(event, 'SUPERVISE');
      return { supervisions: [...context.supervisions, { month: event.month, at: event.at }], lastEventAt: event.at };
    }),
    recordAssessment: assign(({ event }) => {
      assertEvent(event, 'ASSESS');
      return { assessedOn: event.at, lastEventAt: event.at };
    }),
    // The record is the journal entry; the report counts them.
    recordMeasure: assign(({ event }) => {
      assertEvent(event, 'RECORD_MEASURE');
      return { lastEventAt: event.at };
    }),
    recordClose: assign(({ event }) => {
      assertEvent(event, 'CLOSE');
      return { closedOn: event.at, lastEventAt: event.at };
    }),
  },
}).createMachine({
  id: 'campaign',
  initial: 'draft',
  context: ({ input }) => ({
    config: input as CampaignInput,
    startedOn: null,
    supervisions: [],
    assessedOn: null,
    closedOn: null,
    lastEventAt: null,
  }),
  states: {
    draft: { on: { START: { target: 'active', guard: 'canStart', actions: 'recordStart' } } },
    active: {
      on: {
        SUPERVISE: { guard: 'canSupervise', actions: 'recordSupervision' },
        ASSESS: { target: 'assessment', guard: 'canAssess', actions: 'recordAssessment' },
        RECORD_MEASURE: { guard: 'canRecordMeasure', actions: 'recordMeasure' },
      },
    },
    assessment: { on: { CLOSE: { target: 'closed', guard: 'canClose', actions: 'recordClose' } } },
    closed: { type: 'final' },
  },
});

/** Why the campaign machine would refuse an event (or null), and what its states take now. */
export const campaignExplainer = explainerFor<CampaignContext>(
  campaignMachine,
  campaignRules,
  { events: CAMPAIGN_EVENT_LABELS, states: CAMPAIGN_STATE_LABELS },
  [datedInOrder],
);
