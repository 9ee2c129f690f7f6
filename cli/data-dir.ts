import { resolve } from 'node:path';

/** The data directory: `--data DIR`, else `GONGJIAN_DATA`, else `./data`. */
export function dataDir(option: string | undefined): string {
  return resolve(option ?? process.env.GONGJIAN_DATA ?? './data');
}
