import { CampaignService, Engine, PgStore, StaffDirectory, unitsInDataDir } from '../engine/index.ts';
import { dataDir } from './data-dir.ts';
import { parseStoreUrl } from './store-url.ts';

/** Where `gongjian user` and `gongjian token` find the staff directory. */
export interface StaffPlace {
  data?: string;
  store?: string;
}

export const DATA_OPTION = ['--data <dir>', 'data directory (default: $GONGJIAN_DATA or ./data)'] as const;
export const STORE_OPTION = [
  '--store <url>',
  'postgres://… of the nodes (default: $GONGJIAN_STORE): the directory they share instead of --data',
] as const;

const storeUrlOf = (place: StaffPlace): string | undefined => {
  const url = place.store ?? process.env.GONGJIAN_STORE;
  return url === undefined || url === '' ? undefined : url;
};

/**
 * Runs `fn` on the staff directory: a data directory's `staff.json`, or — with `--store` or
 * `GONGJIAN_STORE` — the PostgreSQL store's tables, opened without loading a project. Servers
 * running on it take the change in at once (a `stat` per request, or the database's notice).
 */
export async function withStaff<T>(
  place: StaffPlace,
  fn: (staff: StaffDirectory, where: string) => Promise<T> | T,
): Promise<T> {
  const url = storeUrlOf(place);
  if (url === undefined) {
    const dir = dataDir(place.data);
    const staff = new StaffDirectory(dir);
    await staff.load();
    return fn(staff, dir);
  }
  const { url: connection, ...options } = parseStoreUrl(url);
  const store = new PgStore(connection, options);
  try {
    await store.openShared();
    const staff = new StaffDirectory(store.staffStorage());
    await staff.load();
    return await fn(staff, store.stats().location);
  } finally {
    await store.close();
  }
}

/** Refuses a unit the data set does not know (a typo would give someone a unit nobody has). */
export async function checkUnit(place: StaffPlace, unit: string | undefined): Promise<void> {
  if (unit === undefined) return;
  const url = storeUrlOf(place);
  let units: Map<string, string> | null;
  let where: string;
  if (url === undefined) {
    where = dataDir(place.data);
    units = await unitsInDataDir(where);
  } else {
    const { url: connection, ...options } = parseStoreUrl(url);
    const store = new PgStore(connection, options);
    const engine = new Engine({ store });
    try {
      await engine.open();
      units = new CampaignService(engine).knownUnits();
      where = store.stats().location;
    } finally {
      await engine.close();
    }
  }
  if (units !== null && !units.has(unit))
    throw new Error(
      `--unit ${unit}: no such unit in ${where}; the units are: ${[...units.keys()].join(', ')} / 单位 ${unit} 不存在`,
    );
}
