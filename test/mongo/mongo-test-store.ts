import type { BacklogStore } from '../../src/domain/index.js';
import { dropDatabase, openMongoStore, uniqueDbName } from './mongo-support.js';

/**
 * Stands in for test/helpers/test-store.ts in the MongoDB suite
 * (vitest.mongo.config.ts), so the HTTP tests run against MongoDB: each store
 * gets a database of its own, dropped when the store is closed.
 */
export async function createTestStore(): Promise<BacklogStore> {
  const dbName = uniqueDbName();
  const store = await openMongoStore(dbName);
  return {
    read: () => store.read(),
    update: (change) => store.update(change),
    ping: () => store.ping(),
    async close() {
      await store.close();
      await dropDatabase(dbName);
    },
  };
}
