import { assertEvent, assign, setup } from 'xstate';
import { isIsoDate } from './dates.ts';
import {
  datedInOrder,
  explainerFor,
  guardsFrom,
  ruleKit,
  type Bilingual,
  type Check as RuleCheck,
  type Rejection,
} from './rules.ts';

export const PROBLEM_MACHINE_VERSION = 1;

export const PROBLEM_SOURCES = ['supervision', 'onSiteMeeting', 'dispatchMeeting'] as const;
export type ProblemSource = (typeof PROBLEM_SOURCES)[number];

export const PROBLEM_SOURCE_LABELS: Record<ProblemSource, Bilingual> = {
  supervision: { zh: '督查', en: 'supervision' },
  onSiteMeeting: { zh: '现场办公会', en: 'on-site office meeting' },
  dispatchMeeting: { zh: '调度会', en: 'dispatch meeting' },
};

export interface ProblemInput {
  id: string;
  projectId: string;
  title: string;
  source: ProblemSource;
  raisedOn: string;
  /** Who raised it (e.g. 县委副书记、县长). */
  raisedBy?: string;
}

export interface ProblemContext extends ProblemInput {
  unitId: string | null;
  due: string | null;
  assignedOn: string | null;
  resolvedOn: string | null;
  resolution: string | null;
  verifiedOn: string | null;
  reopened: { at: string; reason: string }[];
  lastEventAt: string | null;
}

export type ProblemEvent =
  | { type: 'ASSIGN'; unitId: string; due: string; at: string }
  | { type: 'RESOLVE'; note: string; at: string }
  | { type: 'VERIFY'; at: string }
  | { type: 'REOPEN'; reason: string; at: string };

export const PROBLEM_EVENT_LABELS: Record<ProblemEvent['type'], Bilingual> = {
  ASSIGN: { zh: '交办', en: 'assign' },
  RESOLVE: { zh: '销号', en: 'resolve' },
  VERIFY: { zh: '核验', en: 'verify' },
  REOPEN: { zh: '退回重办', en: 'reopen' },
};

export const PROBLEM_STATE_LABELS: Record<string, Bilingual> = {
  raised: { zh: '已提出', en: 'raised' },
  assigned: { zh: '已交办', en: 'assigned' },
  resolved: { zh: '已销号', en: 'resolved' },
  verified: { zh: '已核验', en: 'verified' },
};

type Check = RuleCheck<ProblemContext, ProblemEvent>;
const kit = ruleKit<ProblemContext, ProblemEvent>({ common: [datedInOrder] });
const r = (rule: string, zh: string, en: string): Rejection => ({ rule, zh, en });

const assignment: Check = (_c, e) => {
  if (e.type !== 'ASSIGN') return null;
  if (typeof e.unitId !== 'string' || e.unitId === '')
    return r('unitMissing', '交办须指定责任单位', 'an assignment names the responsible unit');
  if (!isIsoDate(e.due) || e.due < e.at)
    return r(
      'dueDate',
      `办结时限 ${String(e.due)} 须为不早于交办日 ${e.at} 的日期`,
      `the due date ${String(e.due)} must be a date on or after ${e.at}`,
    );
  return null;
};
const textGiven =
  (field: 'note' | 'reason', zh: string, en: string): Check =>
  (_c, e) => {
    const text = (e as Record<string, unknown>)[field];
    return typeof text === 'string' && text.trim() !== '' ? null : r(`${field}Missing`, zh, en);
  };

export const problemRules = {
  canAssign: kit.rule([], [assignment]),
  canResolve: kit.rule([], [textGiven('note', '销号须说明办理结果', 'resolving needs a note of what was done')]),
  canVerify: kit.rule([]),
  canReopen: kit.rule([], [textGiven('reason', '退回须说明原因', 'reopening needs a reason')]),
};

/** Overdue: assigned (or raised) and not resolved by its due date — derived, never stored. */
export function isOverdue(problem: Pick<ProblemContext, 'due' | 'resolvedOn'>, today: string): boolean {
  return problem.due !== null && problem.resolvedOn === null && problem.due < today;
}

/**
 * A problem on a project (问题清单 / 交办), raised at a supervision or an on-site office
 * meeting: raised → assigned to a unit with a due date → resolved (销号) → verified; a
 * resolution that does not hold is reopened. Overdue is derived (`isOverdue`).
 */
export const problemMachine = setup({
  types: { context: {} as ProblemContext, events: {} as ProblemEvent },
  guards: guardsFrom<ProblemContext, ProblemEvent, typeof problemRules>(problemRules),
  actions: {
    recordAssignment: assign(({ event }) => {
      assertEvent(event, 'ASSIGN');
      return { unitId: event.unitId, due: event.due, assignedOn: event.at, lastEventAt: event.at };
    }),
    recordResolution: assign(({ event }) => {
      assertEvent(event, 'RESOLVE');
      return { resolvedOn: event.at, resolution: event.note.trim(), lastEventAt: event.at };
    }),
    recordVerification: assign(({ event }) => {
      assertEvent(event, 'VERIFY');
      return { verifiedOn: event.at, lastEventAt: event.at };
    }),
    recordReopening: assign(({ context, event }) => {
      assertEvent(event, 'REOPEN');
      return {
        resolvedOn: null,
        resolution: null,
        reopened: [...context.reopened, { at: event.at, reason: event.reason.trim() }],
        lastEventAt: event.at,
      };
    }),
  },
}).createMachine({
  id: 'problem',
  initial: 'raised',
  context: ({ input }) => {
    const p = input as ProblemInput;
    return {
      ...p,
      unitId: null,
      due: null,
      assignedOn: null,
      resolvedOn: null,
      resolution: null,
      verifiedOn: null,
      reopened: [],
      lastEventAt: p.raisedOn,
    };
  },
  states: {
    raised: { on: { ASSIGN: { target: 'assigned', guard: 'canAssign', actions: 'recordAssignment' } } },
    assigned: { on: { RESOLVE: { target: 'resolved', guard: 'canResolve', actions: 'recordResolution' } } },
    resolved: {
      on: {
        VERIFY: { target: 'verified', guard: 'canVerify', actions: 'recordVerification' },
        REOPEN: { target: 'assigned', guard: 'canReopen', actions: 'recordReopening' },
      },
    },
    verified: { type: 'final' },
  },
});

/** Why the problem machine would refuse an event (or null), and what its states take now. */
export const problemExplainer = explainerFor<ProblemContext>(
  problemMachine,
  problemRules,
  { events: PROBLEM_EVENT_LABELS, states: PROBLEM_STATE_LABELS },
  [datedInOrder],
);
