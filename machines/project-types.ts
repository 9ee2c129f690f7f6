/**
 * Types of the project statechart: its input, context and events.
 * The `type` values of events and the field names of the input are the binding contract
 * (docs/architecture.md, README: The project statechart); every event carries `at`, the ISO date it happened.
 */

/** The four certificates of 办证联审, in the order the normal channel grants them. */
export const PERMIT_KEYS = ['landUsePlanning', 'landTitle', 'engineeringPlanning', 'construction'] as const;
export type PermitKey = (typeof PERMIT_KEYS)[number];

/** Lifecycle stages a project can be registered at (`dropped` is reached only by `DROP`). */
export const STAGES = ['negotiating', 'signed', 'underConstruction', 'completed', 'inProduction', 'atTarget'] as const;
export type Stage = (typeof STAGES)[number];
export type LifecycleState = Stage | 'dropped';

/** The stages from construction start on (开工及以后): built, so permits are held and 入库 is possible. */
export const STARTED_STAGES: readonly LifecycleState[] = ['underConstruction', 'completed', 'inProduction', 'atTarget'];

/** Whether land is cleared: every 亩 required cleared and every house demolished. */
export function isLandCleared(land: {
  requiredMu: number;
  houses: number;
  clearedMu?: number;
  demolished?: number;
}): boolean {
  return (land.clearedMu ?? 0) >= land.requiredMu && (land.demolished ?? 0) >= land.houses;
}

/** 县级领导 + 责任单位一把手 + 分管领导 + 经办员. */
export interface ResponsibilityChain {
  countyLeader: string;
  unitHead: string;
  deputy: string;
  handler: string;
}

/** How a project is registered: a campaign starts with projects already part-way. */
export interface ProjectInput {
  id: string;
  name: string;
  unitId: string;
  /** 计划总投资, 万元. */
  plannedInvestment: number;
  stage?: Stage;
  statsRegistered?: boolean;
  permits?: PermitKey[];
  land?: { requiredMu: number; houses: number; clearedMu?: number; demolished?: number };
  bond?: { allocated: number; disbursed?: number };
  /** Monthly output value (万元) at which the project counts as 达产. */
  outputTarget?: number;
  /** 达产 after this many consecutive months at or above the target (default 1). */
  targetMonths?: number;
  /**
   * `productive` (default): it goes on to production and 达产. `public` (公益性: roads, schools,
   * 农贸市场): it ends at completion — handed over for use (交付使用) — and is never in
   * 竣工未投产 or 投产未达产.
   */
  purpose?: 'productive' | 'public';
  enterprise?: string;
  /** xiangshang: a 湘商回株 project; illustrative: invented (a scenario's 示例数据), marked in every report. */
  flags?: { xiangshang?: boolean; illustrative?: boolean };
  chain?: ResponsibilityChain;
  /** Contract amount (万元) of a project registered as already signed. */
  contractAmount?: number;
  /** The date the record describes; events dated earlier are refused. */
  asOf?: string;
  /** The date the project reached its current stage (for "signed three months, not started"). */
  since?: string;
  /** 年度计划投资: year (YYYY) → 万元 planned to be invested that year. */
  annualPlan?: Record<string, number>;
  /** The programme (项目群 / 打捆项目) this project is a sub-project of. */
  programmeId?: string;
  /** Its size in the programme's unit (e.g. 5.8 MW), rolled up to the programme. */
  capacity?: { value: number; unit: string };
}

/** Dates at which the project reached each milestone; null = not reached (or before records). */
export interface Milestones {
  signed: string | null;
  started: string | null;
  completed: string | null;
  production: string | null;
  target: string | null;
  dropped: string | null;
  registered: string | null;
  landCleared: string | null;
  bondDisbursed: string | null;
}

export interface LandProgress {
  requiredMu: number;
  houses: number;
  clearedMu: number;
  demolished: number;
}

export interface ProjectContext {
  id: string;
  name: string;
  unitId: string;
  enterprise: string | null;
  plannedInvestment: number;
  /**
   * Mirror of the lifecycle region's state, kept so that rules of other regions (入库 needs
   * "started or later", the help pool needs "in production") can read it: XState guards see
   * context and event, not the state value. Every lifecycle transition sets it; a model-based
   * test checks it always equals `value.lifecycle`.
   */
  stage: LifecycleState;
  /** 湘商回株. */
  xiangshang: boolean;
  chain: ResponsibilityChain | null;
  contractAmount: number | null;
  /** Certificates granted, in the order they were granted. */
  permits: PermitKey[];
  /** Date the project was put on the green channel (绿色通道), or null. */
  greenChannel: string | null;
  land: LandProgress | null;
  bond: { allocated: number; disbursed: number };
  outputTarget: number | null;
  /** Consecutive months at target for 达产; absent: 1. */
  targetMonths?: number;
  /** Present for public works only (absent: productive). */
  purpose?: 'public';
  outputs: { month: string; output: number }[];
  /** Expert assigned while in the help pool (帮扶培育库). */
  expert: string | null;
  dropReason: string | null;
  milestones: Milestones;
  /** Date of the latest accepted event (or `asOf`); events must not go back in time. */
  lastEventAt: string | null;
  /** 年度计划投资 by year (present when given). */
  annualPlan?: Record<string, number>;
  /** The programme it belongs to (present when it does). */
  programmeId?: string;
  /** Its size (present when given). */
  capacity?: { value: number; unit: string };
  /** 完成投资 reported month by month (present once one is reported), 万元. */
  investments?: { month: string; amount: number }[];
  /** 形象进度 reported month by month (present once one is reported), percent. */
  progress?: { month: string; percent: number; note: string }[];
  /** Revisions of the planned total (调整计划总投资), each with its reason (present once revised). */
  planRevisions?: { at: string; from: number; to: number; reason: string }[];
}

type Dated<T> = T & { at: string };

export type ProjectEvent =
  | Dated<{ type: 'SIGN'; contractAmount: number }>
  | Dated<{ type: 'GRANT_PERMIT'; permit: PermitKey }>
  | Dated<{ type: 'GREEN_CHANNEL' }>
  | Dated<{ type: 'REPORT_CLEARANCE'; mu: number; houses: number }>
  | Dated<{ type: 'START_CONSTRUCTION' }>
  | Dated<{ type: 'REGISTER_STATS' }>
  | Dated<{ type: 'COMPLETE' }>
  | Dated<{ type: 'START_PRODUCTION' }>
  | Dated<{ type: 'REPORT_OUTPUT'; month: string; output: number }>
  | Dated<{ type: 'SET_OUTPUT_TARGET'; outputTarget: number }>
  | Dated<{ type: 'ALLOCATE_BOND'; amount: number }>
  | Dated<{ type: 'DISBURSE_BOND'; amount: number }>
  | Dated<{ type: 'ENTER_HELP_POOL'; expert: string }>
  | Dated<{ type: 'DROP'; reason: string }>
  | Dated<{ type: 'REPORT_INVESTMENT'; month: string; amount: number }>
  | Dated<{ type: 'REPORT_PROGRESS'; month: string; percent: number; note: string }>
  | Dated<{ type: 'REVISE_PLAN'; plannedInvestment: number; reason: string }>;

export type ProjectEventType = ProjectEvent['type'];

export const PROJECT_EVENT_TYPES = [
  'SIGN',
  'GRANT_PERMIT',
  'GREEN_CHANNEL',
  'REPORT_CLEARANCE',
  'START_CONSTRUCTION',
  'REGISTER_STATS',
  'COMPLETE',
  'START_PRODUCTION',
  'REPORT_OUTPUT',
  'SET_OUTPUT_TARGET',
  'ALLOCATE_BOND',
  'DISBURSE_BOND',
  'ENTER_HELP_POOL',
  'DROP',
  'REPORT_INVESTMENT',
  'REPORT_PROGRESS',
  'REVISE_PLAN',
] as const satisfies readonly ProjectEventType[];

/** The state value of a project: one state per parallel region. */
export interface ProjectStateValue {
  lifecycle: LifecycleState;
  permits: 'pending' | 'complete';
  land: 'notRequired' | 'clearing' | 'cleared';
  bond: 'none' | 'allocated' | 'disbursed';
  statistics: 'unregistered' | 'registered';
  support: 'normal' | 'helpPool';
}
