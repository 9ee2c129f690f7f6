import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    // expect.poll waits up to 15 s (default 1 s): a page on two cores busy with the suite can be slow.
    expect: { poll: { timeout: 15_000 } },
    // Both cores: vitest's default leaves one idle on a 2-core machine (the suite takes twice as long).
    maxWorkers: 2,
    // Memory bounds are measured after a forced collection (test/reliability).
    execArgv: ['--expose-gc'],
  },
});
