import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { campaignReport, type CampaignContext, type CampaignReport } from '../machines/index.ts';
import { MemoryStore, StoreError, type JournalEntry } from '../store/index.ts';
import { Engine } from './engine.ts';

/**
 * Reads a data directory's journal without taking its lock (a server may be running) and
 * rebuilds the current state through the machines. A torn last line is ignored, as the next
 * start would drop it.
 */
export async function readDataDir(dir: string): Promise<{ engine: Engine; entries: JournalEntry[] }> {
  const engine = new Engine({ store: new MemoryStore() });
  await engine.open();
  const entries: JournalEntry[] = [];
  const lines = createInterface({ input: createReadStream(join(dir, 'journal.jsonl'), { encoding: 'utf8' }), crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      let entry: JournalEntry;
      try {
        entry = JSON.parse(line) as JournalEntry;
      } catch {
        break;
      }
      engine.applyJournalEntry(entry);
      entries.push(entry);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new StoreError('noJournal', `${dir} has no journal.jsonl`, `${dir} 中没有 journal.jsonl`);
    throw err;
  }
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
