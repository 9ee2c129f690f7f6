import { assertEvent, assign, setup } from 'xstate';
import { isIsoDate } from './dates.ts';
import { campaignEnd, campaignPeriods } from './campaign-calendar.ts';
import { TASK_QUANTITY, TASKS, UNIT_GROUPS, type CampaignInput, type Task } from './campaign-types.ts';
import { quantityBoundProblem } from './quantity.ts';
import { flatGuards, flatRule, type FlatCheck } from './flat-rules.ts';
import type { Bilingual, Rejection } from './project-types.ts';

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

export type CampaignEvent =
  | { type: 'START'; at: string }
  | { type: 'SUPERVISE'; month: string; at: string }
  | { type: 'ASSESS'; at: string }
  | { type: 'CLOSE'; at: string };

export const CAMPAIGN_EVENT_LABELS: Record<CampaignEvent['type'], Bilingual> = {
  START: { zh: '启动攻坚', en: 'start the campaign' },
  SUPERVISE: { zh: '月度督查', en: 'hold the monthly supervision' },
  ASSESS: { zh: '考核总结', en: 'assess' },
  CLOSE: { zh: '结束', en: 'close' },
};

export const CAMPAIGN_STATE_LABELS: Record<string, Bilingual> = {
  draft: { zh: '筹备', en: 'draft' },
  active: { zh: '攻坚中', en: 'active' },
  assessment: { zh: '考核', en: 'assessment' },
  closed: { zh: '已结束', en: 'closed' },
};

type Check = FlatCheck<CampaignContext, CampaignEvent>;
const r = (rule: string, zh: string, en: string): Rejection => ({ rule, zh, en });

const onStartDay: Check = (c, e) =>
  e.at === c.config.start ? null : r('startDate', `攻坚行动定于 ${c.config.start} 启动(收到 ${e.at})`, `the campaign starts on ${c.config.start} (got ${e.at})`);

/** The next month due for supervision, its period ended, held no earlier than its last day. */
const nextSupervisionDue: Check = (c, e) => {
  if (e.type !== 'SUPERVISE') return null;
  const periods = campaignPeriods(c.config.start, c.config.days);
  const next = periods[c.supervisions.length];
  if (next === undefined) return r('allSupervised', '本次攻坚的月度督查已全部完成', 'every supervision of this campaign has been held');
  if (e.month !== next.month) return r('supervisionOrder', `应督查 ${next.month}(收到 ${String(e.month)})`, `the supervision due is ${next.month} (got ${String(e.month)})`);
  if (e.at < next.to) return r('supervisionEarly', `${next.month} 督查须在 ${next.to} 当期结束后进行(收到 ${e.at})`, `the ${next.month} supervision is held once the period ends on ${next.to} (got ${e.at})`);
  return null;
};

const allSupervisedAndEnded: Check = (c, e) => {
  const periods = campaignPeriods(c.config.start, c.config.days);
  const end = campaignEnd(c.config.start, c.config.days);
  if (c.supervisions.length < periods.length) {
    return r('supervisionsPending', `尚有 ${periods.length - c.supervisions.length} 次督查未进行(共 ${periods.length} 次)`, `${periods.length - c.supervisions.length} of ${periods.length} supervisions are still due`);
  }
  return e.at < end ? r('campaignNotOver', `攻坚期至 ${end} 结束(收到 ${e.at})`, `the campaign runs until ${end} (got ${e.at})`) : null;
};

export const campaignRules = {
  canStart: flatRule<CampaignContext, CampaignEvent>(onStartDay),
  canSupervise: flatRule<CampaignContext, CampaignEvent>(nextSupervisionDue),
  canAssess: flatRule<CampaignContext, CampaignEvent>(allSupervisedAndEnded),
  canClose: flatRule<CampaignContext, CampaignEvent>(),
};

/** Problems with a campaign's configuration (empty when it is sound). */
export function validateCampaignInput(input: CampaignInput): Bilingual[] {
  const problems: Bilingual[] = [];
  const add = (zh: string, en: string) => problems.push({ zh, en });
  if (!isIsoDate(input.start)) add(`启动日期无效:${String(input.start)}`, `invalid start date ${String(input.start)}`);
  if (!Number.isInteger(input.days) || input.days < 1 || input.days > 366) add('攻坚天数须为 1–366 的整数', 'days must be a whole number from 1 to 366');
  const ids = new Set<string>();
  for (const unit of input.units) {
    if (ids.has(unit.id)) add(`单位 ${unit.id} 重复`, `unit ${unit.id} is listed twice`);
    ids.add(unit.id);
    if (!UNIT_GROUPS.includes(unit.group)) add(`单位 ${unit.id} 的分组「${String(unit.group)}」无效`, `unit ${unit.id} has an unknown group "${String(unit.group)}"`);
  }
  if (input.landTaskMu !== undefined) {
    const tooMuch = quantityBoundProblem('land', 'landTaskMu', '征拆任务', input.landTaskMu);
    if (!Number.isFinite(input.landTaskMu) || input.landTaskMu <= 0) add('征拆任务须大于 0', 'landTaskMu must be above 0');
    else if (tooMuch !== null) add(tooMuch.zh, tooMuch.en);
  }
  for (const key of ['bottomN', 'minRanked'] as const) {
    const n = input[key];
    if (n !== undefined && (!Number.isInteger(n) || n < 1 || n > 1000)) add(`${key} 须为 1–1000 的整数`, `${key} must be a whole number from 1 to 1000`);
  }
  for (const [key, value] of Object.entries(input.lights ?? {})) {
    const max = key === 'yellowWithinPoints' ? 100 : 120;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) add(`红黄灯参数 ${key} 须为 0–${max} 的数`, `lights.${key} must be a number from 0 to ${max}`);
  }
  const months = isIsoDate(input.start) && problems.length === 0 ? new Set(campaignPeriods(input.start, input.days).map((p) => p.month)) : new Set<string>();
  for (const [unitId, byMonth] of Object.entries(input.targets)) {
    if (!ids.has(unitId)) add(`目标中的单位 ${unitId} 不在单位名单中`, `targets name unit ${unitId}, which is not in the list of units`);
    for (const [month, tasks] of Object.entries(byMonth)) {
      if (months.size > 0 && !months.has(month)) add(`${unitId} 的目标月份 ${month} 不在攻坚期内`, `${unitId}: month ${month} is outside the campaign`);
      for (const [task, target] of Object.entries(tasks)) {
        if (!(TASKS as readonly string[]).includes(task)) add(`未知任务「${task}」`, `unknown task "${task}"`);
        if (typeof target !== 'number' || !Number.isFinite(target) || target < 0) add(`${unitId} ${month} ${task} 的目标须为非负数`, `${unitId} ${month} ${task}: target must be ≥ 0`);
        else if ((TASKS as readonly string[]).includes(task)) {
          const tooMuch = quantityBoundProblem(TASK_QUANTITY[task as Task], `${unitId} ${month} ${task}`, `${unitId} ${month} ${task} 的目标`, target);
          if (tooMuch !== null) add(tooMuch.zh, tooMuch.en);
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
  guards: flatGuards<CampaignContext, CampaignEvent, typeof campaignRules>(campaignRules),
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
    recordClose: assign(({ event }) => {
      assertEvent(event, 'CLOSE');
      return { closedOn: event.at, lastEventAt: event.at };
    }),
  },
}).createMachine({
  id: 'campaign',
  initial: 'draft',
  context: ({ input }) => ({ config: input as CampaignInput, startedOn: null, supervisions: [], assessedOn: null, closedOn: null, lastEventAt: null }),
  states: {
    draft: { on: { START: { target: 'active', guard: 'canStart', actions: 'recordStart' } } },
    active: {
      on: {
        SUPERVISE: { guard: 'canSupervise', actions: 'recordSupervision' },
        ASSESS: { target: 'assessment', guard: 'canAssess', actions: 'recordAssessment' },
      },
    },
    assessment: { on: { CLOSE: { target: 'closed', guard: 'canClose', actions: 'recordClose' } } },
    closed: { type: 'final' },
  },
});
