import type { BacklogStore } from '../../src/domain/index.js';
import { createMemoryStore } from '../../src/repo/memory-store.js';

/**
 * The store every HTTP test and Cucumber scenario runs on. All of them create it
 * here, so that one place can point them at another store (e.g. MongoDB when
 * MONGODB_URI is set); closing the store releases whatever it holds.
 */
export async function createTestStore(): Promise<BacklogStore> {
  return createMemoryStore();
}
