import { assertEvent, assign, setup } from 'xstate';
import type { CampaignInput } from './campaign-types.ts';
import { addWorkingDays, isIsoDate } from './dates.ts';
import { ROLE_LABELS, type Role, type StaffMember } from './permissions.ts';
import type { ProjectEventType } from './project-types.ts';
import {
  datedInOrder,
  explainerFor,
  guardsFrom,
  ruleKit,
  type Bilingual,
  type Check as RuleCheck,
  type Rejection,
} from './rules.ts';

/**
 * Filings (填报 → 审核): a unit's project event that must be reviewed before it counts. The
 * filing is its own entity: submitted → approved (the event is then applied to the project,
 * dated as filed) or returned with a reason → resubmitted → …, or withdrawn. Until approved it
 * changes nothing and is counted as pending. Whether the project would take the event is the
 * project machine's rule, checked by the engine at submission and again at approval.
 */

export const FILING_MACHINE_VERSION = 1;

/** Evidence kinds accepted, recognised by their content (never by name or declared type). */
export const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

/** At most this many bytes per attachment (a phone photo is 2–6 MB) and attachments per filing. */
export const ATTACHMENT_LIMITS = { bytes: 10 * 1024 * 1024, perFiling: 10 } as const;

/** One piece of evidence (开工照片, 施工许可证…): a stored blob named by its sha256. */
export interface Attachment {
  hash: string;
  name: string;
  type: AttachmentType;
  size: number;
}

/** The project event filed: as sent to `/events`. */
export interface FiledEvent {
  type: string;
  at: string;
  [field: string]: unknown;
}

export interface FilingInput {
  id: string;
  projectId: string;
  /** The project's unit when filed (whose queue and whose rankings). */
  unitId: string;
  event: FiledEvent;
  /** Who may approve or return it (from the campaign's review settings when filed). */
  reviewers: Role[];
  /** Working days a reviewer has (from the campaign's settings). */
  reviewDays: number;
  /** The campaign whose settings asked for the review. */
  campaignId: string;
  /** The county's date the filing was made (the engine's today). */
  submittedOn: string;
  /** Staff id of who filed it. */
  filedBy: string;
  attachments: Attachment[];
}

export interface FilingContext extends FilingInput {
  /** The review deadline: `reviewDays` working days after the last (re)submission. */
  due: string;
  /** Every return, with its reason, oldest first. */
  returns: { at: string; reason: string }[];
  /** Earlier versions of the event replaced by a resubmission. */
  replaced: FiledEvent[];
  resubmittedOn: string | null;
  decidedOn: string | null;
  lastEventAt: string | null;
}

export type FilingEvent =
  | { type: 'APPROVE'; at: string; note?: string }
  | { type: 'RETURN'; at: string; reason: string }
  | { type: 'RESUBMIT'; at: string; event: FiledEvent; attachments?: Attachment[] }
  | { type: 'WITHDRAW'; at: string };

export type FilingState = 'submitted' | 'returned' | 'resubmitted' | 'approved' | 'withdrawn';

export const FILING_EVENT_LABELS: Record<FilingEvent['type'], Bilingual> = {
  APPROVE: { zh: '审核通过', en: 'approve' },
  RETURN: { zh: '退回', en: 'return' },
  RESUBMIT: { zh: '重新报送', en: 'resubmit' },
  WITHDRAW: { zh: '撤回', en: 'withdraw' },
};

export const FILING_STATE_LABELS: Record<FilingState, Bilingual> = {
  submitted: { zh: '待审核', en: 'submitted' },
  returned: { zh: '已退回', en: 'returned' },
  resubmitted: { zh: '重新报送待审核', en: 'resubmitted' },
  approved: { zh: '已通过', en: 'approved' },
  withdrawn: { zh: '已撤回', en: 'withdrawn' },
};

/** A filing waiting for a reviewer (counted as pending, never in the actuals). */
export function isPending(state: string): boolean {
  return state === 'submitted' || state === 'resubmitted';
}

/** Pending past its review deadline (derived, never stored). */
export function isFilingOverdue(state: string, context: Pick<FilingContext, 'due'>, today: string): boolean {
  return isPending(state) && context.due < today;
}

type Check = RuleCheck<FilingContext, FilingEvent>;
const kit = ruleKit<FilingContext, FilingEvent>({ common: [datedInOrder] });
const r = (rule: string, zh: string, en: string): Rejection => ({ rule, zh, en });

const reasonGiven: Check = (_c, e) =>
  e.type === 'RETURN' && (typeof e.reason !== 'string' || e.reason.trim() === '')
    ? r('reasonMissing', '退回须说明原因', 'returning a filing needs a reason')
    : null;
const sameEventType: Check = (c, e) => {
  if (e.type !== 'RESUBMIT') return null;
  const type = (e.event as { type?: unknown } | undefined)?.type;
  if (type !== c.event.type)
    return r(
      'sameEventType',
      `重新报送须为同一事项(${c.event.type}),收到 ${String(type)}`,
      `a resubmission files the same event (${c.event.type}), not ${String(type)}`,
    );
  if (!isIsoDate(e.event.at))
    return r('eventDate', `报送事项的日期无效:「${String(e.event.at)}」`, `invalid event date "${String(e.event.at)}"`);
  return null;
};
const attachmentCount: Check = (c, e) => {
  if (e.type !== 'RESUBMIT') return null;
  const n = (e.attachments ?? c.attachments).length;
  return n > ATTACHMENT_LIMITS.perFiling
    ? r(
        'attachmentCount',
        `附件 ${n} 个,超过上限 ${ATTACHMENT_LIMITS.perFiling} 个`,
        `${n} attachments, more than the ${ATTACHMENT_LIMITS.perFiling} allowed`,
      )
    : null;
};

export const filingRules = {
  canApprove: kit.rule([]),
  canReturn: kit.rule([], [reasonGiven]),
  canResubmit: kit.rule([], [sameEventType, attachmentCount]),
  canWithdraw: kit.rule([]),
};

export const filingMachine = setup({
  types: { context: {} as FilingContext, events: {} as FilingEvent },
  guards: guardsFrom<FilingContext, FilingEvent, typeof filingRules>(filingRules),
  actions: {
    recordApproval: assign(({ event }) => ({ decidedOn: event.at, lastEventAt: event.at })),
    recordReturn: assign(({ context, event }) => {
      assertEvent(event, 'RETURN');
      return { returns: [...context.returns, { at: event.at, reason: event.reason.trim() }], lastEventAt: event.at };
    }),
    recordResubmission: assign(({ context, event }) => {
      assertEvent(event, 'RESUBMIT');
      return {
        replaced: [...context.replaced, context.event],
        event: event.event,
        attachments: event.attachments ?? context.attachments,
        resubmittedOn: event.at,
        due: addWorkingDays(event.at, context.reviewDays),
        lastEventAt: event.at,
      };
    }),
    recordWithdrawal: assign(({ event }) => ({ decidedOn: event.at, lastEventAt: event.at })),
  },
}).createMachine({
  id: 'filing',
  initial: 'submitted',
  context: ({ input }) => {
    const f = input as FilingInput;
    return {
      ...f,
      due: addWorkingDays(f.submittedOn, f.reviewDays),
      returns: [],
      replaced: [],
      resubmittedOn: null,
      decidedOn: null,
      lastEventAt: f.submittedOn,
    };
  },
  states: {
    submitted: {
      on: {
        APPROVE: { target: 'approved', guard: 'canApprove', actions: 'recordApproval' },
        RETURN: { target: 'returned', guard: 'canReturn', actions: 'recordReturn' },
        WITHDRAW: { target: 'withdrawn', guard: 'canWithdraw', actions: 'recordWithdrawal' },
      },
    },
    returned: {
      on: {
        RESUBMIT: { target: 'resubmitted', guard: 'canResubmit', actions: 'recordResubmission' },
        WITHDRAW: { target: 'withdrawn', guard: 'canWithdraw', actions: 'recordWithdrawal' },
      },
    },
    resubmitted: {
      on: {
        APPROVE: { target: 'approved', guard: 'canApprove', actions: 'recordApproval' },
        RETURN: { target: 'returned', guard: 'canReturn', actions: 'recordReturn' },
        WITHDRAW: { target: 'withdrawn', guard: 'canWithdraw', actions: 'recordWithdrawal' },
      },
    },
    approved: { type: 'final' },
    withdrawn: { type: 'final' },
  },
});

/** Why the filing machine would refuse an event (or null), and what its states take now. */
export const filingExplainer = explainerFor<FilingContext>(
  filingMachine,
  filingRules,
  { events: FILING_EVENT_LABELS, states: FILING_STATE_LABELS },
  [datedInOrder],
);

/** Who can be a reviewer: the campaign office and the departments (never the filing units, leaders or viewers). */
export const REVIEWER_ROLES = [
  'hq',
  'housing',
  'naturalResources',
  'stats',
  'finance',
] as const satisfies readonly Role[];

/** The campaign's review settings (审核): which project events are filed for review, by whom. */
export interface ReviewSettings {
  /** Event type → the roles that review it; a type not listed counts at once. */
  events: Partial<Record<ProjectEventType, Role[]>>;
  /** Working days a reviewer has before the filing is overdue (default 3). */
  workingDays?: number;
  /**
   * Which month an approved filing counts in: the month it is dated (`filed`, the default —
   * the event is what happened) or the month it was approved (`approved`).
   */
  countIn?: 'filed' | 'approved';
}

export const DEFAULT_REVIEW_DAYS = 3;

/** What reviewing one event type takes, when a campaign asks for it. */
export interface ReviewPolicy {
  campaignId: string;
  reviewers: Role[];
  reviewDays: number;
}

/**
 * The review a project event of `type` on a project of `unitId` needs, or null (it counts at
 * once): the first campaign, not yet assessed, whose units include the project's and whose
 * settings list the type.
 */
export function reviewPolicy(
  campaigns: readonly { value: string; context: { config: CampaignInput } }[],
  unitId: string,
  type: string,
): ReviewPolicy | null {
  for (const campaign of campaigns) {
    if (campaign.value !== 'draft' && campaign.value !== 'active') continue;
    const config = campaign.context.config;
    const reviewers = config.review?.events[type as ProjectEventType];
    if (reviewers === undefined || reviewers.length === 0) continue;
    if (!config.units.some((u) => u.id === unitId)) continue;
    return {
      campaignId: config.id,
      reviewers: [...reviewers],
      reviewDays: config.review?.workingDays ?? DEFAULT_REVIEW_DAYS,
    };
  }
  return null;
}

/**
 * Whether a member files an event of a reviewed type for review (`/filings`) rather than
 * recording it: everyone but its reviewers, who record directly what they would approve.
 */
export function filesForReview(policy: ReviewPolicy | null, staff: Pick<StaffMember, 'role'>): boolean {
  return policy !== null && !policy.reviewers.includes(staff.role);
}

/** Who may review (approve or return) this filing: one of its reviewer roles. */
export function filingReviewForbidden(staff: StaffMember, filing: Pick<FilingContext, 'reviewers'>): Rejection | null {
  if (filing.reviewers.includes(staff.role)) return null;
  return r(
    'reviewer',
    `角色「${ROLE_LABELS[staff.role].zh}」不能审核该填报;审核人:${filing.reviewers.map((x) => ROLE_LABELS[x].zh).join('、')}`,
    `role "${staff.role}" does not review this filing; its reviewers: ${filing.reviewers.join(', ')}`,
  );
}

/** Who may resubmit or withdraw a filing: staff of its unit, or the campaign office. */
export function filingFilerForbidden(staff: StaffMember, filing: Pick<FilingContext, 'unitId'>): Rejection | null {
  if (staff.role === 'hq') return null;
  if (staff.role === 'unit' && staff.unitId === filing.unitId) return null;
  return r(
    'filer',
    `只有填报单位(${filing.unitId})或三高办可以重新报送或撤回`,
    `only the filing unit (${filing.unitId}) or the campaign office resubmits or withdraws a filing`,
  );
}

/**
 * What a file's first bytes say it is, among the evidence kinds accepted — by content, never by
 * its name or the type a browser declares: an `.exe` named `.jpg` is refused.
 */
export function sniffAttachmentType(bytes: Uint8Array): AttachmentType | null {
  const at = (i: number, ...values: number[]) => values.every((v, j) => bytes[i + j] === v);
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  if (at(0, 0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  return null;
}
