import {
  isFilingOverdue,
  isPending,
  reviewPolicy,
  type Attachment,
  type FiledEvent,
  type FilingContext,
  type FilingInput,
  type FilingState,
  type ReviewPolicy,
} from '../machines/index.ts';
import type { Engine } from './engine.ts';
import type { EntityView, SendOptions, SendOutcome, TogetherOutcome } from './types.ts';

/** What became of a project event filed: applied at once (no review asked), or a filing. */
export type FileOutcome =
  | { status: 'applied'; outcome: SendOutcome }
  | { status: 'filed'; id: string; outcome: TogetherOutcome }
  | { status: 'notFound'; id: string };

export interface FilingFilter {
  state?: string;
  unit?: string;
  /** Filings this role reviews. */
  reviewer?: string;
  project?: string;
  campaign?: string;
  /** Only those pending past their deadline, as of `today`. */
  overdue?: boolean;
}

/**
 * Filings (填报 → 审核) on the engine: a unit files a project event; if a running campaign asks
 * for that type to be reviewed it becomes a filing (checked against the project's rules now,
 * refused at once if the project would refuse it), otherwise it is applied at once. Approval
 * applies the event to the project, dated as filed, together with the filing's approval —
 * one commit, checked against the project's rules again.
 *
 * @example
 * const filings = new FilingService(engine);
 * await filings.file('p1', { type: 'START_CONSTRUCTION', at: '2022-08-02' }, [], { actor: 'u1' }, 'f1');
 * await filings.review('f1', { type: 'APPROVE', at: '2022-08-03' }, { actor: 'housing-1' });
 */
export class FilingService {
  /** The campaigns as last read, and the versions they were read at (asked for on every event). */
  private campaigns: { key: string; list: Parameters<typeof reviewPolicy>[0] } = { key: '', list: [] };

  constructor(private readonly engine: Engine) {}

  /** The review a project event needs now, or null (it counts at once). */
  policy(projectId: string, type: string): ReviewPolicy | null {
    const unitId = this.engine.tags('project', projectId)?.unitId;
    if (unitId === undefined) return null;
    const key = this.engine
      .summaries('campaign')
      .map((c) => `${c.id}@${c.version}`)
      .join(' ');
    if (key !== this.campaigns.key) this.campaigns = { key, list: this.engine.list('campaign') };
    return reviewPolicy(this.campaigns.list, unitId, type);
  }

  /** Files a project event (with its evidence, already stored as blobs). */
  async file(
    projectId: string,
    event: FiledEvent,
    attachments: Attachment[],
    options: SendOptions,
    filingId: string,
  ): Promise<FileOutcome> {
    const unitId = this.engine.tags('project', projectId)?.unitId;
    if (unitId === undefined) return { status: 'notFound', id: projectId };
    const policy = this.policy(projectId, event.type);
    if (policy === null)
      return { status: 'applied', outcome: await this.engine.send('project', projectId, event, options) };
    const input: FilingInput = {
      id: filingId,
      projectId,
      unitId,
      event,
      reviewers: policy.reviewers,
      reviewDays: policy.reviewDays,
      campaignId: policy.campaignId,
      submittedOn: this.engine.eventClock().today,
      filedBy: options.actor,
      attachments,
    };
    const outcome = await this.engine.together(
      [
        // Checked, not applied: a filing the project could not accept now is refused at once.
        // If-Match names the project's version the filer saw.
        {
          kind: 'project',
          id: projectId,
          event,
          checkOnly: true,
          link: { entity: 'filing', id: filingId },
          ...(options.ifMatch === undefined ? {} : { ifMatch: options.ifMatch }),
        },
        {
          kind: 'filing',
          id: filingId,
          create: input,
          link: { entity: 'project', id: projectId },
          ...(attachments.length > 0 ? { blobs: attachments.map((a) => a.hash) } : {}),
        },
      ],
      // The idempotency key goes with the filing (or with the refusal, if the project refuses).
      options,
    );
    return { status: 'filed', id: filingId, outcome };
  }

  /**
   * A reviewer's or the filer's event: APPROVE (the filing approved and its event applied to the
   * project as one commit), RETURN with a reason, RESUBMIT a corrected event (checked against
   * the project again), WITHDRAW.
   */
  async review(
    filingId: string,
    event: { type: string; at: string; [field: string]: unknown },
    options: SendOptions,
    attachments?: Attachment[],
  ): Promise<TogetherOutcome | SendOutcome> {
    const filing = this.engine.get('filing', filingId);
    if (filing === undefined) return { status: 'notFound', id: filingId };
    const { projectId } = filing.context;
    if (event.type === 'APPROVE' && isPending(filing.value))
      return this.engine.together(
        [
          {
            kind: 'filing',
            id: filingId,
            event,
            link: { entity: 'project', id: projectId },
            ...(options.ifMatch === undefined ? {} : { ifMatch: options.ifMatch }),
          },
          // Dated as filed; the link carries the approval date (for countIn: approved).
          {
            kind: 'project',
            id: projectId,
            event: filing.context.event,
            link: { entity: 'filing', id: filingId, at: event.at },
          },
        ],
        options,
      );
    if (event.type === 'RESUBMIT' && filing.value === 'returned') {
      const filed = event.event as FiledEvent;
      const withEvidence = attachments === undefined ? event : { ...event, attachments };
      return this.engine.together(
        [
          { kind: 'project', id: projectId, event: filed, checkOnly: true, link: { entity: 'filing', id: filingId } },
          {
            kind: 'filing',
            id: filingId,
            event: withEvidence,
            link: { entity: 'project', id: projectId },
            ...(options.ifMatch === undefined ? {} : { ifMatch: options.ifMatch }),
            ...(attachments !== undefined && attachments.length > 0 ? { blobs: attachments.map((a) => a.hash) } : {}),
          },
        ],
        options,
      );
    }
    // RETURN, WITHDRAW, and anything the filing's state refuses (journalled as its refusal).
    return this.engine.send('filing', filingId, event, options);
  }

  /** Filings matching the filter, oldest first (a reviewer's queue). */
  list(filter: FilingFilter, today: string): EntityView<FilingState, FilingContext>[] {
    return this.engine
      .list('filing', {
        ...(filter.unit === undefined ? {} : { unitId: filter.unit }),
        ...(filter.state === undefined ? {} : { stage: filter.state }),
        ...(filter.campaign === undefined ? {} : { campaignId: filter.campaign }),
      })
      .filter(
        (f) =>
          (filter.reviewer === undefined || f.context.reviewers.includes(filter.reviewer as never)) &&
          (filter.project === undefined || f.context.projectId === filter.project) &&
          (filter.overdue !== true || isFilingOverdue(f.value, f.context, today)),
      )
      .sort((a, b) => order(a.context).localeCompare(order(b.context)) || (a.id < b.id ? -1 : 1));
  }

  /** Pending and overdue filings per unit (the report's and the dashboard's 审核 figures). */
  overview(
    campaignId: string,
    today: string,
  ): { pending: number; overdue: number; byUnit: { unitId: string; pending: number; overdue: number }[] } {
    const byUnit = new Map<string, { unitId: string; pending: number; overdue: number }>();
    let pending = 0;
    let overdue = 0;
    for (const f of this.engine.list('filing', { campaignId })) {
      if (!isPending(f.value)) continue;
      const row = byUnit.get(f.context.unitId) ?? { unitId: f.context.unitId, pending: 0, overdue: 0 };
      row.pending += 1;
      pending += 1;
      if (isFilingOverdue(f.value, f.context, today)) {
        row.overdue += 1;
        overdue += 1;
      }
      byUnit.set(f.context.unitId, row);
    }
    return {
      pending,
      overdue,
      byUnit: [...byUnit.values()].sort((a, b) => b.overdue - a.overdue || b.pending - a.pending),
    };
  }
}

/** A queue's order: waiting since the last (re)submission, oldest first. */
function order(f: FilingContext): string {
  return f.resubmittedOn ?? f.submittedOn;
}
