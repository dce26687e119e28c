import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Forks, not threads: Temporal's native bridge does not mix with worker threads.
    pool: 'forks',
    // One file at a time: integration files share one Temporal dev server and its fixed task queues, and
    // the e2e file runs the whole stack; on 2 cores parallel files only trade speed for flakiness.
    fileParallelism: false,
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', './tests/support/summary-reporter.ts'],
  },
});
