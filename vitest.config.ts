import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Needs a MongoDB-wire server: run by scripts/suites/mongo.sh with vitest.mongo.config.ts.
    // test/browser needs Chromium: run by scripts/suites/browser.sh with vitest.browser.config.ts.
    exclude: ['test/mongo/**', 'test/browser/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: 'coverage',
    },
  },
});
