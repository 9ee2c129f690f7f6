import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CampaignReport } from '../machines/index.ts';
import { FileStore, StoreError } from '../store/index.ts';
import { CampaignService } from './campaign-service.ts';
import { Engine } from './engine.ts';

/**
 * A data directory loaded as a start would — checkpoint, then the journal after it — but
 * read-only and without its lock: safe while a server runs. A torn last line is left out, as
 * the next start would drop it; any other bad line is an error naming it.
 */
export async function readDataDir(dir: string): Promise<Engine> {
  await stat(join(dir, 'journal.jsonl')).catch(() => {
    throw new StoreError('noJournal', `${dir} has no journal.jsonl`, `${dir} 中没有 journal.jsonl`);
  });
  const engine = new Engine({ store: new FileStore(dir, { readOnly: true }) });
  await engine.open();
  return engine;
}

/** The report of one campaign in a data directory, or the ids of those it holds. */
export async function reportFromDataDir(dir: string, campaignId?: string): Promise<CampaignReport | string[]> {
  const engine = await readDataDir(dir);
  const campaigns = engine.list('campaign');
  const chosen =
    campaignId === undefined && campaigns.length === 1 ? campaigns[0] : campaigns.find((c) => c.id === campaignId);
  if (chosen === undefined) return campaigns.map((c) => c.id);
  return (await new CampaignService(engine).report(chosen.id))!;
}

/**
 * The units the campaigns in a data directory define (id → name), or null when there are none
 * (or no data yet). Read-only: safe while a server runs.
 */
export async function unitsInDataDir(dir: string): Promise<Map<string, string> | null> {
  const engine = new Engine({ store: new FileStore(dir, { readOnly: true }) });
  await engine.open();
  return new CampaignService(engine).knownUnits();
}
