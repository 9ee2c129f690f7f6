/**
 * Sums a V8 CPU profile (`node --cpu-prof`) by package and by function — the figures the
 * benchmarks' notes in BENCHMARKS.md quote.
 *
 *   npx tsx bench/profile.ts FILE.cpuprofile [--top 25] [--inclusive apply,commitLines] [--callers get]
 *
 * - by package: self time of every sample, grouped by where its function lives — an npm package
 *   (`node_modules/<name>`), Node's own JavaScript (`node:`), V8's pseudo-frames (`(garbage
 *   collector)`, `(idle)`, `(program)`), native code with no script (hashing, JSON, syscalls:
 *   `native`), or ours (anything else: the sources, or a bench's bundle of them);
 * - by function: self time, the top `--top`;
 * - inclusive: for each name given, the time of every sample with that function anywhere on its
 *   stack (counted once per sample, however deep the recursion).
 * Percentages are of the profile's whole time, idle included; "busy" excludes `(idle)`.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: 'string', default: '25' },
    inclusive: { type: 'string', default: '' },
    callers: { type: 'string', default: '' },
  },
});
const file = positionals[0];
if (file === undefined) {
  console.error('usage: npx tsx bench/profile.ts FILE.cpuprofile [--top 25] [--inclusive name,name]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

/** Where a frame's function lives. */
function packageOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : 'native';
  if (url.startsWith('node:')) return 'node';
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  return module?.[1] ?? 'ours';
}

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const selfByPackage = new Map<string, number>();
const selfByFunction = new Map<string, number>();
const names = values.inclusive === '' ? [] : values.inclusive.split(',');
const inclusive = new Map(names.map((n) => [n, 0]));
const byCaller = new Map<string, number>();
let total = 0;
let idle = 0;
const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);
for (let i = 0; i < profile.samples.length; i++) {
  const us = profile.timeDeltas[i] ?? 0;
  const node = byId.get(profile.samples[i]!)!;
  total += us;
  const pkg = packageOf(node.callFrame);
  if (pkg === '(idle)') idle += us;
  add(selfByPackage, pkg, us);
  const { functionName, url, lineNumber } = node.callFrame;
  add(
    selfByFunction,
    `${functionName || '(anonymous)'} ${pkg === 'ours' ? '' : `[${pkg}] `}${url.split('/').pop()}:${lineNumber + 1}`,
    us,
  );
  if (values.callers !== '') {
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      if (byId.get(id)!.callFrame.functionName !== values.callers) continue;
      const up = parent.get(id);
      const frame = up === undefined ? undefined : byId.get(up)!.callFrame;
      add(
        byCaller,
        frame === undefined
          ? '(root)'
          : `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber + 1}`,
        us,
      );
      break;
    }
  }
  if (names.length > 0) {
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const name = byId.get(id)!.callFrame.functionName;
      if (inclusive.has(name) && !seen.has(name)) {
        seen.add(name);
        add(inclusive, name, us);
      }
    }
  }
}

const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)} %`;
const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
console.log(`${file}: ${(total / 1e6).toFixed(2)} s profiled, ${((1 - idle / total) * 100).toFixed(0)} % busy`);
console.log('\nself time by package');
for (const [pkg, us] of [...selfByPackage].sort((a, b) => b[1] - a[1])) console.log(`${ms(us)} ${pct(us)}  ${pkg}`);
console.log(`\nself time by function (top ${values.top})`);
for (const [name, us] of [...selfByFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top)))
  console.log(`${ms(us)} ${pct(us)}  ${name}`);
if (names.length > 0) {
  console.log('\ninclusive');
  for (const [name, us] of inclusive) console.log(`${ms(us)} ${pct(us)}  ${name}`);
}
if (values.callers !== '') {
  console.log(`\ncallers of ${values.callers}`);
  for (const [name, us] of [...byCaller].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top)))
    console.log(`${ms(us)} ${pct(us)}  ${name}`);
}
