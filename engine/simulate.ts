import {
  addDays,
  campaignEnd,
  campaignPeriods,
  correctionForbidden,
  isPending,
  reject,
  type ReviewSettings,
  type CampaignInput,
  type CampaignReport,
  type ProjectInput,
  type Rejection,
  type StaffMember,
} from '../machines/index.ts';
import { MemoryStore, type Store } from '../store/index.ts';
import { CampaignService } from './campaign-service.ts';
import { Engine } from './engine.ts';
import { FilingService } from './filing-service.ts';
import { KINDS, projectForbidden } from './kinds/index.ts';
import { seededRandom } from './random.ts';
import type { Scenario, ScenarioEvent } from './scenario.ts';

export interface SimulationOptions {
  /** Default: a fresh in-memory store. Pass a FileStore to keep the data. */
  store?: Store;
  /** Orders same-day events of different projects (each project's own events keep their order). */
  seed?: number;
  /** Stop after this many days (no final assessment). */
  days?: number;
  onDay?: (day: number, days: number, date: string) => void;
  /**
   * Review switched on (填报 → 审核) for a scenario that does not ask for it: these settings
   * replace the campaign's `review`. Events of the reviewed types become filings.
   */
  review?: ReviewSettings;
  /**
   * Filings the scenario does not review itself are approved this many days after they are
   * filed, by a member of staff with a reviewer role (0: at once, the same day). Unset: they
   * wait for the scenario's own APPROVE/RETURN steps.
   */
  approveAfterDays?: number;
}

/** An event the sender's role or unit may not send (it never reaches the engine, as over HTTP). */
export interface ForbiddenEvent {
  at: string;
  by: string;
  type: string;
  target: string;
  rule: string;
  zh: string;
  en: string;
}

export interface SimulationResult {
  report: CampaignReport;
  counts: { events: number; accepted: number; refused: number; forbidden: number; filed: number };
  forbidden: ForbiddenEvent[];
  engine: Engine;
}

/** Same-day events shuffled by seed across projects; each target's own events stay in file order. */
function dayOrder(
  events: ScenarioEvent[],
  random: () => number,
  projectOfFiling: ReadonlyMap<string, string>,
): ScenarioEvent[] {
  const byTarget = new Map<string, ScenarioEvent[]>();
  for (const e of events) {
    // A filing's reviews keep their place among its project's events.
    const filed = 'filing' in e && typeof e.filing === 'string' ? projectOfFiling.get(e.filing) : undefined;
    const target =
      'project' in e && typeof e.project === 'string'
        ? `p:${e.project}`
        : filed !== undefined
          ? `p:${filed}`
          : 'problem' in e
            ? `q:${String(e.problem)}`
            : `o:${e.type}`;
    const queue = byTarget.get(target);
    if (queue === undefined) byTarget.set(target, [e]);
    else queue.push(e);
  }
  const queues = [...byTarget.values()];
  const out: ScenarioEvent[] = [];
  while (queues.length > 0) {
    const i = Math.floor(random() * queues.length);
    out.push(queues[i]!.shift()!);
    if (queues[i]!.length === 0) queues.splice(i, 1);
  }
  return out;
}

/**
 * Runs a whole campaign day by day through the engine and store the server uses: the
 * portfolio is registered on the eve of day 1, the campaign starts, each day's events are
 * sent by their staff member (refusals are counted, not errors), a supervision is held at each
 * month's close and at the end, then the campaign is assessed and closed.
 *
 * @example
 * const { report } = await simulate(parseScenario(json), { seed: 1 });
 * report.totals.landSuppliedMu // 1296
 */
export async function simulate(scenario: Scenario, options: SimulationOptions = {}): Promise<SimulationResult> {
  let today = addDays(scenario.campaign.start, -1);
  // Journal timestamps follow the simulated calendar, so the same scenario gives the same bytes.
  const engine = new Engine({ store: options.store ?? new MemoryStore(), clock: () => `${today}T12:00:00.000+08:00` });
  await engine.open();
  const campaigns = new CampaignService(engine);
  const config: CampaignInput = {
    ...scenario.campaign,
    units: scenario.units,
    targets: scenario.targets,
    ...(options.review === undefined ? {} : { review: options.review }),
  };
  const filings = new FilingService(engine);
  /** Event refs (for CORRECT) → the seq of the accepted event; a filing's ref waits for its approval. */
  const refs = new Map<string, number>();
  const refOfFiling = new Map<string, string>();
  const projectOfFiling = new Map<string, string>();
  for (const e of scenario.events)
    if ('filing' in e && typeof e.filing === 'string' && 'project' in e && typeof e.project === 'string')
      projectOfFiling.set(e.filing, e.project);
  /** Approvals the simulation makes itself (approveAfterDays), by date. */
  const approvals = new Map<string, string[]>();
  let generated = 0;
  const staff = new Map<string, StaffMember>(scenario.staff.map((m) => [m.id, m]));
  const office = scenario.staff.find((m) => m.role === 'hq')?.id ?? 'hq';
  const counts = { events: 0, accepted: 0, refused: 0, forbidden: 0, filed: 0 };
  const forbidden: ForbiddenEvent[] = [];
  const tally = (status: string): void => {
    if (status === 'accepted' || status === 'created') counts.accepted += 1;
    else counts.refused += 1;
  };
  /** An event the sender may not send never reaches the engine, as over HTTP (the same checks). */
  const deny = (e: ScenarioEvent, target: string, why: Rejection) => {
    counts.forbidden += 1;
    forbidden.push({ at: e.at, by: e.by, type: e.type, target, rule: why.rule, zh: why.zh, en: why.en });
  };
  const missing = (what: string, id: string): Rejection =>
    reject('notFound', `${what.split('/')[0]} ${id} 不存在`, `no ${what.split('/')[1]} ${id}`);

  const created = await campaigns.create(config, office);
  if (created.status !== 'created') throw new Error(`campaign: ${JSON.stringify(created)}`);
  // An invented project (illustrative) is registered with that flag: its reports say 示例数据.
  const flagged = <P extends { illustrative?: boolean; flags?: ProjectInput['flags'] }>(
    p: P,
  ): Omit<P, 'illustrative'> => {
    const { illustrative, ...project } = p;
    return illustrative === true ? { ...project, flags: { ...project.flags, illustrative: true } } : project;
  };
  for (const programme of scenario.programmes ?? []) {
    const outcome = await engine.create('programme', { ...programme, registeredOn: today }, { actor: office });
    if (outcome.status !== 'created') throw new Error(`programme ${programme.id}: ${JSON.stringify(outcome)}`);
  }
  for (const project of scenario.projects.map(flagged)) {
    const outcome = await engine.create('project', { asOf: today, ...project }, { actor: office });
    if (outcome.status !== 'created') throw new Error(`project ${project.id}: ${JSON.stringify(outcome)}`);
  }

  const apply = async (e: ScenarioEvent): Promise<void> => {
    counts.events += 1;
    const member = staff.get(e.by)!;
    const { at, by: _by, comment: _comment, ...rest } = e as ScenarioEvent & { comment?: string };
    const payload = rest as Record<string, unknown>;
    if (e.type === 'REGISTER_PROJECT') {
      const why = KINDS.project.createForbidden(member);
      if (why !== null) return deny(e, '', why);
      const project = flagged(payload.project as { illustrative?: boolean; flags?: ProjectInput['flags'] });
      return void tally((await engine.create('project', { asOf: at, ...project }, { actor: member.id })).status);
    }
    if (e.type === 'RECORD_ACCOUNTABILITY') {
      const unit = String(payload.unit);
      const ladder = campaigns.ladder(config.id, unit);
      const why = ladder === undefined ? missing('单位/unit', unit) : KINDS.unit.forbidden(member, e.type, ladder);
      if (why !== null) return deny(e, unit, why);
      return void tally(
        (await campaigns.send(config.id, { type: e.type, at, unit, reason: String(payload.reason) }, member.id)).status,
      );
    }
    if (e.type === 'RECORD_MEASURE') {
      const campaign = engine.get('campaign', config.id)!;
      const { type: _t, ...record } = payload;
      const why = KINDS.campaign.forbidden(member, e.type, campaign, record);
      if (why !== null) return deny(e, String(payload.unitId), why);
      return void tally((await campaigns.send(config.id, { type: e.type, at, ...record }, member.id)).status);
    }
    if (e.type === 'RAISE_PROBLEM') {
      const { problem, type: _t, ...input } = payload;
      const why = KINDS.problem.createForbidden(member);
      if (why !== null) return deny(e, String(problem), why);
      return void tally(
        (await engine.create('problem', { id: problem, ...input, raisedOn: at }, { actor: member.id })).status,
      );
    }
    if ('problem' in payload) {
      const { problem: id, ...event } = payload;
      const problem = engine.get('problem', String(id));
      const why =
        problem === undefined ? missing('问题/problem', String(id)) : KINDS.problem.forbidden(member, e.type, problem);
      if (why !== null) return deny(e, String(id), why);
      return void tally((await engine.send('problem', String(id), { ...event, at }, { actor: member.id })).status);
    }
    if (e.type === 'CORRECT') {
      const {
        project: id,
        ref,
        reason,
        event,
        void: voided,
      } = payload as {
        project: string;
        ref: string;
        reason: string;
        event?: Record<string, unknown>;
        void?: true;
      };
      const mayNot = correctionForbidden(member);
      if (mayNot !== null) return deny(e, id, mayNot);
      const seq = refs.get(`${id} ${ref}`);
      if (seq === undefined) return deny(e, id, missing('事件/event', `${id} ${ref}`));
      const request = voided === true ? { seq, void: true, reason } : { seq, event: { at, ...event }, reason };
      return void tally((await engine.correct('project', id, request, { actor: member.id })).status);
    }
    if ('filing' in payload && !('project' in payload)) {
      const { filing: fid, type, ...rest } = payload as { filing: string; type: string; event?: object };
      const filing = engine.get('filing', fid);
      const why = filing === undefined ? missing('填报/filing', fid) : KINDS.filing.forbidden(member, type, filing);
      if (why !== null) return deny(e, fid, why);
      const event = type === 'RESUBMIT' ? { ...rest, type, event: { at, ...rest.event }, at } : { ...rest, type, at };
      return review(fid, event, member.id);
    }
    const { project: id, filing: named, ref, ...event } = payload as { project: string; filing?: string; ref?: string };
    // Who may send it needs only the project's unit: read from its tags, no snapshot parsed.
    const unitId = engine.tags('project', String(id))?.unitId;
    const why =
      unitId === undefined
        ? missing('项目/project', String(id))
        : projectForbidden(member, e.type, unitId, { ...event, at });
    if (why !== null) return deny(e, String(id), why);
    const sent = { ...event, at } as { type: string; at: string };
    const fid = named ?? `${id}-filing-${++generated}`;
    const filed = await filings.file(String(id), sent, [], { actor: member.id }, fid);
    if (filed.status === 'applied') {
      tally(filed.outcome.status);
      if (ref !== undefined && filed.outcome.status === 'accepted') refs.set(`${id} ${ref}`, filed.outcome.seq);
      return;
    }
    if (filed.status !== 'filed' || filed.outcome.status !== 'accepted') return void tally('refused');
    counts.filed += 1;
    if (ref !== undefined) refOfFiling.set(fid, `${id} ${ref}`);
    if (options.approveAfterDays === 0) await autoApprove(fid, at);
    else if (options.approveAfterDays !== undefined) {
      const day = addDays(today, options.approveAfterDays);
      approvals.set(day, [...(approvals.get(day) ?? []), fid]);
    }
  };

  /** A review step; an approval counts the event it applies (and remembers its seq for a CORRECT). */
  const review = async (fid: string, event: { type: string; at: string }, actor: string): Promise<void> => {
    const outcome = await filings.review(fid, event, { actor });
    if (outcome.status !== 'accepted') return void tally('refused');
    tally('accepted');
    if ('steps' in outcome && event.type === 'APPROVE') {
      const applied = outcome.steps.find((step) => step.kind === 'project');
      const ref = refOfFiling.get(fid);
      if (applied !== undefined && ref !== undefined) refs.set(ref, applied.seq);
    }
  };
  /** The simulation's own approval, by a member of staff with one of the filing's reviewer roles. */
  const autoApprove = async (fid: string, at: string): Promise<void> => {
    const filing = engine.get('filing', fid);
    if (filing === undefined || !isPending(filing.value)) return;
    const reviewer = scenario.staff.find((m) => filing.context.reviewers.includes(m.role as never));
    await review(fid, { type: 'APPROVE', at }, reviewer?.id ?? `${filing.context.reviewers[0]}-reviewer`);
  };

  const random = seededRandom(options.seed ?? 1);
  const byDate = new Map<string, ScenarioEvent[]>();
  for (const e of scenario.events) {
    const day = byDate.get(e.at);
    if (day === undefined) byDate.set(e.at, [e]);
    else day.push(e);
  }
  const periodEnds = new Map(campaignPeriods(config.start, config.days).map((p) => [p.to, p.month]));
  const days = Math.min(options.days ?? config.days, config.days);
  // Events dated before day 1 belong to the eve (already-registered history, on the calendar of the scenario).
  for (const [date, events] of [...byDate].filter(([d]) => d < config.start).sort()) {
    today = date;
    for (const e of dayOrder(events, random, projectOfFiling)) await apply(e);
  }
  today = config.start;
  await campaigns.send(config.id, { type: 'START', at: config.start }, office);
  for (let day = 1; day <= days; day++) {
    today = addDays(config.start, day - 1);
    for (const fid of approvals.get(today) ?? []) await autoApprove(fid, today);
    for (const e of dayOrder(byDate.get(today) ?? [], random, projectOfFiling)) await apply(e);
    const month = periodEnds.get(today);
    if (month !== undefined) await campaigns.send(config.id, { type: 'SUPERVISE', month, at: today }, office);
    options.onDay?.(day, days, today);
  }
  if (days === config.days) {
    const end = campaignEnd(config.start, config.days);
    await campaigns.send(config.id, { type: 'ASSESS', at: end }, office);
    await campaigns.send(config.id, { type: 'CLOSE', at: end }, office);
  }
  const report = (await campaigns.report(config.id))!;
  return { report, counts, forbidden, engine };
}
