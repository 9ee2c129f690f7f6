import type { ReviewSettings } from './filing.ts';
import type { Bilingual } from './rules.ts';
import type { QuantityKind } from './quantity.ts';

/** Unit groups, ranked separately (乡镇/街道, 县直部门, 国有企业, 园区). */
export const UNIT_GROUPS = ['township', 'department', 'soe', 'park'] as const;
export type UnitGroup = (typeof UNIT_GROUPS)[number];

export const GROUP_LABELS: Record<UnitGroup, Bilingual> = {
  township: { zh: '乡镇(街道)', en: 'townships' },
  department: { zh: '县直部门', en: 'county departments' },
  soe: { zh: '国有企业', en: 'state-owned enterprises' },
  park: { zh: '园区', en: 'industrial park' },
};

/**
 * Monthly tasks. Counts of projects leaving a 八未 (scored against the list frozen at day 0),
 * and quantities.
 */
export const TASKS = [
  'signed',
  'started',
  'completed',
  'registered',
  'intoProduction',
  'reachedTarget',
  'landMu',
  'housesDemolished',
  'bondDisbursed',
  'majorSignings',
  'xiangshang',
  'investment',
] as const;
export type Task = (typeof TASKS)[number];

export const TASK_LABELS: Record<Task, Bilingual & { unit: Bilingual }> = {
  signed: { zh: '洽谈项目签约', en: 'negotiated projects signed', unit: { zh: '个', en: 'projects' } },
  started: { zh: '签约项目开工', en: 'signed projects started', unit: { zh: '个', en: 'projects' } },
  completed: { zh: '在建项目竣工', en: 'projects completed', unit: { zh: '个', en: 'projects' } },
  registered: { zh: '在建项目入库', en: 'projects registered in statistics', unit: { zh: '个', en: 'projects' } },
  intoProduction: { zh: '竣工项目投产', en: 'completed projects into production', unit: { zh: '个', en: 'projects' } },
  reachedTarget: { zh: '投产项目达产', en: 'projects reaching target', unit: { zh: '个', en: 'projects' } },
  landMu: { zh: '征拆供地', en: 'land cleared', unit: { zh: '亩', en: 'mu' } },
  housesDemolished: { zh: '房屋拆迁', en: 'houses demolished', unit: { zh: '栋', en: 'houses' } },
  bondDisbursed: { zh: '专债资金拨付', en: 'bond funds disbursed', unit: { zh: '万元', en: '10k yuan' } },
  majorSignings: { zh: '亿元以上项目签约', en: 'signings of ≥ 100m yuan', unit: { zh: '个', en: 'projects' } },
  xiangshang: { zh: '湘商回株项目签约', en: 'returning-merchant projects signed', unit: { zh: '个', en: 'projects' } },
  investment: { zh: '完成投资', en: 'investment completed', unit: { zh: '万元', en: '10k yuan' } },
};

/** What each task's target measures, for its bound (quantity.ts). */
export const TASK_QUANTITY: Record<Task, QuantityKind> = {
  signed: 'count',
  started: 'count',
  completed: 'count',
  registered: 'count',
  intoProduction: 'count',
  reachedTarget: 'count',
  landMu: 'land',
  housesDemolished: 'houses',
  bondDisbursed: 'money',
  majorSignings: 'count',
  xiangshang: 'count',
  investment: 'money',
};

/** Which 八未 a count task clears (its baseline is the list frozen at day 0). */
export const TASK_CLEARS: Partial<Record<Task, string>> = {
  signed: 'unsigned',
  started: 'unstarted',
  completed: 'uncompleted',
  registered: 'unregistered',
  intoProduction: 'unproductive',
  reachedTarget: 'belowTarget',
};

export interface CampaignUnit {
  id: string;
  name: string;
  group: UnitGroup;
}

/** Traffic-light thresholds (红黄绿灯), configurable because counties differ. */
export interface LightRules {
  /**
   * What a unit's light measures its progress against: `plan` (default) — the cumulative
   * actual against the cumulative target of the months to date, so a unit at 100 % of every
   * monthly target is green; `calendar` — against 序时进度 (elapsed days / campaign days) of
   * the whole campaign's target.
   */
  basis: 'plan' | 'calendar';
  /** Yellow while at most this many percentage points behind (default 30). */
  yellowWithinPoints: number;
  /**
   * Project: yellow after this many months under construction without 入库 (default 1), red
   * after `unregisteredRedMonths` (2).
   */
  unregisteredYellowMonths: number;
  unregisteredRedMonths: number;
  /** Project: red when signed and not started for this many months (default 3). */
  unstartedRedMonths: number;
}

export const DEFAULT_LIGHTS: LightRules = {
  basis: 'plan',
  yellowWithinPoints: 30,
  unregisteredYellowMonths: 1,
  unregisteredRedMonths: 2,
  unstartedRedMonths: 3,
};

/** A campaign as registered (the campaign machine's input). */
export interface CampaignInput {
  id: string;
  name: string;
  /** Day 1 of the campaign. */
  start: string;
  days: number;
  units: CampaignUnit[];
  /** unit → month (YYYY-MM) → task → target. */
  targets: Record<string, Record<string, Partial<Record<Task, number>>>>;
  /** A campaign-wide land-acquisition task in 亩 (e.g. 1018.5), reported as met on the day it is. */
  landTaskMu?: number;
  /** How many at the bottom of a group's single-task ranking are interviewed if they missed (default 2). */
  bottomN?: number;
  /** Rank only groups with at least this many units having a target for the task (default 3). */
  minRanked?: number;
  /**
   * 当月未完成攻坚任务且单项工作排名后两位: whether the bottom rank must be on a task the unit
   * missed (default true) or may be on any task, for the executive deputy's interview.
   */
  bottomOnMissedTask?: boolean;
  /**
   * What count tasks score: `all` (default) — every project that leaves the category during
   * the campaign, also those that entered it after day 0; `frozen` — only the day-0 list.
   */
  scope?: 'all' | 'frozen';
  lights?: Partial<LightRules>;
  /** The whole campaign is invented (示例数据): every report says so on every page. */
  illustrative?: boolean;
  /** 县 (default), 县级市 or 区: the titles in the ladder and the 通报 follow it. */
  locality?: 'county' | 'city' | 'district';
  /** Which project events are filed for review (审核) before they count, and by whom (machines/filing.ts). */
  review?: ReviewSettings;
  /**
   * How a programme (项目群) counts among ≥ 1 亿元 signings and starts: `once` (default) — when its
   * first sub-project signs / starts, at the programme's planned total; `each` — per sub-project.
   */
  programmes?: 'once' | 'each';
}
