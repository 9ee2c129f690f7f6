import { CampaignService, Engine } from '../../engine/index.ts';
import type { CampaignInput } from '../../machines/index.ts';
import { MemoryStore, type Store } from '../../store/index.ts';

/**
 * An open engine (on `store`, a memory store by default; its clock at noon of `today`) with campaign
 * `c` — 百日攻坚 from 2022-08-01, 30 days, no targets unless `campaign` says otherwise — registered
 * by `actor`.
 *
 * @example
 * const { engine, campaigns } = await campaignEngine({ units: [{ id: 'u1', name: '一号镇', group: 'township' }] });
 */
export async function campaignEngine(
  campaign: Partial<CampaignInput> & Pick<CampaignInput, 'units'>,
  options: { store?: Store; today?: string | (() => string); actor?: string } = {},
): Promise<{ engine: Engine; campaigns: CampaignService }> {
  const { store = new MemoryStore(), today = '2022-08-10', actor = 'hq' } = options;
  const day = typeof today === 'string' ? () => today : today;
  const engine = new Engine({ store, clock: () => `${day()}T12:00:00.000+08:00` });
  await engine.open();
  const campaigns = new CampaignService(engine);
  const created = await campaigns.create(
    { id: 'c', name: '百日攻坚', start: '2022-08-01', days: 30, targets: {}, ...campaign },
    actor,
  );
  if (created.status !== 'created') throw new Error(`campaign c not created: ${JSON.stringify(created)}`);
  return { engine, campaigns };
}
