import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(import.meta.dirname, '../../machines');
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

/** Clock reads, randomness and I/O that would make a machine impure. */
const FORBIDDEN = [
  /Date\.now/,
  /new Date\(/,
  /Math\.random/,
  /\bprocess\./,
  /\bconsole\./,
  /\bsetTimeout\b/,
  /\bsetInterval\b/,
  /\bfetch\(/,
  /\bperformance\./,
  /\brequire\(/,
  /\bafter:\s*\{/,
];

describe('machines/ is pure', () => {
  it.each(files)('%s imports only xstate and sibling machine files', (file) => {
    const source = readFileSync(join(dir, file), 'utf8');
    const imports = [...source.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]);
    for (const spec of imports)
      expect(spec === 'xstate' || /^\.\/[\w-]+\.ts$/.test(spec!), `${file} imports ${spec}`).toBe(true);
  });
  it.each(files)('%s reads no clock, no randomness, does no I/O and uses no `after` timers', (file) => {
    const source = readFileSync(join(dir, file), 'utf8');
    for (const pattern of FORBIDDEN) expect(pattern.test(source), `${file} matches ${pattern}`).toBe(false);
  });
});
