import { describe, expect, it } from 'vitest';
import { CampaignService, generateScenario, parseScenario, simulate } from '../../engine/index.ts';
import {
  campaignSupervisions,
  campaignTotalsSteps,
  ITEMS_PER_STEP,
  totalContributionsSteps,
  type Fact,
} from '../../machines/index.ts';
import { turnsDuring } from '../support/turns.ts';

// A generated campaign with every part of a report (supervisions, problems, programmes, refusals).
async function generated() {
  const scenario = parseScenario(generateScenario({ projects: 2000, units: 16, seed: 3 }));
  const run = await simulate(scenario, { seed: 3 });
  const facts: Fact[] = [];
  for await (const entry of run.engine.store.entries()) facts.push(entry);
  const config = run.engine.get('campaign', scenario.campaign.id)!.context.config;
  return { ...run, id: scenario.campaign.id, facts, config };
}

/** How many times a computation in steps pauses before it ends. */
function pauses(steps: Generator<unknown, unknown>): number {
  let n = 0;
  while (steps.next().done !== true) n += 1;
  return n;
}

describe('the report computed a part at a time, the event loop free in between', () => {
  it('pauses inside its heavier parts (the totals and what they are made of), every ITEMS_PER_STEP items', async () => {
    const { facts, config } = await generated();
    const { ledger } = campaignSupervisions(config, facts);
    // The totals read the events at least twice (the campaign's window, then by type) and the
    // movements at least once.
    const least = Math.floor((2 * ledger.events.length + ledger.movements.length) / ITEMS_PER_STEP);
    expect(least).toBeGreaterThanOrEqual(5);
    expect(pauses(totalContributionsSteps(config, ledger))).toBeGreaterThanOrEqual(least);
    expect(pauses(campaignTotalsSteps(config, ledger))).toBeGreaterThanOrEqual(least);
  });

  it('lets other work run while the service computes it (before, none ran until it was done)', async () => {
    const { engine, id } = await generated();
    // Each step of its own slice, so that what is counted does not depend on the machine's speed.
    const campaigns = new CampaignService(engine, { reportSliceMs: 0 });
    expect(await turnsDuring(() => campaigns.report(id))).toBeGreaterThanOrEqual(10);
  });

  it('a drill-down at a new position lets other work run too, while its contributions are computed', async () => {
    const { engine, id } = await generated();
    const campaigns = new CampaignService(engine, { reportSliceMs: 0 });
    await campaigns.supervisions(id);
    let signings: ReadonlySet<string> | undefined;
    const turns = await turnsDuring(async () => (signings = await campaigns.totalProjects(id, 'majorSignings')));
    expect(signings!.size).toBeGreaterThan(0);
    expect(turns).toBeGreaterThanOrEqual(10);
  });

  it('a drill-down after a report at the same position takes the report’s contributions', async () => {
    const { engine, id } = await generated();
    const campaigns = new CampaignService(engine, { reportSliceMs: 0 });
    const report = (await campaigns.report(id))!;
    let signings: ReadonlySet<string> | undefined;
    // From what the report computed: not a turn of the event loop (computing them takes dozens).
    const turns = await turnsDuring(async () => (signings = await campaigns.totalProjects(id, 'majorSignings')));
    expect(turns).toBe(0);
    expect(signings!.size).toBe(report.totals.majorSignings);
    expect(signings).toEqual(await new CampaignService(engine).totalProjects(id, 'majorSignings'));
  });

  it('is of one position: a drill-down asked meanwhile waits; a signing sent meanwhile is not in it', async () => {
    const { engine, id, report: before } = await generated();
    const campaigns = new CampaignService(engine, { reportSliceMs: 0 });
    // The journal folded first (as a server has, after its first report or supervision): the
    // report starts at once from this position.
    await campaigns.supervisions(id);
    const unsigned = engine
      .list('project')
      .find(
        (p) => p.value.lifecycle === 'negotiating' && p.context.plannedInvestment >= 10_000 && !p.context.programmeId,
      );
    expect(unsigned).toBeDefined();
    const computing = campaigns.report(id);
    // Its journal already folded, it is computed a part at a time; meanwhile a
    // major project signs, and someone drills into the signings (which folds the ledger it reads).
    await new Promise((resolve) => setImmediate(resolve));
    const at = before.campaign.end;
    const signed = await engine.send(
      'project',
      unsigned!.id,
      { type: 'SIGN', contractAmount: unsigned!.context.plannedInvestment, at },
      { actor: 'bench' },
    );
    expect(signed.status).toBe('accepted');
    const drilled = campaigns.totalProjects(id, 'majorSignings');
    const report = (await computing)!;
    expect(report.totals.majorSignings).toBe(before.totals.majorSignings);
    expect((await drilled)!.has(unsigned!.id)).toBe(true);
    expect((await campaigns.report(id))!.totals.majorSignings).toBe(before.totals.majorSignings + 1);
  });
});
