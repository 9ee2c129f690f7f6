import { z } from 'zod';
import {
  CAMPAIGN_ROLES,
  LADDER_LABELS,
  ROLE_LABELS,
  TASKS,
  UNIT_EVENT_LABELS,
  UNIT_GROUPS,
  UNIT_MACHINE_VERSION,
  UNIT_STATE_LABELS,
  mayRunCampaign,
  reject,
  unitExplainer,
  unitMachine,
  unitRules,
  type CampaignInput,
  type InputProblem,
  type LadderInput,
  type UnitContext,
  type UnitEvent,
  ruleChecks,
} from '../../machines/index.ts';
import { StoreError } from '../../store/index.ts';
import { defineKind, startedWith, type MigrationContext } from './kind.ts';
import { dated, isoMonth } from './schema-parts.ts';

type LadderEvent = Extract<UnitEvent, { type: 'MONTH_ASSESSED' | 'RECORD_ACCOUNTABILITY' }>;

const LadderInputSchema = z
  .strictObject({
    id: z.string().min(1),
    campaignId: z.string().min(1),
    unitId: z.string().min(1),
    name: z.string().min(1),
    group: z.enum(UNIT_GROUPS),
  })
  .meta({ id: 'LadderInput' });

export const LadderEventSchema = z
  .discriminatedUnion('type', [
    dated('MONTH_ASSESSED', {
      month: isoMonth,
      missedTasks: z.array(z.enum(TASKS)),
      bottomTasks: z.array(z.enum(TASKS)),
    }),
    dated('RECORD_ACCOUNTABILITY', { reason: z.string().max(1000) }),
  ])
  .meta({ id: 'LadderEvent' });

/**
 * The (campaign, unit) a first-release ladder id `<campaign>.<unit>` stands for, found among the
 * campaigns' units. Refused when none or several pairs give that id (the first release's bug):
 * a person must decide.
 */
function legacyLadder(id: string, context: MigrationContext): { campaignId: string; unitId: string } {
  const matches: { campaignId: string; unitId: string }[] = [];
  for (const { context: campaign } of context.records('campaign')) {
    const config = campaign.config as CampaignInput;
    for (const unit of config.units)
      if (`${config.id}.${unit.id}` === id) matches.push({ campaignId: config.id, unitId: unit.id });
  }
  if (matches.length !== 1) {
    const why =
      matches.length === 0
        ? 'no campaign has such a unit'
        : `it could be ${matches.map((m) => `${m.campaignId} + ${m.unitId}`).join(' or ')}`;
    throw new StoreError(
      'legacyLadder',
      `ladder ${id} (first-release id): ${why}; fix the data by hand`,
      `责任单位台账 ${id}(旧编号)无法对应到攻坚行动与单位,请人工处理`,
    );
  }
  return matches[0]!;
}

function validate(input: unknown): InputProblem[] {
  const parsed = LadderInputSchema.safeParse(input);
  return parsed.success
    ? []
    : parsed.error.issues.map((i) => ({ field: i.path.join('.'), zh: `台账输入有误:${i.message}`, en: i.message }));
}

/**
 * A unit's accountability ladder within one campaign (machines/unit.ts). Persisted as kind
 * `unit` (the first release's name); created by the campaign, one per unit.
 */
export const ladderKind = defineKind<string, UnitContext, LadderInput, LadderEvent>({
  kind: 'unit',
  label: { zh: '责任单位问责台账', en: 'accountability ladder' },
  machine: unitMachine,
  version: UNIT_MACHINE_VERSION,
  inputSchema: LadderInputSchema,
  eventSchema: LadderEventSchema,
  labels: { events: UNIT_EVENT_LABELS, states: UNIT_STATE_LABELS },
  moreLabels: { ladder: LADDER_LABELS },
  rules: ruleChecks(unitRules),
  // Assessments come only from supervisions (the campaign service), never from a person.
  roles: { MONTH_ASSESSED: [], RECORD_ACCOUNTABILITY: CAMPAIGN_ROLES },
  validate,
  initial: (input) => startedWith(unitMachine, input),
  createdOn: () => null,
  explain: (view, event, clock) => unitExplainer.explain(view, event, clock),
  options: (view) => unitExplainer.options(view),
  tags: (view) => ({ stage: view.value, unitId: view.context.unitId, campaignId: view.context.campaignId }),
  createForbidden: () => reject('role', '责任单位台账随攻坚行动建立', 'ladders are created with their campaign'),
  forbidden: (staff, type) =>
    type === 'RECORD_ACCOUNTABILITY' && mayRunCampaign(staff)
      ? null
      : reject(
          'role',
          `角色「${ROLE_LABELS[staff.role].zh}」不能${type === 'RECORD_ACCOUNTABILITY' ? '记录问责' : '记录督查结果'}`,
          `role "${staff.role}" may not send ${type}`,
        ),
  migrations: {
    // v1 kept one dotted id for the ladder; v2 names its campaign and unit separately.
    1: (s, context) => {
      const { id, ...rest } = s.context;
      return { ...s, context: { ...legacyLadder(String(id), context), ...rest } };
    },
  },
  inputMigrations: {
    // The entity keeps its first-release id; the input gains the two ids it stands for.
    1: (input, context) => ({ ...input, ...legacyLadder(String(input.id), context) }),
  },
});
