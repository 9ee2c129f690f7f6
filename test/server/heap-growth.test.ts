import { describe, expect, it } from 'vitest';
import { HEAP_GROWTH_FLAG, heapGrowthFlag } from '../../cli/heap-growth.ts';

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
