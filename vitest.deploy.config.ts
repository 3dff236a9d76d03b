import { defineConfig } from 'vitest/config';

// Deployment files checked with the real tools: run by scripts/suites/deploy.sh, which provides them.
export default defineConfig({
  test: {
    include: ['test/deploy/tools.test.ts'],
    testTimeout: 120_000,
  },
});
