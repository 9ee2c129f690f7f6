import type { ProjectEventType } from './project-types.ts';
import type { Bilingual } from './rules.ts';

/** Staff roles (README: HTTP API; docs/architecture.md). */
export const ROLES = ['hq', 'unit', 'finance', 'stats', 'naturalResources', 'housing', 'leader', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, Bilingual> = {
  hq: { zh: '三高办', en: 'campaign office' },
  unit: { zh: '责任单位经办员', en: 'unit staff' },
  finance: { zh: '财政局', en: 'finance bureau' },
  stats: { zh: '统计局', en: 'statistics bureau' },
  naturalResources: { zh: '自然资源局', en: 'natural resources bureau' },
  housing: { zh: '住建局', en: 'housing and construction bureau' },
  leader: { zh: '领导', en: 'leader' },
  viewer: { zh: '只读', en: 'viewer' },
};

/** A member of staff as the rules see them. */
export interface StaffMember {
  id: string;
  name: string;
  role: Role;
  /** The unit a `unit` member works for. */
  unitId?: string;
}

/**
 * Who may send which project event. Unit staff report their own unit's progress; the finance
 * bureau moves bond funds; the statistics bureau registers projects; the campaign office can
 * do what units do (to correct and to help) and alone opens the green channel and drops
 * projects. The issuing departments grant their certificates for any project (PERMIT_ISSUERS).
 * Leaders and viewers read.
 */
export const PROJECT_EVENT_ROLES: Record<ProjectEventType, readonly Role[]> = {
  SIGN: ['unit', 'hq'],
  GRANT_PERMIT: ['unit', 'hq', 'naturalResources', 'housing'],
  GREEN_CHANNEL: ['hq'],
  REPORT_CLEARANCE: ['unit', 'hq'],
  START_CONSTRUCTION: ['unit', 'hq'],
  REGISTER_STATS: ['stats'],
  COMPLETE: ['unit', 'hq'],
  START_PRODUCTION: ['unit', 'hq'],
  REPORT_OUTPUT: ['unit', 'hq'],
  SET_OUTPUT_TARGET: ['unit', 'hq'],
  ALLOCATE_BOND: ['finance'],
  DISBURSE_BOND: ['finance'],
  ENTER_HELP_POOL: ['hq', 'unit'],
  DROP: ['hq'],
  REPORT_INVESTMENT: ['unit', 'hq'],
  REPORT_PROGRESS: ['unit', 'hq'],
  REVISE_PLAN: ['hq'],
};

/**
 * Which department issues each certificate: 自然资源局 the land-use planning permit, the title
 * and the engineering planning permit; 住建局 the construction permit. A department grants only
 * its own (the unit and the campaign office record any, as the project's reporters).
 */
export const PERMIT_ISSUERS: Readonly<Record<string, Role>> = {
  landUsePlanning: 'naturalResources',
  landTitle: 'naturalResources',
  engineeringPlanning: 'naturalResources',
  construction: 'housing',
};

/** A department granting a certificate another department issues: why not, or null. */
export function permitIssuerForbidden(staff: StaffMember, permit: unknown): (Bilingual & { rule: string }) | null {
  const departments = new Set(Object.values(PERMIT_ISSUERS));
  if (!departments.has(staff.role) || typeof permit !== 'string') return null;
  const issuer = PERMIT_ISSUERS[permit];
  if (issuer === undefined || issuer === staff.role) return null;
  return {
    rule: 'permitIssuer',
    zh: `「${ROLE_LABELS[staff.role].zh}」不能核发该证件,该证件由「${ROLE_LABELS[issuer].zh}」核发`,
    en: `the ${ROLE_LABELS[staff.role].en} does not issue ${permit}: the ${ROLE_LABELS[issuer].en} does`,
  };
}

/** Roles that may register new projects. */
export const PROJECT_CREATE_ROLES: readonly Role[] = ['hq'];

/**
 * The roles that may send each type, as a refusal names them — listed once, not for every
 * refusal: asking whether a member may act on a project at all (every event request) asks each
 * type in turn, and a department allowed only the bond events hears "no" ten times first.
 */
const ALLOWED_NAMES = Object.fromEntries(
  Object.entries<readonly Role[]>(PROJECT_EVENT_ROLES).map(([type, roles]) => [
    type,
    { zh: roles.map((r) => ROLE_LABELS[r].zh).join('、'), en: roles.join(', ') },
  ]),
) as Record<ProjectEventType, Bilingual>;

/** Why a member may not act, or null. */
export function projectEventForbidden(
  staff: StaffMember,
  type: ProjectEventType,
  projectUnitId: string,
): (Bilingual & { rule: string }) | null {
  const roles = PROJECT_EVENT_ROLES[type];
  if (!roles.includes(staff.role)) {
    return {
      rule: 'role',
      zh: `角色「${ROLE_LABELS[staff.role].zh}」不能发送 ${type};可发送的角色:${ALLOWED_NAMES[type].zh}`,
      en: `role "${staff.role}" may not send ${type}; allowed: ${ALLOWED_NAMES[type].en}`,
    };
  }
  // Departments act for the county, on any project; unit staff on their own unit's.
  if (staff.role === 'unit' && staff.unitId !== projectUnitId) {
    return {
      rule: 'unit',
      zh: `只能办理本单位(${staff.unitId ?? '未指定'})的项目,该项目属于 ${projectUnitId}`,
      en:
        `unit staff act only on their own unit's (${staff.unitId ?? 'none'}) projects; this one belongs to ` +
        `${projectUnitId}`,
    };
  }
  return null;
}

/**
 * Who may read what (`serve --visibility`). `county` (the default): every member reads every
 * project, problem, unit and change — campaign transparency, as the article's 全县通报 practises.
 * `unit`: unit staff read only their own unit's projects, the problems assigned to their unit or
 * raised on its projects, their own unit, and only those changes on the live stream; the
 * published 督查通报 (rankings, interviews, notices) stays readable by all. Other roles read all.
 */
export const VISIBILITIES = ['county', 'unit'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/** Whether a member may see what belongs to `unitId` (null: to no unit). */
export function maySee(staff: StaffMember, unitId: string | null | undefined, visibility: Visibility): boolean {
  if (visibility === 'county' || staff.role !== 'unit') return true;
  return unitId !== null && unitId !== undefined && unitId === staff.unitId;
}

/** Who runs a campaign (START, SUPERVISE, ASSESS, CLOSE) and registers one: the campaign office. */
export const CAMPAIGN_ROLES: readonly Role[] = ['hq'];

export function mayRunCampaign(staff: StaffMember): boolean {
  return CAMPAIGN_ROLES.includes(staff.role);
}

/**
 * Who handles problems (问题清单): hq (and leaders at meetings) raise them; hq assigns,
 * verifies, reopens; the assigned unit resolves.
 */
export const PROBLEM_EVENT_ROLES: Record<'RAISE' | 'ASSIGN' | 'RESOLVE' | 'VERIFY' | 'REOPEN', readonly Role[]> = {
  RAISE: ['hq', 'leader'],
  ASSIGN: ['hq'],
  RESOLVE: ['hq', 'unit'],
  VERIFY: ['hq'],
  REOPEN: ['hq'],
};

/** Why a member may not act on a problem, or null. A unit resolves only problems assigned to it. */
export function problemEventForbidden(
  staff: StaffMember,
  type: keyof typeof PROBLEM_EVENT_ROLES,
  assignedUnit: string | null,
): (Bilingual & { rule: string }) | null {
  const roles = PROBLEM_EVENT_ROLES[type];
  if (!roles.includes(staff.role)) {
    return {
      rule: 'role',
      zh: `角色「${ROLE_LABELS[staff.role].zh}」不能办理此事项;可办理的角色:${roles.map((r) => ROLE_LABELS[r].zh).join('、')}`,
      en: `role "${staff.role}" may not ${type.toLowerCase()} problems; allowed: ${roles.join(', ')}`,
    };
  }
  if (staff.role === 'unit' && staff.unitId !== assignedUnit) {
    return {
      rule: 'unit',
      zh: `该问题交办给 ${assignedUnit ?? '(尚未交办)'},不是本单位(${staff.unitId ?? '未指定'})`,
      en:
        `the problem is assigned to ${assignedUnit ?? '(not yet assigned)'}, not to your unit ` +
        `(${staff.unitId ?? 'none'})`,
    };
  }
  return null;
}

/** Who corrects (更正) an accepted event: the campaign office alone. */
export const CORRECTION_ROLES: readonly Role[] = ['hq'];

export function correctionForbidden(staff: StaffMember): (Bilingual & { rule: string }) | null {
  return CORRECTION_ROLES.includes(staff.role)
    ? null
    : {
        rule: 'role',
        zh: '只有三高办可以更正已受理的事项',
        en: 'only the campaign office (hq) corrects an accepted event',
      };
}
