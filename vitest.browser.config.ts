import { defineConfig } from 'vitest/config';

// The dashboard in Debian's Chromium (playwright-core): run by scripts/suites/browser.sh.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
