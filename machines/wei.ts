import type { ProjectStateValue } from './project-types.ts';
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

const HOLDS: Record<WeiKey, (v: ProjectStateValue) => boolean> = {
  unsigned: (v) => v.lifecycle === 'negotiating',
  unstarted: (v) => v.lifecycle === 'signed',
  uncompleted: (v) => v.lifecycle === 'underConstruction',
  unregistered: (v) => v.lifecycle === 'underConstruction' && v.statistics === 'unregistered',
  unproductive: (v) => v.lifecycle === 'completed',
  belowTarget: (v) => v.lifecycle === 'inProduction',
  landUncleared: (v) => v.land === 'clearing',
  bondUndisbursed: (v) => v.bond === 'allocated',
};

/** The 八未 keys a project is in, from its state value alone (works on persisted snapshots too). */
export function weiKeys(snapshot: { value: ProjectStateValue }): WeiKey[] {
  return WEI_KEYS.filter((key) => HOLDS[key](snapshot.value));
}

/**
 * The 八未 a project is in, with labels. A project can be in several at once.
 *
 * @example
 * weiCategories(snapshot) // [{ key: 'uncompleted', zh: '开工未竣工', en: '…' }, { key: 'landUncleared', … }]
 */
export function weiCategories(snapshot: { value: ProjectStateValue }): ({ key: WeiKey } & Bilingual)[] {
  return weiKeys(snapshot).map((key) => ({ key, ...WEI_LABELS[key] }));
}
