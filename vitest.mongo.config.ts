import { defineConfig } from 'vitest/config';

// The MongoDB suite, run by scripts/suites/mongo.sh (which sets MONGODB_URI and SECANTUS_CMD):
// the MongoDB tests, and the HTTP tests on a MongoDB test store (TEST_STORE, test/helpers/test-store.ts).
export default defineConfig({
  test: {
    env: { TEST_STORE: 'mongo' },
    // junk-bodies and route-matrix test HTTP parsing before any store call: the memory run covers them.
    include: [
      'test/mongo/**/*.test.ts',
      'test/routes/**/*.test.ts',
      'test/http/etag.test.ts',
      'test/http/request-id.test.ts',
      // Hostile input read back from a second replica on the same database.
      'test/hostile/ids.test.ts',
      'test/hostile/repeated-keys.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One Python server on two cores: files one after another keep timings honest.
    fileParallelism: false,
  },
});
