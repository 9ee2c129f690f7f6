import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The package's root directory (where package.json is), found from `from` upwards — so files
 * shipped beside the code (pages, the demo scenario) are found whether the code runs from its
 * TypeScript sources or from the bundle in `dist/`.
 */
export function packageRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
  return dir;
}
