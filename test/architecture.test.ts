import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// Code-health issue, item 4: the layers as drawn, kept true by a test (as Temporal's lint keeps
// workflows pure): server → engine → (machines, store); report → machines; the CLI on top;
// nothing imports the server (but the CLI that starts it) or the CLI.

const ROOT = resolve(import.meta.dirname, '..');

/** Which top-level folders each may import from (besides itself and npm packages). */
const ALLOWED: Record<string, readonly string[]> = {
  machines: [],
  store: [],
  engine: ['machines', 'store'],
  report: ['machines'],
  server: ['engine', 'machines', 'report'],
  cli: ['server', 'engine', 'machines', 'report'],
};

/** npm packages a folder may use, where it matters: machines are pure, the store is a leaf. */
const PACKAGES: Partial<Record<string, RegExp>> = {
  machines: /^xstate$/,
  store: /^(node:.*|lowdb|pg)$/,
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'dist' ? [] : sources(path);
    return path.endsWith('.ts') || path.endsWith('.tsx') ? [path] : [];
  });
}

const webFiles = sources(join(ROOT, 'web')).map((path) => relative(ROOT, path));

const files = Object.keys(ALLOWED).flatMap((folder) =>
  sources(join(ROOT, folder)).map((path) => [relative(ROOT, path), folder] as const),
);

describe('the import graph', () => {
  it('has a file in every layer (the test reads the tree)', () => {
    for (const folder of Object.keys(ALLOWED))
      expect(
        files.some(([, f]) => f === folder),
        folder,
      ).toBe(true);
  });

  it.each(files)('%s imports only what its layer may', (file, folder) => {
    const source = readFileSync(join(ROOT, file), 'utf8');
    const specs = [...source.matchAll(/(?:from\s+|import\()\s*'([^']+)'/g)].map((m) => m[1]!);
    for (const spec of specs) {
      if (spec.startsWith('.')) {
        const target = relative(ROOT, resolve(dirname(join(ROOT, file)), spec)).split(sep)[0]!;
        const ok = target === folder || ALLOWED[folder]!.includes(target);
        expect(ok, `${file} imports ${spec} (${folder} → ${target})`).toBe(true);
      } else {
        const allowed = PACKAGES[folder];
        if (allowed !== undefined) expect(allowed.test(spec), `${file} imports the package ${spec}`).toBe(true);
      }
    }
  });
});

describe('the web app', () => {
  it('has its sources (the test reads the tree)', () => {
    expect(webFiles.length).toBeGreaterThan(5);
  });

  // The pages run in a browser: of the server's code they take types only (one definition of
  // the shapes), never code; their labels come from /api/vocabulary.
  it.each(webFiles)('%s imports only types from outside web/', (file) => {
    const source = readFileSync(join(ROOT, file), 'utf8');
    for (const m of source.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) {
      const spec = m[2]!;
      if (!spec.startsWith('.')) continue;
      const target = relative(join(ROOT, 'web'), resolve(dirname(join(ROOT, file)), spec));
      if (target.startsWith('..')) expect(m[1], `${file} imports ${spec} as code`).toBe('type ');
    }
  });
});

describe('the house style', () => {
  const all = [
    ...files.map(([f]) => f),
    ...webFiles,
    ...['bench', 'test', 'scenarios'].flatMap((d) => sources(join(ROOT, d)).map((p) => relative(ROOT, p))),
  ];
  it.each(all)('%s has no line over 120 characters', (file) => {
    const long = readFileSync(join(ROOT, file), 'utf8')
      .split('\n')
      .flatMap((line, i) => (line.length > 120 ? [`${i + 1}: ${line.length}`] : []));
    expect(long).toEqual([]);
  });
});
