import type { Backlog, BacklogStore, Change, Commit, Committed, UpdateOptions } from '../../src/domain/index.js';
import { dropDatabase, mongoUri, openMongoStore, uniqueDbName } from './mongo-support.js';

/**
 * The test store of TEST_STORE=mongo (test/helpers/test-store.ts): each store gets a
 * database of its own, dropped when the store is closed. The server must answer
 * first, so that a run meant for MongoDB fails at once, naming the server, when it
 * cannot be reached.
 */
export async function createMongoTestStore(): Promise<BacklogStore> {
  const dbName = uniqueDbName();
  const store = await openMongoStore(dbName);
  try {
    await store.ping();
  } catch (error) {
    await store.close();
    throw new Error(`TEST_STORE=mongo, but MongoDB at ${mongoUri()} cannot be reached`, { cause: error });
  }
  return {
    read<T>(use?: (committed: Committed) => T) {
      return use ? store.read(use) : store.read();
    },
    update<T>(plan: (backlog: Backlog) => Change, options?: UpdateOptions, use?: (commit: Commit) => T) {
      return use ? store.update(plan, options ?? {}, use) : store.update(plan, options);
    },
    events: (after, limit) => store.events(after, limit),
    history: (epicId) => store.history(epicId),
    watch: (listener) => store.watch(listener),
    ping: () => store.ping(),
    async close() {
      await store.close();
      await dropDatabase(dbName);
    },
  };
}
