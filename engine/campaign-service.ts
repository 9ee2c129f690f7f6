import {
  campaignReportSteps,
  CampaignFold,
  type CampaignDerived,
  totalContributionsSteps,
  supervisionCellProjects,
  type Task,
  type CountedTotal,
  type Contribution,
  type CampaignContext,
  type CampaignInput,
  type CampaignReport,
  type LadderInput,
  type UnitContext,
  ladderKey,
  ITEMS_PER_STEP,
  type MonthSupervision,
} from '../machines/index.ts';
import { setImmediate } from 'node:timers/promises';
import type { Engine } from './engine.ts';
import { FilingService } from './filing-service.ts';
import { inSlices } from './slices.ts';
import type { CreateOutcome, SendOutcome, EntityView } from './types.ts';

/** Every total's contributions to the ledger at a fold position, and the projects behind each asked for. */
interface DrillDown {
  position: number;
  contributions: Record<CountedTotal, Contribution[]>;
  projects: Map<CountedTotal, ReadonlySet<string>>;
}

/**
 * Runs a campaign on the engine: registers it with one ladder per unit, starts it, holds each
 * month's supervision (computing what it finds from the journal and recording each unit's
 * assessment on its ladder), assesses and closes it, and reports.
 *
 * @example
 * const campaigns = new CampaignService(engine);
 * await campaigns.create(config, 'hq-1');
 * await campaigns.send(config.id, { type: 'START', at: config.start }, 'hq-1');
 */
export class CampaignService {
  /**
   * Each campaign's ledger and supervisions, folded forward as the journal grows: a supervision
   * reads only the entries since the last one folded (at 10,000 projects, rebuilding the ledger
   * from the whole journal at each supervision was most of the simulation's overhead). Kept with
   * the configuration it was folded for; folds run one at a time (each awaits the journal).
   */
  private readonly folds = new Map<string, { config: string; fold: CampaignFold }>();
  private folding: Promise<unknown> = Promise.resolve();
  /** Each campaign's totals' contributions (the report's and the drill-down's), as of a journal position. */
  private readonly drillDowns = new Map<string, DrillDown>();
  /** Each campaign's report, as of a journal position and a day. */
  private readonly reportCache = new Map<string, { key: string; value: Promise<CampaignReport> }>();

  /**
   * @param options.reportSliceMs how long a report computes before letting the requests that
   *   arrived meanwhile in (default `SLICE_MS`, slices.ts; 0: after each of its steps).
   */
  constructor(
    private readonly engine: Engine,
    private readonly options: { reportSliceMs?: number } = {},
  ) {}

  /** The campaign's ledger, supervisions and cutoffs at the journal's current position. */
  private derived(campaignId: string, config: CampaignInput): Promise<CampaignDerived> {
    return this.exclusive(() => this.foldTo(campaignId, config));
  }

  /**
   * Runs `task` after the folds and reports before it, and before any after it: a fold's ledger is
   * the one its readers are given (not a copy), so no fold moves it while a report — computed a
   * part at a time — still reads it.
   */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.folding.then(task);
    this.folding = run.catch(() => {});
    return run;
  }

  private async foldTo(campaignId: string, config: CampaignInput): Promise<CampaignDerived> {
    const text = JSON.stringify(config);
    let held = this.folds.get(campaignId);
    const upTo = this.engine.store.position();
    if (held === undefined || held.config !== text || held.fold.position > upTo) {
      held = { config: text, fold: new CampaignFold(config) };
      this.folds.set(campaignId, held);
      // Contributions kept by position were another fold's.
      this.drillDowns.delete(campaignId);
    }
    const { fold } = held;
    if (fold.position < upTo) {
      let read = 0;
      for await (const entry of this.engine.store.entries({ after: fold.position })) {
        fold.add(entry);
        // The first fold reads the whole journal: other work runs in between.
        if (++read % ITEMS_PER_STEP === 0) await setImmediate();
      }
    }
    return fold.derived();
  }

  /**
   * The campaign folded to the journal's end and every total's contributions to that ledger,
   * computed a slice at a time (at 100,000 projects ≈ 0.5 s in all) once per fold position: a
   * report and the drill-downs after it share them. Only inside {@link exclusive}.
   */
  private async contributionsNow(
    campaignId: string,
    config: CampaignInput,
  ): Promise<{ derived: CampaignDerived; held: DrillDown }> {
    const derived = await this.foldTo(campaignId, config);
    const position = this.folds.get(campaignId)!.fold.position;
    let held = this.drillDowns.get(campaignId);
    if (held?.position !== position) {
      const contributions = await inSlices(totalContributionsSteps(config, derived.ledger), this.options.reportSliceMs);
      held = { position, contributions, projects: new Map() };
      this.drillDowns.set(campaignId, held);
    }
    return { derived, held };
  }

  async create(config: CampaignInput, actor: string): Promise<CreateOutcome> {
    const outcome = await this.engine.create('campaign', config, { actor });
    if (outcome.status !== 'created') return outcome;
    for (const unit of config.units) {
      const ladder: LadderInput = {
        id: ladderKey(config.id, unit.id),
        campaignId: config.id,
        unitId: unit.id,
        name: unit.name,
        group: unit.group,
      };
      const created = await this.engine.create('unit', ladder, { actor });
      if (created.status !== 'created')
        throw new Error(
          `campaign ${config.id}: the ladder of unit ${unit.id} could not be created: ${JSON.stringify(created)}`,
        );
    }
    return outcome;
  }

  /**
   * The accountability ladder of a unit in a campaign, found by its two ids (whatever its
   * entity id: ladders of the first release keep theirs).
   */
  ladder(campaignId: string, unitId: string): EntityView<string, UnitContext> | undefined {
    return this.engine.list('unit', { campaignId, unitId })[0];
  }

  /** Entity id → unit id of every ladder of a campaign. */
  private ladderIds(campaignId: string): Map<string, string> {
    return new Map(this.engine.list('unit', { campaignId }).map((ladder) => [ladder.id, ladder.context.unitId]));
  }

  /**
   * Sends a campaign event. A SUPERVISE that the campaign accepts is followed by each unit's
   * MONTH_ASSESSED, computed from the journal up to that supervision; RECORD_ACCOUNTABILITY
   * (问责, by hand) goes to the named unit's ladder.
   */
  async send(
    campaignId: string,
    event: { type: string; at: string; month?: string; unit?: string; reason?: string; [field: string]: unknown },
    actor: string,
    options: { idempotencyKey?: string; ifMatch?: '*' | readonly string[] } = {},
  ): Promise<SendOutcome> {
    await this.reconcile(campaignId, actor);
    if (event.type === 'RECORD_ACCOUNTABILITY') {
      // 问责 is recorded on the unit's ladder within this campaign.
      const ladder = this.ladder(campaignId, String(event.unit));
      if (ladder === undefined) return { status: 'notFound', id: `${campaignId} / ${String(event.unit)}` };
      return this.engine.send(
        'unit',
        ladder.id,
        { type: event.type, at: event.at, reason: event.reason },
        { actor, ...options },
      );
    }
    const outcome = await this.engine.send('campaign', campaignId, event, { actor, ...options });
    if (outcome.status === 'accepted' && event.type === 'SUPERVISE') await this.reconcile(campaignId, actor);
    return outcome;
  }

  /**
   * Records on each unit's ladder every assessment that a held supervision implies and the
   * ladder lacks. A supervision and its assessments are separate journal entries: if the
   * process stops between them, this completes the ladders (it runs after every supervision,
   * before any campaign event, and when the server starts). Idempotent.
   */
  async reconcile(campaignId: string, actor: string): Promise<number> {
    const campaign = this.campaign(campaignId);
    const last = campaign?.context.supervisions.at(-1)?.month;
    if (campaign === undefined || last === undefined) return 0;
    // The usual case — every ladder has the last supervision — costs no journal read.
    const behind = campaign.context.config.units.some((u) => {
      const ladder = this.ladder(campaignId, u.id)?.context;
      return ladder !== undefined && !ladder.assessments.some((a) => a.month >= last);
    });
    if (!behind) return 0;
    let recorded = 0;
    const supervisions = await this.supervisions(campaignId);
    for (const [i, supervision] of supervisions.entries()) {
      const at = campaign.context.supervisions[i]!.at;
      for (const unit of supervision.units) {
        const view = this.ladder(campaignId, unit.unitId);
        const ladder = view?.context;
        if (view === undefined || ladder === undefined || ladder.assessments.some((a) => a.month >= supervision.month))
          continue;
        const outcome = await this.engine.send(
          'unit',
          view.id,
          {
            type: 'MONTH_ASSESSED',
            month: supervision.month,
            at,
            missedTasks: unit.missedTasks,
            bottomTasks: unit.bottomTasks,
          },
          { actor },
        );
        if (outcome.status === 'accepted') recorded += 1;
      }
    }
    return recorded;
  }

  /**
   * The responsible units (责任单位) of every campaign registered, or null while there is none
   * (then unit references cannot be checked and any id is taken).
   */
  knownUnits(): Map<string, string> | null {
    const campaigns = this.engine.list('campaign');
    if (campaigns.length === 0) return null;
    const units = new Map<string, string>();
    for (const c of campaigns) for (const u of c.context.config.units) units.set(u.id, u.name);
    return units;
  }

  /** Whether `unitId` names a known unit (always true while no campaign defines units). */
  unitKnown(unitId: string): boolean {
    return this.knownUnits()?.has(unitId) ?? true;
  }

  private campaign(campaignId: string): { value: string; context: CampaignContext } | undefined {
    const view = this.engine.get('campaign', campaignId);
    return view === undefined ? undefined : { value: view.value, context: view.context };
  }

  /** The supervisions held so far, as each found it. */
  async supervisions(campaignId: string): Promise<MonthSupervision[]> {
    const campaign = this.campaign(campaignId);
    return campaign === undefined ? [] : (await this.derived(campaignId, campaign.context.config)).supervisions;
  }

  /** The projects behind one of the campaign's totals (the dashboard's drill-down); undefined: no such campaign. */
  async totalProjects(campaignId: string, total: CountedTotal): Promise<ReadonlySet<string> | undefined> {
    const campaign = this.campaign(campaignId);
    if (campaign === undefined) return undefined;
    // Every total's contributions at once, kept per journal position: at 100,000 projects they
    // took ≈ 0.5 s for each drill-down (BENCHMARKS.md, session 12).
    let held = this.drillDowns.get(campaignId);
    if (held?.position !== this.engine.store.position()) {
      const { config } = campaign.context;
      held = await this.exclusive(async () => (await this.contributionsNow(campaignId, config)).held);
    }
    let projects = held.projects.get(total);
    if (projects === undefined) {
      projects = new Set(held.contributions[total].map((c) => c.projectId));
      held.projects.set(total, projects);
    }
    return projects;
  }

  /** The projects behind one figure of a held supervision (a unit's task in a month); undefined: not held. */
  async cellProjects(campaignId: string, month: string, task: Task, unitId?: string): Promise<Set<string> | undefined> {
    const campaign = this.campaign(campaignId);
    if (campaign === undefined) return undefined;
    const derived = await this.derived(campaignId, campaign.context.config);
    return supervisionCellProjects(campaign.context.config, derived, month, task, unitId);
  }

  /** Every project's unit and 八未 now, from the record tags (no snapshot read). */
  projectCategories(): { unitId: string; wei: readonly string[] }[] {
    return [...this.engine.summaries('project', {})].map((r) => ({
      unitId: r.tags.unitId ?? '',
      wei: r.tags.wei ?? [],
    }));
  }

  async report(campaignId: string): Promise<CampaignReport | undefined> {
    const campaign = this.campaign(campaignId);
    if (campaign === undefined) return undefined;
    const position = this.engine.store.position();
    const today = this.engine.eventClock().today;
    const key = `${position} ${today}`;
    // Computed, or being computed, for this position and day: viewers who ask together (each
    // dashboard reloads after the same notices) share one computation — at 100,000 projects
    // seconds of the event loop each (BENCHMARKS.md, session 12).
    const cached = this.reportCache.get(campaignId);
    if (cached !== undefined && cached.key === key) return cached.value;
    const value = this.computeReport(campaignId, campaign, today);
    this.reportCache.set(campaignId, { key, value });
    const mine = () => this.reportCache.get(campaignId)?.value === value;
    try {
      const report = await value;
      // One that read entries journalled after `position` is not that position's.
      if (this.engine.store.position() !== position && mine()) this.reportCache.delete(campaignId);
      return report;
    } catch (err) {
      if (mine()) this.reportCache.delete(campaignId);
      throw err;
    }
  }

  /**
   * The report, computed a part at a time with the event loop free between parts: at 100,000
   * projects it takes seconds, and requests arriving meanwhile — writes above all — are answered
   * between its parts instead of after it (BENCHMARKS.md, session 12). Whatever folds the
   * campaign's ledger (a drill-down, a supervision) waits for it: it reads that ledger.
   */
  private computeReport(
    campaignId: string,
    campaign: { value: string; context: CampaignContext },
    today: string,
  ): Promise<CampaignReport> {
    return this.exclusive(async () => {
      // The journal is folded an entry at a time (`CampaignFold`): only the entries since the
      // last fold are read, not the whole journal (262,000 entries at 100,000 projects).
      const { derived, held } = await this.contributionsNow(campaignId, campaign.context.config);
      const steps = campaignReportSteps(
        campaign,
        derived,
        this.ladderIds(campaignId),
        await this.engine.statesInSlices('project'),
        { asOf: today, ...new FilingService(this.engine).overview(campaignId, today) },
        this.engine.list('programme').map((p) => p.context),
        held.contributions,
      );
      return inSlices(steps, this.options.reportSliceMs);
    });
  }
}
