import { type Backlog, type BacklogStore, emptyBacklog } from '../domain/index.js';
import { createSerialQueue } from './serial-queue.js';

/** Keeps the backlog in this process only (STORE=memory): tests and demos. */
export function createMemoryStore(
  initial: Backlog = emptyBacklog,
  { queueWaitMs }: { queueWaitMs?: number } = {},
): BacklogStore {
  let current = initial;
  const queue = createSerialQueue({ maxWaitMs: queueWaitMs });
  return {
    async read() {
      return current;
    },
    update(change) {
      return queue.run(() => {
        current = change(current);
        return current;
      });
    },
    async ping() {},
    async close() {},
  };
}
