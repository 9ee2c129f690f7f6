import { createActor, type AnyStateMachine } from 'xstate';
import {
  CAMPAIGN_EVENT_LABELS,
  CAMPAIGN_MACHINE_VERSION,
  CAMPAIGN_STATE_LABELS,
  PROBLEM_EVENT_LABELS,
  PROBLEM_MACHINE_VERSION,
  PROBLEM_STATE_LABELS,
  PROJECT_MACHINE_VERSION,
  ProjectInputError,
  UNIT_EVENT_LABELS,
  UNIT_MACHINE_VERSION,
  UNIT_GROUPS,
  UNIT_STATE_LABELS,
  campaignMachine,
  campaignRules,
  explainFlat,
  explainRejection,
  problemMachine,
  problemRules,
  projectMachine,
  unitMachine,
  unitRules,
  validateCampaignInput,
  initialProjectSnapshot,
  PROBLEM_SOURCES,
  isIsoDate,
  notInFuture,
  type CampaignInput,
  type LadderInput,
  type UnitContext,
  type EventClock,
  type ProjectContext,
  type ProjectInput,
  type ProjectStateValue,
  type Rejection,
} from '../machines/index.ts';
import type { EntityKind, RecordTags } from '../store/index.ts';
import { projectTags } from './project-entity.ts';

/** A problem with creation input, naming the field when there is one. */
export interface CreateProblem {
  field: string;
  zh: string;
  en: string;
}

/** What the engine needs to know about each kind of persisted actor. */
export interface EntityDefinition {
  kind: EntityKind;
  machine: AnyStateMachine;
  version: number;
  /**
   * The persisted snapshot and tags of a new entity, or what is wrong with the input. Given the
   * engine's clock, dates in the input after today are refused too (not when replaying).
   */
  create(input: unknown, clock?: EventClock): { snapshot: unknown; tags: RecordTags } | { problems: CreateProblem[] };
  /** Why the entity would refuse the event (dated after today, given the clock), or null. */
  explain(view: { value: unknown; context: unknown }, event: unknown, clock?: EventClock): Rejection | null;
  tags(view: { value: unknown; context: unknown }): RecordTags;
}

function initialPersisted(machine: AnyStateMachine, input: unknown): unknown {
  return createActor(machine, { input }).getPersistedSnapshot();
}

const text = (v: unknown) => typeof v === 'string' && v.trim() !== '';

/** Input dates after today (given the engine's clock), each naming its field. */
function futureFields(input: unknown, fields: string[], clock: EventClock | undefined): CreateProblem[] {
  const i = input as Record<string, unknown> | null;
  return fields.flatMap((field) => {
    const future = notInFuture(i?.[field], clock, { zh: field, en: field });
    return future === null ? [] : [{ field, zh: future.zh, en: future.en }];
  });
}

const project: EntityDefinition = {
  kind: 'project',
  machine: projectMachine,
  version: PROJECT_MACHINE_VERSION,
  create(input, clock) {
    try {
      const snapshot = initialProjectSnapshot(input as ProjectInput);
      const future = futureFields(input, ['asOf', 'since'], clock);
      if (future.length > 0) return { problems: future };
      return { snapshot: projectMachine.getPersistedSnapshot(snapshot), tags: projectTags(snapshot) };
    } catch (err) {
      if (err instanceof ProjectInputError) return { problems: [...err.problems, ...futureFields(input, ['asOf', 'since'], clock)] };
      throw err;
    }
  },
  explain: (view, event, clock) => explainRejection(view as { value: ProjectStateValue; context: ProjectContext }, event, clock),
  tags: (view) => projectTags(view as { value: ProjectStateValue; context: ProjectContext }),
};

const campaign: EntityDefinition = {
  kind: 'campaign',
  machine: campaignMachine,
  version: CAMPAIGN_MACHINE_VERSION,
  create(input) {
    const problems = validateCampaignInput(input as CampaignInput).map((p) => ({ field: '', ...p }));
    return problems.length > 0 ? { problems } : { snapshot: initialPersisted(campaignMachine, input), tags: { stage: 'draft' } };
  },
  explain: (view, event, clock) => explainFlat(campaignMachine, campaignRules as never, view, event, { events: CAMPAIGN_EVENT_LABELS, states: CAMPAIGN_STATE_LABELS }, clock),
  tags: (view) => ({ stage: String(view.value) }),
};

/** A unit's accountability ladder within one campaign (persisted kind `unit`). */
const unit: EntityDefinition = {
  kind: 'unit',
  machine: unitMachine,
  version: UNIT_MACHINE_VERSION,
  create(input) {
    const u = input as Partial<Record<keyof LadderInput, unknown>>;
    const problems: CreateProblem[] = [];
    if (!text(u.campaignId)) problems.push({ field: 'campaignId', zh: '攻坚行动编号不能为空', en: 'campaignId is required' });
    if (!text(u.unitId)) problems.push({ field: 'unitId', zh: '单位编号不能为空', en: 'unitId is required' });
    if (!text(u.name)) problems.push({ field: 'name', zh: '单位名称不能为空', en: 'name is required' });
    if (!(UNIT_GROUPS as readonly unknown[]).includes(u.group)) problems.push({ field: 'group', zh: `分组须为 ${UNIT_GROUPS.join('、')}`, en: `group must be one of ${UNIT_GROUPS.join(', ')}` });
    return problems.length > 0 ? { problems } : { snapshot: initialPersisted(unitMachine, input), tags: { stage: 'goodStanding', unitId: String(u.unitId), campaignId: String(u.campaignId) } };
  },
  explain: (view, event, clock) => explainFlat(unitMachine, unitRules as never, view, event, { events: UNIT_EVENT_LABELS, states: UNIT_STATE_LABELS }, clock),
  tags: (view) => {
    const context = view.context as UnitContext;
    return { stage: String(view.value), unitId: context.unitId, campaignId: context.campaignId };
  },
};

const problem: EntityDefinition = {
  kind: 'problem',
  machine: problemMachine,
  version: PROBLEM_MACHINE_VERSION,
  create(input, clock) {
    const p = input as Record<string, unknown>;
    const problems: CreateProblem[] = [];
    for (const field of ['id', 'projectId', 'title']) if (!text(p[field])) problems.push({ field, zh: `${field} 不能为空`, en: `${field} is required` });
    if (!(PROBLEM_SOURCES as readonly unknown[]).includes(p.source)) problems.push({ field: 'source', zh: `来源须为 ${PROBLEM_SOURCES.join('、')}`, en: `source must be one of ${PROBLEM_SOURCES.join(', ')}` });
    if (!isIsoDate(p.raisedOn)) problems.push({ field: 'raisedOn', zh: '提出日期须为 YYYY-MM-DD', en: 'raisedOn must be YYYY-MM-DD' });
    problems.push(...futureFields(input, ['raisedOn'], clock));
    return problems.length > 0 ? { problems } : { snapshot: initialPersisted(problemMachine, input), tags: { stage: 'raised' } };
  },
  explain: (view, event, clock) => explainFlat(problemMachine, problemRules as never, view, event, { events: PROBLEM_EVENT_LABELS, states: PROBLEM_STATE_LABELS }, clock),
  tags: (view) => ({ stage: String(view.value), unitId: (view.context as { unitId: string | null }).unitId ?? undefined }),
};

export const ENTITIES: Record<EntityKind, EntityDefinition> = { project, campaign, unit, problem };
