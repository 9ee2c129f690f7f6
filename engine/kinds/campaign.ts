import { z } from 'zod';
import {
  CAMPAIGN_EVENT_LABELS,
  CAMPAIGN_MACHINE_VERSION,
  CAMPAIGN_ROLES,
  CAMPAIGN_STATE_LABELS,
  ROLE_LABELS,
  TASKS,
  UNIT_GROUPS,
  campaignExplainer,
  campaignMachine,
  campaignRules,
  mayRunCampaign,
  MEASURES,
  PROJECT_EVENT_ROLES,
  REVIEWER_ROLES,
  reject,
  validateCampaignInput,
  type CampaignContext,
  type CampaignEvent,
  type CampaignInput,
  type StaffMember,
  ruleChecks,
} from '../../machines/index.ts';
import { defineKind, startedWith } from './kind.ts';
import { dated, isoDate, isoMonth, mu, safeId } from './schema-parts.ts';

export const CampaignInputSchema = z
  .strictObject({
    id: safeId,
    name: z.string().min(1).max(200),
    start: isoDate,
    days: z.number().int().min(1).max(366),
    units: z
      .array(z.strictObject({ id: safeId, name: z.string().min(1).max(200), group: z.enum(UNIT_GROUPS) }))
      .min(1)
      .max(1000),
    targets: z.record(z.string(), z.record(z.string(), z.partialRecord(z.enum(TASKS), z.number().min(0)))).meta({
      description: 'unit → month (YYYY-MM) → task → target (bounded per task, checked by the campaign machine)',
    }),
    landTaskMu: mu.positive().optional(),
    bottomN: z.number().int().min(1).optional(),
    illustrative: z.boolean().optional().meta({ description: 'invented data: every report says 示例数据' }),
    locality: z.enum(['county', 'city', 'district']).optional().meta({
      description: '县 (default), 县级市 or 区: titles in the ladder and the 通报 (常务副县长 / 副市长 / 副区长)',
    }),
    minRanked: z.number().int().min(1).optional(),
    scope: z
      .enum(['all', 'frozen'])
      .optional()
      .meta({ description: 'count tasks score every project leaving the category (all, default) or the day-0 list' }),
    bottomOnMissedTask: z
      .boolean()
      .optional()
      .meta({ description: 'the deputy’s interview needs the bottom rank on a task the unit missed (default true)' }),
    lights: z
      .strictObject({
        basis: z.enum(['plan', 'calendar']).meta({
          description: 'plan (default): cumulative actual vs cumulative target to date; calendar: vs elapsed days',
        }),
        yellowWithinPoints: z.number(),
        unregisteredYellowMonths: z.number(),
        unregisteredRedMonths: z.number(),
        unstartedRedMonths: z.number(),
      })
      .partial()
      .optional(),
    review: z
      .strictObject({
        events: z
          .partialRecord(
            z.enum(Object.keys(PROJECT_EVENT_ROLES) as [string, ...string[]]),
            z.array(z.enum(REVIEWER_ROLES)).min(1).max(REVIEWER_ROLES.length),
          )
          .meta({
            description: 'project event type → the roles that review it (审核); types not listed count at once',
          }),
        workingDays: z.number().int().min(1).max(60).optional().meta({ description: 'review deadline (default 3)' }),
        countIn: z
          .enum(['filed', 'approved'])
          .optional()
          .meta({ description: 'an approved filing counts in the month it is dated (filed, default) or approved' }),
      })
      .optional()
      .meta({ description: 'filings reviewed before they count (填报 → 审核)' }),
    programmes: z.enum(['once', 'each']).optional().meta({
      description:
        'a programme (项目群) counts once among ≥ 1 亿元 signings and starts (once, default) or per sub-project',
    }),
  })
  .meta({ id: 'CampaignInput' });

export const CampaignEventSchema = z
  .discriminatedUnion('type', [
    dated('START', {}),
    dated('SUPERVISE', { month: isoMonth }),
    dated('ASSESS', {}),
    dated('CLOSE', {}),
    dated('RECORD_MEASURE', {
      measure: z.enum(MEASURES).meta({ description: '外出招商, 企业办事不求人 or 施工环境保障' }),
      unitId: safeId,
      count: z.number().int().min(1).max(10_000),
      note: z.string().min(1).max(500),
    }),
  ])
  .meta({ id: 'CampaignEvent', example: { type: 'SUPERVISE', month: '2022-08', at: '2022-08-31' } });

const onlyHq = (staff: StaffMember) =>
  mayRunCampaign(staff)
    ? null
    : reject(
        'role',
        `只有${CAMPAIGN_ROLES.map((r) => ROLE_LABELS[r].zh).join('、')}可以组织攻坚行动`,
        'only the campaign office (hq) runs campaigns',
      );

/** The campaign (攻坚行动): draft → active → assessment → closed (machines/campaign.ts). */
export const campaignKind = defineKind<string, CampaignContext, CampaignInput, CampaignEvent>({
  kind: 'campaign',
  label: { zh: '攻坚行动', en: 'campaign' },
  machine: campaignMachine,
  version: CAMPAIGN_MACHINE_VERSION,
  inputSchema: CampaignInputSchema,
  eventSchema: CampaignEventSchema,
  labels: { events: CAMPAIGN_EVENT_LABELS, states: CAMPAIGN_STATE_LABELS },
  rules: ruleChecks(campaignRules),
  roles: {
    START: CAMPAIGN_ROLES,
    SUPERVISE: CAMPAIGN_ROLES,
    ASSESS: CAMPAIGN_ROLES,
    CLOSE: CAMPAIGN_ROLES,
    RECORD_MEASURE: ['hq', 'unit'],
  },
  validate: (input) => validateCampaignInput(input),
  initial: (input) => startedWith(campaignMachine, input),
  // A campaign may be registered ahead of its start: no creation date to check.
  createdOn: () => null,
  explain: (view, event, clock) => campaignExplainer.explain(view, event, clock),
  options: (view) => campaignExplainer.options(view),
  tags: (view) => ({ stage: view.value }),
  createForbidden: onlyHq,
  // A unit records its own measures (招商, 办事, 施工环境); everything else is the office's.
  forbidden: (staff, type, _campaign, event) =>
    type === 'RECORD_MEASURE' && staff.role === 'unit'
      ? event !== undefined && (event as { unitId?: unknown }).unitId !== staff.unitId
        ? reject(
            'unit',
            `只能登记本单位(${staff.unitId ?? '未指定'})的举措`,
            'unit staff record their own unit’s measures',
          )
        : null
      : onlyHq(staff),
  migrations: {},
  inputMigrations: {},
});
