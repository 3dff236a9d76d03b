import type { BacklogStore } from '../../src/domain/index.js';
import { createMemoryStore } from '../../src/repo/memory-store.js';
import { createMongoTestStore } from '../mongo/mongo-test-store.js';

/** The stores the HTTP tests and Cucumber scenarios can run on, by the value of TEST_STORE. */
const TEST_STORES: Record<string, () => Promise<BacklogStore>> = {
  memory: async () => createMemoryStore(),
  // MONGODB_URI names the server; an unreachable one fails the run, it never falls back to memory.
  mongo: createMongoTestStore,
};

/**
 * The store every HTTP test and Cucumber scenario runs on, chosen by the TEST_STORE
 * environment variable (`memory` when unset; the MongoDB suite sets `mongo`). Closing
 * the store releases whatever it holds.
 */
export async function createTestStore(): Promise<BacklogStore> {
  const name = process.env.TEST_STORE || 'memory';
  const create = TEST_STORES[name];
  if (!create) throw new Error(`TEST_STORE=${name} names no test store; use ${Object.keys(TEST_STORES).join(' or ')}`);
  return create();
}
