import { CAMPAIGN_EVENT_LABELS, CAMPAIGN_STATE_LABELS, MEASURE_LABELS } from './campaign.ts';
import { GROUP_LABELS, TASK_LABELS } from './campaign-types.ts';
import { TOTAL_LABELS } from './campaign-totals.ts';
import { EVENT_LABELS, FIELD_LABELS, PERMIT_LABELS, REGION_LABELS, STATE_LABELS } from './labels.ts';
import { PROBLEM_EVENT_ROLES, PROJECT_EVENT_ROLES, ROLE_LABELS } from './permissions.ts';
import { PROBLEM_EVENT_LABELS, PROBLEM_SOURCE_LABELS, PROBLEM_STATE_LABELS } from './problem.ts';
import { FILING_EVENT_LABELS, FILING_STATE_LABELS } from './filing.ts';
import { STAGES } from './project-types.ts';
import { LADDER_LABELS, ladderLabels, LOCALITIES, UNIT_STATE_LABELS, unitStateLabels, type Locality } from './unit.ts';
import { WEI_KEYS, WEI_LABELS } from './wei.ts';

/**
 * Every label people read (zh-CN and English), in one document: states, events, fields, 八未,
 * roles, tasks, groups, problem and ladder vocabulary, totals, lights — and who may send each
 * event. The web app reads it from `/api/vocabulary`; the tables stay where the rules are.
 */
export const VOCABULARY = {
  regions: REGION_LABELS,
  states: STATE_LABELS,
  events: EVENT_LABELS,
  fields: FIELD_LABELS,
  permits: PERMIT_LABELS,
  measures: MEASURE_LABELS,
  wei: WEI_LABELS,
  weiKeys: WEI_KEYS,
  stages: [...STAGES, 'dropped'],
  roles: ROLE_LABELS,
  eventRoles: { project: PROJECT_EVENT_ROLES, problem: PROBLEM_EVENT_ROLES },
  tasks: TASK_LABELS,
  groups: GROUP_LABELS,
  totals: TOTAL_LABELS,
  lights: {
    green: { zh: '绿灯', en: 'green' },
    yellow: { zh: '黄灯', en: 'yellow' },
    red: { zh: '红灯', en: 'red' },
  },
  problemSources: PROBLEM_SOURCE_LABELS,
  problemStates: PROBLEM_STATE_LABELS,
  problemEvents: PROBLEM_EVENT_LABELS,
  ladder: LADDER_LABELS,
  /** The ladder's steps and states titled for each locality (县 / 县级市 / 区). */
  ladderByLocality: Object.fromEntries(
    (Object.keys(LOCALITIES) as Locality[]).map((l) => [l, { steps: ladderLabels(l), states: unitStateLabels(l) }]),
  ) as Record<Locality, { steps: ReturnType<typeof ladderLabels>; states: ReturnType<typeof unitStateLabels> }>,
  filingStates: FILING_STATE_LABELS,
  filingEvents: FILING_EVENT_LABELS,
  campaignStates: CAMPAIGN_STATE_LABELS,
  campaignEvents: CAMPAIGN_EVENT_LABELS,
  unitStates: UNIT_STATE_LABELS,
};

export type Vocabulary = typeof VOCABULARY;
