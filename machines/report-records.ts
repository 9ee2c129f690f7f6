import { MEASURES, type Measure } from './campaign.ts';
import type { Fact } from './ledger.ts';
import type { ProblemContext } from './problem.ts';

/** A problem (问题清单 entry) as the journal left it: raised, assigned, resolved, verified. */
export interface ProblemRecord {
  id: string;
  projectId: string;
  title: string;
  source: string;
  state: string;
  raisedOn: string;
  unitId: string | null;
  due: string | null;
  resolvedOn: string | null;
  verifiedOn: string | null;
}

/** A ladder entity's state and its 问责 records, each with the seq of the entry that made it. */
export interface LadderRecord {
  state: string;
  /** The seq of the entry that left the ladder in `state`. */
  stateSeq: number;
  accountability: { seq: number; at: string; reason: string }[];
}

/** One of the article's other measures: records and counts, by unit. */
export interface MeasureRecord {
  measure: Measure;
  total: number;
  records: number;
  byUnit: Record<string, number>;
}

/**
 * What a campaign report reads from the journal besides the ledger — every ladder's state and
 * 问责, every problem, the campaign's measures — folded an entry at a time, so that a report
 * reads them instead of the whole journal (at 100,000 projects, 262,000 entries and seconds
 * of reading for each report: BENCHMARKS.md, session 13).
 */
export class ReportRecordsFold {
  /** Every ladder (a `unit` entity) by entity id: which are a campaign's is known when reporting. */
  readonly ladders = new Map<string, LadderRecord>();
  readonly problems = new Map<string, ProblemRecord>();
  private readonly measureRecords: MeasureRecord[] = MEASURES.map((measure) => ({
    measure,
    total: 0,
    records: 0,
    byUnit: {},
  }));

  constructor(private readonly campaignId: string) {}

  add(fact: Fact): void {
    if (fact.kind === 'event' && fact.entity === 'unit') this.ladder(fact);
    else if (fact.entity === 'problem') this.problem(fact);
    else if (fact.kind === 'event' && fact.entity === 'campaign' && fact.id === this.campaignId) this.measure(fact);
  }

  /** Each measure's totals (copies). */
  measures(): MeasureRecord[] {
    return this.measureRecords.map((m) => ({ ...m, byUnit: { ...m.byUnit } }));
  }

  private ladder(fact: Fact): void {
    let ladder = this.ladders.get(fact.id);
    if (ladder === undefined) {
      ladder = { state: 'goodStanding', stateSeq: 0, accountability: [] };
      this.ladders.set(fact.id, ladder);
    }
    ladder.state = String(fact.to);
    ladder.stateSeq = fact.seq;
    const event = fact.event as { type: string; at: string; reason: string };
    if (event.type === 'RECORD_ACCOUNTABILITY')
      ladder.accountability.push({ seq: fact.seq, at: event.at, reason: event.reason });
  }

  private problem(fact: Fact): void {
    if (fact.kind === 'create') {
      const input = fact.input as ProblemContext;
      this.problems.set(fact.id, {
        id: fact.id,
        projectId: input.projectId,
        title: input.title,
        source: input.source,
        state: 'raised',
        raisedOn: input.raisedOn,
        unitId: null,
        due: null,
        resolvedOn: null,
        verifiedOn: null,
      });
      return;
    }
    const p = fact.kind === 'event' ? this.problems.get(fact.id) : undefined;
    if (p === undefined) return;
    const event = fact.event as { type: string; unitId?: string; due?: string; at: string };
    p.state = String(fact.to);
    if (event.type === 'ASSIGN') Object.assign(p, { unitId: event.unitId, due: event.due });
    if (event.type === 'RESOLVE') p.resolvedOn = event.at;
    if (event.type === 'REOPEN') p.resolvedOn = null;
    if (event.type === 'VERIFY') p.verifiedOn = event.at;
  }

  private measure(fact: Fact): void {
    const event = fact.event as { type?: string; measure?: string; unitId: string; count: number };
    if (event.type !== 'RECORD_MEASURE') return;
    const record = this.measureRecords.find((m) => m.measure === event.measure);
    if (record === undefined) return;
    record.byUnit[event.unitId] = (record.byUnit[event.unitId] ?? 0) + event.count;
    record.total += event.count;
    record.records += 1;
  }
}
