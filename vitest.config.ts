import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Needs a MongoDB-wire server: run by scripts/suites/mongo.sh with vitest.mongo.config.ts.
    // test/browser needs Chromium: run by scripts/suites/browser.sh with vitest.browser.config.ts.
    // test/deploy/tools.test.ts needs hadolint, docker-compose, kustomize: run by scripts/suites/deploy.sh.
    exclude: ['test/mongo/**', 'test/browser/**', 'test/deploy/tools.test.ts', 'node_modules/**'],
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
