import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { campaignReport, type CampaignContext, type CampaignReport } from '../machines/index.ts';
import { FileStore, MemoryStore, StoreError, scanJournal, type JournalEntry } from '../store/index.ts';
import { CampaignService } from './campaign-service.ts';
import { Engine } from './engine.ts';

/**
 * Reads a data directory's journal without taking its lock (a server may be running) and
 * rebuilds the current state through the machines. Uses the store's own scan: a torn last
 * line is left out, as the next start would drop it; any other bad line is an error naming it.
 */
export async function readDataDir(dir: string): Promise<{ engine: Engine; entries: JournalEntry[] }> {
  const path = join(dir, 'journal.jsonl');
  await stat(path).catch(() => {
    throw new StoreError('noJournal', `${dir} has no journal.jsonl`, `${dir} 中没有 journal.jsonl`);
  });
  const engine = new Engine({ store: new MemoryStore() });
  await engine.open();
  const { tail: entries } = await scanJournal(path, 0);
  for (const entry of entries) engine.applyJournalEntry(entry);
  return { engine, entries };
}

/** The report of one campaign in a data directory, or the ids of those it holds. */
export async function reportFromDataDir(dir: string, campaignId?: string): Promise<CampaignReport | string[]> {
  const { engine, entries } = await readDataDir(dir);
  const campaigns = engine.list('campaign');
  const chosen = campaignId === undefined && campaigns.length === 1 ? campaigns[0] : campaigns.find((c) => c.id === campaignId);
  if (chosen === undefined) return campaigns.map((c) => c.id);
  return campaignReport({ value: String(chosen.value), context: chosen.context as CampaignContext }, entries);
}

/**
 * The units the campaigns in a data directory define (id → name), or null when there are none
 * (or no data yet). Loads the directory as a start would, read-only: safe while a server runs.
 */
export async function unitsInDataDir(dir: string): Promise<Map<string, string> | null> {
  const engine = new Engine({ store: new FileStore(dir, { readOnly: true }) });
  await engine.open();
  return new CampaignService(engine).knownUnits();
}
