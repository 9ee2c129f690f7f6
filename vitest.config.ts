import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // Memory bounds are measured after a forced collection (test/reliability).
    execArgv: ['--expose-gc'],
  },
});
