import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CampaignService, parseScenario, seededRandom, simulate } from '../../engine/index.ts';
import {
  CampaignFold,
  campaignSupervisions,
  totalContributions,
  type CampaignInput,
  type Fact,
} from '../../machines/index.ts';
import type { JournalEntry } from '../../store/index.ts';

const raw = JSON.parse(readFileSync(join(import.meta.dirname, '../../scenarios/chaling-2022.json'), 'utf8'));
const scenario = parseScenario(raw);

/**
 * Chaling with starts and clearances reviewed and approved four days late (filings pending at
 * supervisions); the service's report taken; then every clearance of one project voided by
 * corrections, newest first (the project leaves the land total; the supervisions stay as held).
 */
async function campaignWithCorrections() {
  const run = await simulate(scenario, {
    review: { events: { START_CONSTRUCTION: ['housing', 'hq'], REPORT_CLEARANCE: ['naturalResources', 'hq'] } },
    approveAfterDays: 4,
  });
  const { engine } = run;
  const campaigns = new CampaignService(engine);
  const reportBefore = (await campaigns.report(scenario.campaign.id))!;
  const entries: JournalEntry[] = [];
  for await (const entry of engine.store.entries()) entries.push(entry);
  const supervise = entries.filter(
    (e) => e.entity === 'campaign' && (e.event as { type?: string } | undefined)?.type === 'SUPERVISE',
  );
  const isClearance = (e: JournalEntry) =>
    e.entity === 'project' && e.kind === 'event' && (e.event as { type: string }).type === 'REPORT_CLEARANCE';
  const project = entries.find((e) => isClearance(e) && e.seq < supervise.at(-1)!.seq)!.id;
  const clearances = entries.filter((e) => isClearance(e) && e.id === project).reverse();
  const voidSeqs: number[] = [];
  for (const clearance of clearances) {
    const outcome = await engine.correct(
      'project',
      project,
      { seq: clearance.seq, void: true, reason: '重复报送' },
      { actor: 'hq' },
    );
    if (outcome.status !== 'accepted') throw new Error(`voiding ${clearance.seq}: ${JSON.stringify(outcome)}`);
    voidSeqs.push(outcome.seq);
  }
  return { run, campaigns, reportBefore, supervise, project, clearances, voidSeqs };
}

describe('a campaign’s ledger and supervisions folded forward equal those rebuilt from the whole journal', async () => {
  const { run, campaigns, reportBefore, supervise, project, clearances, voidSeqs } = await campaignWithCorrections();
  const config = run.engine.get('campaign', scenario.campaign.id)!.context.config as CampaignInput;
  const facts: Fact[] = [];
  for await (const entry of run.engine.store.entries()) facts.push(entry);

  it('at every position it is asked at: each supervision, just before and after, arbitrary points, the end', () => {
    const random = seededRandom(5);
    const positions = [
      ...supervise.flatMap((e) => [e.seq - 1, e.seq, e.seq + 1]),
      ...Array.from({ length: 6 }, () => 1 + Math.floor(random() * facts.length)),
      facts.length,
    ].sort((a, b) => a - b);
    const fold = new CampaignFold(config);
    let folded = 0;
    for (const position of positions) {
      for (; folded < position; folded++) fold.add(facts[folded]!);
      expect(fold.derived()).toEqual(campaignSupervisions(config, facts.slice(0, position)));
    }
    expect(fold.derived().supervisions).toHaveLength(supervise.length);
  });

  it('corrections after the supervisions: each still finds what it found; the service folds it in', async () => {
    const before = campaignSupervisions(
      config,
      facts.filter((f) => f.seq < voidSeqs[0]!),
    );
    const after = campaignSupervisions(config, facts);
    expect(after.supervisions).toEqual(before.supervisions);
    const retracted = after.ledger.movements.filter((m) => m.retractedSeq !== undefined);
    expect(new Set(retracted.map((m) => m.seq))).toEqual(new Set(clearances.map((c) => c.seq)));
    // The service had folded up to its first report; it folds the correction forward from there,
    // reading the journal after that position (the drill-down) or the report's facts.
    const contributors = (ledger: typeof after.ledger) =>
      new Set(totalContributions(config, ledger).landSuppliedMu.map((c) => c.projectId));
    expect(contributors(before.ledger).has(project)).toBe(true);
    expect(contributors(after.ledger).has(project)).toBe(false);
    expect(await campaigns.totalProjects(config.id, 'landSuppliedMu')).toEqual(contributors(after.ledger));
    expect(await campaigns.supervisions(config.id)).toEqual(after.supervisions);
    const report = (await campaigns.report(config.id))!;
    expect(report).toEqual(await new CampaignService(run.engine).report(config.id));
    expect(report.totals.landSuppliedMu).toBeLessThan(reportBefore.totals.landSuppliedMu);
  });
});
