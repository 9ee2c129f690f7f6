import { z } from 'zod';
import { PROBLEM_SOURCES, ROLES, SAFE_ID_RULE, TASKS, UNIT_GROUPS, isIsoDate, isSafeId } from '../machines/index.ts';
import { CampaignInputSchema, ProjectInputSchema } from './kinds/index.ts';

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

const ProjectEventSchema = z.looseObject({ ...common, project: id, type: z.string().min(1) });
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

export const ScenarioEventSchema = z.union([
  RegisterSchema,
  ProblemRaiseSchema,
  ProblemEventSchema,
  AccountabilitySchema,
  ProjectEventSchema,
]);

export const ScenarioSchema = z
  .strictObject({
    format: z.literal('gongjian-scenario/1'),
    description: z.string().optional(),
    source: z.string().optional(),
    // The campaign's own settings, exactly as registering it over HTTP takes them (units and
    // targets come in their own sections).
    campaign: CampaignInputSchema.omit({ units: true, targets: true }),
    units: z.array(z.strictObject({ id, name: z.string().min(1), group: z.enum(UNIT_GROUPS) })).min(1),
    staff: z.array(z.strictObject({ id, name: z.string(), role: z.enum(ROLES), unitId: id.optional() })).min(1),
    targets: z.record(z.string(), z.record(z.string(), z.partialRecord(z.enum(TASKS), z.number().min(0)))),
    projects: z.array(ProjectSchema),
    events: z.array(ScenarioEventSchema),
  })
  .superRefine((s, ctx) => {
    const units = new Set(s.units.map((u) => u.id));
    const staff = new Set(s.staff.map((m) => m.id));
    const projects = new Set(s.projects.map((p) => p.id));
    s.projects.forEach((p, i) => {
      if (!units.has(p.unitId))
        ctx.addIssue({ code: 'custom', path: ['projects', i, 'unitId'], message: `unknown unit ${p.unitId}` });
    });
    s.staff.forEach((m, i) => {
      if (m.unitId !== undefined && !units.has(m.unitId))
        ctx.addIssue({ code: 'custom', path: ['staff', i, 'unitId'], message: `unknown unit ${m.unitId}` });
    });
    s.events.forEach((e, i) => {
      if (!staff.has(e.by))
        ctx.addIssue({ code: 'custom', path: ['events', i, 'by'], message: `unknown staff member ${e.by}` });
      if (e.type === 'REGISTER_PROJECT') projects.add((e as { project: { id: string } }).project.id);
      else if ('project' in e && typeof e.project === 'string' && !projects.has(e.project))
        ctx.addIssue({ code: 'custom', path: ['events', i, 'project'], message: `unknown project ${e.project}` });
      // A unit named by an event (交办, 问责) must be one of the scenario's units.
      for (const field of ['unitId', 'unit'] as const) {
        const named = (e as Record<string, unknown>)[field];
        if (('problem' in e || e.type === 'RECORD_ACCOUNTABILITY') && typeof named === 'string' && !units.has(named))
          ctx.addIssue({ code: 'custom', path: ['events', i, field], message: `unknown unit ${named}` });
      }
      if (i > 0 && e.at < s.events[i - 1]!.at)
        ctx.addIssue({
          code: 'custom',
          path: ['events', i, 'at'],
          message: `events must be in date order (${e.at} after ${s.events[i - 1]!.at})`,
        });
    });
  });

export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioEvent = z.infer<typeof ScenarioEventSchema>;

/** Parses a scenario, or throws listing every problem with its JSON path. */
export function parseScenario(json: unknown): Scenario {
  const result = ScenarioSchema.safeParse(json);
  if (result.success) return result.data;
  const lines = result.error.issues.slice(0, 30).map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new Error(`invalid scenario (${result.error.issues.length} problem(s)) / 场景文件有误:\n${lines.join('\n')}`);
}
