/**
 * Rewrites the README's generated sections (the 八未 definitions, the project events' payloads)
 * from the code: `npx tsx scripts/readme.ts`. A test fails while they differ.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withGeneratedSections } from '../engine/docs.ts';

const file = join(import.meta.dirname, '../README.md');
const before = await readFile(file, 'utf8');
const after = withGeneratedSections(before);
if (after === before) console.log('README.md: generated sections already up to date');
else {
  await writeFile(file, after);
  console.log('README.md: generated sections rewritten');
}
