import { z } from 'zod';
import {
  PROBLEM_SOURCES,
  MEASURES,
  ROLES,
  SAFE_ID_RULE,
  TASKS,
  UNIT_GROUPS,
  addDays,
  campaignEnd,
  isIsoDate,
  isSafeId,
} from '../machines/index.ts';
import { CampaignInputSchema, KINDS, ProgrammeInputSchema, ProjectInputSchema } from './kinds/index.ts';

/**
 * The scenario file format (JSON, `"format": "gongjian-scenario/1"`): a campaign, its units and
 * staff, monthly targets, the starting portfolio (any stage), and dated events with who sends
 * them. Validated in full before anything runs; every problem is listed with its path.
 */
const date = z.string().refine(isIsoDate, 'expected YYYY-MM-DD');
const id = z.string().refine(isSafeId, SAFE_ID_RULE.en);

/** A project of the starting portfolio: the project input (one schema with HTTP), perhaps marked invented. */
const ProjectSchema = ProjectInputSchema.extend({
  illustrative: z.boolean().optional().describe('true for projects invented to reach the article’s scale'),
});

const common = { at: date, by: id, comment: z.string().optional().describe('a remark for people; not sent') };

const ProjectEventSchema = z.looseObject({
  ...common,
  project: id,
  type: z.string().min(1),
  filing: id.optional().describe('the filing’s id, when the campaign reviews this type (default: generated)'),
  ref: id.optional().describe('a name for this event, for a later CORRECT to point at'),
});
/** A review of a filing (审核) or the filer's answer: APPROVE, RETURN {reason}, RESUBMIT {event}, WITHDRAW. */
const FilingStepSchema = z.strictObject({
  ...common,
  type: z.enum(['APPROVE', 'RETURN', 'RESUBMIT', 'WITHDRAW']),
  filing: id,
  reason: z.string().optional(),
  note: z.string().optional(),
  event: z.looseObject({ type: z.string() }).optional().describe('RESUBMIT: the event as filed again (without at)'),
});
/** 更正 (hq): the event named `ref` replaced (`event`, same type) or voided (`void`), with a reason. */
const CorrectionStepSchema = z.strictObject({
  ...common,
  type: z.literal('CORRECT'),
  project: id,
  ref: id,
  event: z.looseObject({ type: z.string() }).optional(),
  void: z.literal(true).optional(),
  reason: z.string().min(1),
});
const ProblemRaiseSchema = z.strictObject({
  ...common,
  type: z.literal('RAISE_PROBLEM'),
  problem: id,
  projectId: id,
  title: z.string(),
  source: z.enum(PROBLEM_SOURCES),
  raisedBy: z.string().optional(),
});
const ProblemEventSchema = z.looseObject({
  ...common,
  problem: id,
  type: z.enum(['ASSIGN', 'RESOLVE', 'VERIFY', 'REOPEN']),
});
const AccountabilitySchema = z.strictObject({
  ...common,
  type: z.literal('RECORD_ACCOUNTABILITY'),
  unit: id,
  reason: z.string(),
});
const RegisterSchema = z.strictObject({ ...common, type: z.literal('REGISTER_PROJECT'), project: ProjectSchema });
/** 外出招商, 企业办事不求人, 施工环境保障: counted records of the campaign (the API's RECORD_MEASURE). */
const MeasureSchema = z.strictObject({
  ...common,
  type: z.literal('RECORD_MEASURE'),
  measure: z.enum(MEASURES),
  unitId: id,
  count: z.number().int().min(1).max(10_000).default(1),
  note: z.string().min(1).max(500),
});

export const ScenarioEventSchema = z.union([
  FilingStepSchema,
  CorrectionStepSchema,
  RegisterSchema,
  MeasureSchema,
  ProblemRaiseSchema,
  ProblemEventSchema,
  AccountabilitySchema,
  ProjectEventSchema,
]);

export const ScenarioSchema = z.strictObject({
  format: z.literal('gongjian-scenario/1'),
  description: z.string().optional(),
  source: z.string().optional(),
  // The campaign's own settings, exactly as registering it over HTTP takes them (units and
  // targets come in their own sections).
  campaign: CampaignInputSchema.omit({ units: true, targets: true }),
  units: z.array(z.strictObject({ id, name: z.string().min(1), group: z.enum(UNIT_GROUPS) })).min(1),
  staff: z.array(z.strictObject({ id, name: z.string(), role: z.enum(ROLES), unitId: id.optional() })).min(1),
  targets: z.record(z.string(), z.record(z.string(), z.partialRecord(z.enum(TASKS), z.number().min(0)))),
  /** Programmes (项目群) the projects may belong to (`programmeId`); registered first. */
  programmes: z.array(ProgrammeInputSchema.omit({ registeredOn: true })).optional(),
  projects: z.array(ProjectSchema),
  events: z.array(ScenarioEventSchema),
});

/** One problem with a scenario: where (a JSON path) and what, in both languages. */
interface ScenarioProblem {
  path: (string | number)[];
  en: string;
  zh?: string;
}

type Loose = Record<string, unknown>;
const arrayOf = (x: unknown): Loose[] =>
  Array.isArray(x) ? x.map((v) => (typeof v === 'object' && v !== null ? (v as Loose) : {})) : [];

/**
 * Everything the shape alone cannot say, checked on the raw file even where its shape is wrong
 * (so every problem is listed at once): references between sections, each project and the
 * campaign against the same rules as registering them over HTTP, each event's payload against
 * the event schema the API takes, staff that can act, dates in order and within the campaign.
 */
function crossCheck(raw: unknown): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const add = (path: (string | number)[], en: string, zh?: string) => problems.push({ path, en, zh });
  if (typeof raw !== 'object' || raw === null) return problems;
  const s = raw as Loose;
  const unitsRaw = arrayOf(s.units);
  const units = new Set(unitsRaw.map((u) => u.id));
  const staffRaw = arrayOf(s.staff);
  const staff = new Set(staffRaw.map((m) => m.id));
  const projectsRaw = arrayOf(s.projects);
  const projects = new Set(projectsRaw.map((p) => p.id));
  const campaign = (typeof s.campaign === 'object' && s.campaign !== null ? s.campaign : {}) as Loose;
  // The campaign, its units and targets as the campaign machine would take them.
  for (const p of KINDS.campaign.validate({ ...campaign, units: s.units, targets: s.targets }))
    add(
      p.field.startsWith('units') || p.field.startsWith('targets')
        ? p.field.split('.')
        : ['campaign', ...p.field.split('.')],
      p.en,
      p.zh,
    );
  const programmesRaw = arrayOf(s.programmes);
  const programmes = new Set(programmesRaw.map((p) => p.id));
  programmesRaw.forEach((p, i) => {
    for (const [j, unitId] of (Array.isArray(p.unitIds) ? p.unitIds : []).entries())
      if (!units.has(unitId))
        add(['programmes', i, 'unitIds', j], `unknown unit ${String(unitId)}`, `没有单位 ${String(unitId)}`);
  });
  const checkProject = (p: Loose, path: (string | number)[]) => {
    const { illustrative: _illustrative, ...input } = p;
    // Registered the day before the campaign starts, as the simulation does.
    const asOf = isIsoDate(campaign.start) ? addDays(campaign.start, -1) : undefined;
    for (const problem of KINDS.project.validate({ ...(asOf === undefined ? {} : { asOf }), ...input }))
      add([...path, ...problem.field.split('.').filter((f) => f !== '')], problem.en, problem.zh);
    if (typeof p.unitId === 'string' && !units.has(p.unitId))
      add([...path, 'unitId'], `unknown unit ${p.unitId}`, `没有单位 ${p.unitId}`);
    if (p.programmeId !== undefined && !programmes.has(p.programmeId))
      add(
        [...path, 'programmeId'],
        `unknown programme ${String(p.programmeId)} (list it under "programmes")`,
        `没有项目群 ${String(p.programmeId)}`,
      );
  };
  for (const [i, p] of projectsRaw.entries()) checkProject(p, ['projects', i]);
  staffRaw.forEach((m, i) => {
    if (m.unitId !== undefined && !units.has(m.unitId))
      add(['staff', i, 'unitId'], `unknown unit ${String(m.unitId)}`, `没有单位 ${String(m.unitId)}`);
    if (m.role === 'unit' && m.unitId === undefined)
      add(
        ['staff', i, 'unitId'],
        'unit staff need the unit they work for (unitId)',
        '责任单位经办员须填写所属单位(unitId)',
      );
  });
  const days = campaign.days;
  const end =
    isIsoDate(campaign.start) && Number.isInteger(days) && (days as number) >= 1 && (days as number) <= 366
      ? campaignEnd(campaign.start, days as number)
      : null;
  const problemIds = new Set<unknown>();
  const filingIds = new Set<unknown>();
  const refs = new Set<string>();
  const events = arrayOf(s.events);
  events.forEach((e, i) => {
    const at = e.at;
    if (typeof e.by === 'string' && !staff.has(e.by))
      add(['events', i, 'by'], `unknown staff member ${e.by}`, `没有人员 ${e.by}`);
    if (end !== null && typeof at === 'string' && at > end)
      add(['events', i, 'at'], `${at} is after the campaign's last day, ${end}`, `${at} 晚于攻坚期最后一天 ${end}`);
    const previous = events[i - 1]?.at;
    if (typeof at === 'string' && typeof previous === 'string' && at < previous)
      add(
        ['events', i, 'at'],
        `events must be in date order (${at} after ${previous})`,
        `事件须按日期排列(${at} 排在 ${previous} 之后)`,
      );
    const { at: _at, by: _by, comment: _comment, project, problem, filing, ref, ...payload } = e;
    if (typeof filing === 'string' && ['APPROVE', 'RETURN', 'RESUBMIT', 'WITHDRAW'].includes(String(e.type))) {
      if (!filingIds.has(filing))
        add(
          ['events', i, 'filing'],
          `unknown filing ${filing} (name it with "filing" on the event filed)`,
          `没有填报 ${filing}`,
        );
      return;
    }
    switch (e.type) {
      case 'CORRECT':
        if (!refs.has(`${String(project)} ${String(ref)}`))
          add(
            ['events', i, 'ref'],
            `no earlier event of project ${String(project)} named ${String(ref)}`,
            `项目 ${String(project)} 没有名为 ${String(ref)} 的事件`,
          );
        if ((e.event === undefined) === (e.void === undefined))
          add(
            ['events', i],
            'a correction gives either the corrected event or void: true',
            '更正须给出更正后的事件或作废,二者选一',
          );
        return;
      case 'REGISTER_PROJECT': {
        const p = (typeof project === 'object' && project !== null ? project : {}) as Loose;
        checkProject(p, ['events', i, 'project']);
        projects.add(p.id);
        return;
      }
      case 'RAISE_PROBLEM':
        problemIds.add(problem);
        if (!projects.has(e.projectId))
          add(['events', i, 'projectId'], `unknown project ${String(e.projectId)}`, `没有项目 ${String(e.projectId)}`);
        return;
      case 'RECORD_MEASURE': {
        if (!units.has(e.unitId))
          add(['events', i, 'unitId'], `unknown unit ${String(e.unitId)}`, `没有单位 ${String(e.unitId)}`);
        // The record as the API takes it (a missing count is 1).
        const parsed = KINDS.campaign.eventSchema.safeParse({ count: 1, ...payload, unitId: e.unitId, at });
        if (!parsed.success)
          for (const issue of parsed.error.issues) add(['events', i, ...issue.path.map(pathKey)], issue.message);
        return;
      }
      case 'RECORD_ACCOUNTABILITY':
        if (!units.has(e.unit))
          add(['events', i, 'unit'], `unknown unit ${String(e.unit)}`, `没有单位 ${String(e.unit)}`);
        return;
      case 'ASSIGN':
      case 'RESOLVE':
      case 'VERIFY':
      case 'REOPEN': {
        if (!problemIds.has(problem))
          add(['events', i, 'problem'], `unknown problem ${String(problem)}`, `没有问题 ${String(problem)}`);
        if (e.type === 'ASSIGN' && !units.has(e.unitId))
          add(['events', i, 'unitId'], `unknown unit ${String(e.unitId)}`, `没有单位 ${String(e.unitId)}`);
        const parsed = KINDS.problem.eventSchema.safeParse({ ...payload, at });
        if (!parsed.success)
          for (const issue of parsed.error.issues) add(['events', i, ...issue.path.map(pathKey)], issue.message);
        return;
      }
      default: {
        if (filing !== undefined) filingIds.add(filing);
        if (typeof ref === 'string') refs.add(`${String(project)} ${ref}`);
        if (!projects.has(project))
          add(['events', i, 'project'], `unknown project ${String(project)}`, `没有项目 ${String(project)}`);
        // The payload as the API takes it: an unknown event type or a missing field is named here.
        const parsed = KINDS.project.eventSchema.safeParse({ ...payload, at });
        if (!parsed.success)
          for (const issue of parsed.error.issues) add(['events', i, ...issue.path.map(pathKey)], issue.message);
      }
    }
  });
  return problems;
}

const pathKey = (k: PropertyKey): string | number => (typeof k === 'number' ? k : String(k));

/** A path as a person reads it: "events #12 (2022-08-05 SIGN).contractAmount". */
function describe(raw: unknown, path: (string | number)[]): string {
  const [section, index, ...rest] = path;
  const item = typeof index === 'number' ? arrayOf((raw as Loose | null)?.[section as string])[index] : undefined;
  let where = path.join('.') || '(root)';
  if (item !== undefined && section === 'events') where = `events #${index} (${String(item.at)} ${String(item.type)})`;
  if (item !== undefined && (section === 'projects' || section === 'units' || section === 'staff'))
    where = `${section} #${index} (${String(item.id)})`;
  return item === undefined || rest.length === 0 ? where : `${where}.${rest.join('.')}`;
}

export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioEvent = z.infer<typeof ScenarioEventSchema>;

/** Parses a scenario, or throws listing every problem (all of them, with where and what). */
export function parseScenario(json: unknown): Scenario {
  const result = ScenarioSchema.safeParse(json);
  const problems: ScenarioProblem[] = [
    ...(result.success ? [] : result.error.issues.map((i) => ({ path: i.path.map(pathKey), en: i.message }))),
    ...crossCheck(json),
  ];
  // One line per problem: where the shape is already wrong, the deeper checks add nothing.
  const shapeWrong = new Set(result.success ? [] : result.error.issues.map((i) => i.path.map(pathKey).join('.')));
  const seen = new Set<string>();
  const lines = problems
    .filter((p, i) => i < (result.success ? 0 : result.error.issues.length) || !shapeWrong.has(p.path.join('.')))
    .map((p) => `  ${describe(json, p.path)}: ${p.en}${p.zh === undefined ? '' : ` / ${p.zh}`}`)
    .filter((line) => !seen.has(line) && seen.add(line));
  if (result.success && lines.length === 0) return result.data;
  const shown = lines.slice(0, 50);
  const more =
    lines.length > shown.length
      ? `\n  … and ${lines.length - shown.length} more / 另有 ${lines.length - shown.length} 处`
      : '';
  throw new Error(`invalid scenario (${lines.length} problem(s)) / 场景文件有误:\n${shown.join('\n')}${more}`);
}
