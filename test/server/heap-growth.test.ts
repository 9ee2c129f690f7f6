import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEAP_GROWTH_FLAG, heapGrowthFlag, launchFlags, YOUNG_GENERATION_FLAG } from '../../cli/heap-growth.ts';

describe('the CLI bounds how far V8 grows the heap beyond what is live', () => {
  it('sets --heap-growing-percent=100 when the operator chose nothing', () => {
    expect(HEAP_GROWTH_FLAG).toBe('--heap-growing-percent=100');
    expect(heapGrowthFlag([], undefined)).toBe(HEAP_GROWTH_FLAG);
    expect(heapGrowthFlag(['--enable-source-maps'], '--trace-warnings')).toBe(HEAP_GROWTH_FLAG);
  });

  it("leaves the operator's own choice of growth or heap size alone, on the command line or in NODE_OPTIONS", () => {
    expect(heapGrowthFlag(['--max-old-space-size=4096'], undefined)).toBeNull();
    expect(heapGrowthFlag([], '--trace-warnings --max_old_space_size=2048')).toBeNull();
    expect(heapGrowthFlag(['--heap-growing-percent=50'], undefined)).toBeNull();
  });
});

describe('the CLI is launched with a 32 MB young generation (read by V8 only at start)', () => {
  const root = join(import.meta.dirname, '..', '..');

  it("is on the command line of every launch: bin/gongjian.js's shebang and npm start", async () => {
    const shebang = (await readFile(join(root, 'bin', 'gongjian.js'), 'utf8')).split('\n')[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node ${YOUNG_GENERATION_FLAG}`);
    const { scripts } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(scripts.start).toBe(`node ${YOUNG_GENERATION_FLAG} bin/gongjian.js serve`);
  });

  it('reaches V8: a process launched as the shebang says has the larger young generation', () => {
    const measured = (flags: string[]) =>
      Number(
        execFileSync(process.execPath, [
          ...flags,
          '-e',
          // Enough garbage for V8 to grow the young generation to its most, then its size.
          'const k=[];for(let i=0;i<3e6;i++){k.push({i});if(k.length>2e5)k.length=0}' +
            "console.log(require('v8').getHeapSpaceStatistics().find(s=>s.space_name==='new_space').space_size)",
        ]).toString(),
      );
    expect(measured(launchFlags([], undefined))).toBeGreaterThan(measured([]));
  });

  it("leaves the operator's own young generation size alone", () => {
    expect(launchFlags([], undefined)).toEqual([YOUNG_GENERATION_FLAG]);
    expect(launchFlags(['--max-semi-space-size=64'], undefined)).toEqual([]);
    expect(launchFlags([], '--max_semi_space_size=8')).toEqual([]);
  });
});
