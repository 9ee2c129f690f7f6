import type { ProjectStateValue } from './project-types.ts';
import { STATS_THRESHOLD_WAN } from './project-checks.ts';
import type { Bilingual } from './rules.ts';

/** The eight not-yets (八未), binding keys, in the article's order. */
export const WEI_KEYS = [
  'unsigned',
  'unstarted',
  'uncompleted',
  'unregistered',
  'unproductive',
  'belowTarget',
  'landUncleared',
  'bondUndisbursed',
] as const;
export type WeiKey = (typeof WEI_KEYS)[number];

export const WEI_LABELS: Record<WeiKey, Bilingual> = {
  unsigned: { zh: '洽谈未签约', en: 'negotiated, not signed' },
  unstarted: { zh: '签约未开工', en: 'signed, not started' },
  uncompleted: { zh: '开工未竣工', en: 'started, not completed' },
  unregistered: { zh: '在建未入库', en: 'under construction, not registered in statistics' },
  unproductive: { zh: '竣工未投产', en: 'completed, not in production' },
  belowTarget: { zh: '投产未达产', en: 'in production, below target' },
  landUncleared: { zh: '征拆未清零', en: 'land not cleared' },
  bondUndisbursed: { zh: '专债资金未拨付', en: 'bond funds not disbursed' },
};

/**
 * When a project is in each 八未: the state of each region named (all of them at once). One
 * definition for the counts, the lists and the inspector's "what this state means". A dropped
 * (终止) project is in none of them, whatever its land or bond: it is counted apart (终止).
 */
export const WEI_WHEN: Readonly<Record<WeiKey, Readonly<Partial<ProjectStateValue>>>> = {
  unsigned: { lifecycle: 'negotiating' },
  unstarted: { lifecycle: 'signed' },
  uncompleted: { lifecycle: 'underConstruction' },
  unregistered: { lifecycle: 'underConstruction', statistics: 'unregistered' },
  unproductive: { lifecycle: 'completed' },
  belowTarget: { lifecycle: 'inProduction' },
  landUncleared: { land: 'clearing' },
  bondUndisbursed: { bond: 'allocated' },
};

const HOLDS = Object.fromEntries(
  WEI_KEYS.map((key) => {
    const when = Object.entries(WEI_WHEN[key]) as [keyof ProjectStateValue, string][];
    return [key, (v: ProjectStateValue) => !isDropped(v) && when.every(([region, state]) => v[region] === state)];
  }),
) as Record<WeiKey, (v: ProjectStateValue) => boolean>;

/** 终止: a dropped project leaves every 八未 and is counted on its own. */
export function isDropped(value: ProjectStateValue): boolean {
  return value.lifecycle === 'dropped';
}

/** What a project is, beyond its state: its investment and purpose decide which 八未 apply. */
export interface ProjectAttributes {
  plannedInvestment?: number;
  purpose?: 'productive' | 'public';
}

/** A project as the 八未 see it: its state, and its attributes (in its context, or on it). */
export type WeiSubject = { value: ProjectStateValue; context?: ProjectAttributes } & ProjectAttributes;

/**
 * The categories that apply only to some projects. 在建未入库: projects below the 入库
 * threshold are never registered, so it does not apply to them. 竣工未投产 and 投产未达产:
 * public works (公益性) end at completion — handed over for use — so they do not apply to them.
 */
export const WEI_APPLIES: Partial<Record<WeiKey, { applies: (p: ProjectAttributes) => boolean } & Bilingual>> = {
  unregistered: {
    applies: (p) => p.plannedInvestment === undefined || p.plannedInvestment >= STATS_THRESHOLD_WAN,
    zh: `计划总投资不低于 ${STATS_THRESHOLD_WAN} 万元的项目(低于的不入库)`,
    en: `projects of ${STATS_THRESHOLD_WAN} (10k yuan) or more (smaller ones are never registered)`,
  },
  unproductive: {
    applies: (p) => p.purpose !== 'public',
    zh: '生产经营性项目(公益性项目竣工交付使用即完成)',
    en: 'productive projects (public works end at completion, handed over for use)',
  },
  belowTarget: {
    applies: (p) => p.purpose !== 'public',
    zh: '生产经营性项目(公益性项目竣工交付使用即完成)',
    en: 'productive projects (public works end at completion, handed over for use)',
  },
};

export function weiKeys(project: WeiSubject): WeiKey[] {
  const attributes: ProjectAttributes = {
    plannedInvestment: project.context?.plannedInvestment ?? project.plannedInvestment,
    purpose: project.context?.purpose ?? project.purpose,
  };
  return WEI_KEYS.filter((key) => HOLDS[key](project.value) && (WEI_APPLIES[key]?.applies(attributes) ?? true));
}

/**
 * The 八未 a project is in, with labels. A project can be in several at once.
 *
 * @example
 * weiCategories(snapshot) // [{ key: 'uncompleted', zh: '开工未竣工', en: '…' }, { key: 'landUncleared', … }]
 */
export function weiCategories(project: WeiSubject): ({ key: WeiKey } & Bilingual)[] {
  return weiKeys(project).map((key) => ({ key, ...WEI_LABELS[key] }));
}
