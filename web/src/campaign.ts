import { ref } from 'vue';
import { api } from './api.ts';

export interface CampaignSummary {
  id: string;
  name: string;
  state: string;
  start: string;
  days: number;
  units: { id: string; name: string; group: string }[];
  /** 县 (county), 县级市 (city) or 区 (district): the ladder's titles follow it. */
  locality: 'county' | 'city' | 'district';
  version: number;
  supervisions: string[];
}

const campaigns = ref<CampaignSummary[] | null>(null);
let early: Promise<CampaignSummary[] | null> | null = null;

/**
 * Asks for the campaigns while the first page's code and the session are still loading (the
 * dashboard needs them before its report): a plain request, quiet if nobody is signed in.
 */
export function prefetchCampaigns(): void {
  early ??= fetch('/api/campaigns', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    .then(async (res) => (res.ok ? ((await res.json()) as { campaigns: CampaignSummary[] }).campaigns : null))
    .catch(() => null);
}

/** Every campaign (cached for the tab; `fresh` rereads). */
export async function loadCampaigns(fresh = false): Promise<CampaignSummary[]> {
  if (campaigns.value === null && early !== null) {
    const prefetched = await early;
    early = null;
    if (prefetched !== null) campaigns.value = prefetched;
  }
  if (campaigns.value === null || fresh)
    campaigns.value = (await api<{ campaigns: CampaignSummary[] }>('/api/campaigns')).data.campaigns;
  return campaigns.value;
}

/** The campaign a page shows: the one named in the address, else the latest started. */
export function currentCampaign(list: CampaignSummary[], wanted: unknown): CampaignSummary | undefined {
  if (typeof wanted === 'string') {
    const named = list.find((c) => c.id === wanted);
    if (named !== undefined) return named;
  }
  return [...list].sort((a, b) => (a.start < b.start ? 1 : a.start > b.start ? -1 : 0))[0];
}

/** Today in Asia/Shanghai, YYYY-MM-DD (the date field's default). */
export function todayInChina(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

/** Unit id → name over every campaign (for filters and labels). */
export async function unitNames(): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const c of await loadCampaigns()) for (const u of c.units) names.set(u.id, u.name);
  return names;
}
